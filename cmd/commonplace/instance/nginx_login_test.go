package instance_test

import (
	"fmt"
	"net"
	"net/http"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/commonplace-social/commonplace/internal/orgs"
)

// Behind nginx with the shipped proxy block and --behind-proxy, visitors
// are told apart by the address nginx appends to X-Forwarded-For: one
// visitor's guessing is limited, and another logs in regardless.
func TestLoginLimitsPerVisitorBehindNginx(t *testing.T) {
	bin := nginxBinary(t)
	dir := t.TempDir()
	front := freeLoopbackAddr(t)
	backend, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	inst := startBehindProxy(t, front, backend)
	trust := inst.AddOrg(t, orgs.NewOrg{Username: "trust", Name: "The Trust"})
	addAccount(t, inst, "risk@trust.example", "author", trust)

	block := strings.Replace(proxyBlock(t), "proxy_set_header Host $host;", "proxy_set_header Host $http_host;", 1)
	site := fmt.Sprintf("upstream commonplace {\n    server %s;\n    keepalive 16;\n}\nserver {\n    listen %s;\n    server_name %s;\n%s\n}\n",
		backend.Addr(), front, strings.Split(front, ":")[0], block)
	mustWrite(t, filepath.Join(dir, "nginx.conf"), mainConfig(dir, site))
	stop := runNginx(t, bin, dir, front)
	defer stop()
	base := "http://" + front

	limited := false
	for i := range 20 {
		resp := submitLogin(t, base, attackerAddr, url.Values{"email": {"risk@trust.example"}, "password": {"guess " + strconv.Itoa(i)}})
		if resp.StatusCode == http.StatusTooManyRequests {
			limited = true
		} else if resp.StatusCode != http.StatusUnauthorized {
			t.Fatalf("guess %d through nginx: %d", i+1, resp.StatusCode)
		}
	}
	if !limited {
		t.Error("guessing through nginx was never limited")
	}
	if resp := submitLogin(t, base, victimAddr, url.Values{"email": {"risk@trust.example"}, "password": {testPassword}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("victim through nginx after the guessing: %d", resp.StatusCode)
	}
}
