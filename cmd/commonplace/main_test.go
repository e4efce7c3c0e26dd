package main

import (
	"bytes"
	"context"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/commonplace-social/commonplace/internal/store"
	"github.com/commonplace-social/commonplace/internal/store/storetest"
)

type result struct {
	code        int
	out, errOut string
}

func runCmd(ctx context.Context, env map[string]string, t *testing.T, args ...string) result {
	t.Helper()
	for k, v := range env {
		t.Setenv(k, v)
	}
	var out, errOut bytes.Buffer
	code := run(ctx, args, &out, &errOut)
	return result{code, out.String(), errOut.String()}
}

func TestOrgAdd(t *testing.T) {
	for _, d := range storetest.Dialects {
		t.Run(string(d), func(t *testing.T) {
			db := storetest.URL(t, d)
			ctx := context.Background()
			r := runCmd(ctx, nil, t, "org", "add", "stgemmas", "--name", "St Gemma's Hospice", "--summary", "Hospice care.", "--db", db)
			if r.code != 0 || !strings.Contains(r.out, "Created organisation stgemmas") {
				t.Fatalf("org add: %+v", r)
			}
			r = runCmd(ctx, nil, t, "org", "add", "--db", db, "--name", "Again", "stgemmas")
			if r.code != 1 || r.errOut != "commonplace org: the username \"stgemmas\" is already taken on this instance\n" {
				t.Errorf("taken username: %+v", r)
			}
			r = runCmd(ctx, nil, t, "org", "add", "St Gemmas", "--name", "X", "--db", db)
			if r.code != 1 || !strings.Contains(r.errOut, "is not valid") {
				t.Errorf("invalid username: %+v", r)
			}
			r = runCmd(ctx, nil, t, "org", "add", "volition", "--db", db)
			if r.code != 1 || !strings.Contains(r.errOut, "a name is required") {
				t.Errorf("missing name: %+v", r)
			}
			r = runCmd(ctx, nil, t, "migrate", "--db", db)
			if r.code != 0 || r.out != "The database schema is up to date.\n" {
				t.Errorf("migrate after org add: %+v", r)
			}
		})
	}
}

func TestUsageErrors(t *testing.T) {
	ctx := context.Background()
	cases := map[string][]string{
		"no command":         {},
		"unknown command":    {"frobnicate"},
		"org without verb":   {"org"},
		"org add no name":    {"org", "add"},
		"unknown flag":       {"migrate", "--nope"},
		"two usernames":      {"org", "add", "a", "b", "--name", "X"},
		"serve extra args":   {"serve", "extra"},
		"unknown org action": {"org", "remove", "x"},
	}
	for name, args := range cases {
		if r := runCmd(ctx, nil, t, args...); r.code != 2 {
			t.Errorf("%s: exit %d, want 2 (%+v)", name, r.code, r)
		}
	}
	for _, args := range [][]string{{"help"}, {"serve", "--help"}, {"org", "add", "--help"}, {"migrate", "-h"}} {
		if r := runCmd(ctx, nil, t, args...); r.code != 0 || !strings.Contains(r.out, "Usage") {
			t.Errorf("%v: %+v", args, r)
		}
	}
}

// Bad configuration stops start-up with one sentence and exit status 1.
func TestServeRefusesBadConfiguration(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	cases := map[string]struct {
		args []string
		want string
	}{
		"no domain":        {[]string{"serve", "--data-dir", dir}, "no domain is set"},
		"malformed domain": {[]string{"serve", "--domain", "https://x.example/", "--data-dir", dir}, "is malformed"},
		"unreachable db": {[]string{"serve", "--domain", "x.example", "--db", "postgres://u:hunter2@127.0.0.1:1/db?connect_timeout=2"},
			"cannot reach the database at 127.0.0.1:1/db"},
		"bad db scheme":  {[]string{"serve", "--domain", "x.example", "--db", "mysql://localhost/db"}, "must start with postgres:// or sqlite:"},
		"port in use":    {nil, "cannot listen on"},
		"domain changed": {nil, "this database belongs to the instance at http://first.example"},
	}
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	c := cases["port in use"]
	c.args = []string{"serve", "--domain", "x.example", "--listen", busy.Addr().String(), "--data-dir", t.TempDir()}
	cases["port in use"] = c
	claimed := filepath.Join(t.TempDir(), "c.db")
	seedClaim(t, "sqlite:"+claimed, "http://first.example")
	c = cases["domain changed"]
	c.args = []string{"serve", "--domain", "second.example", "--db", "sqlite:" + claimed}
	cases["domain changed"] = c

	for name, c := range cases {
		r := runCmd(ctx, nil, t, c.args...)
		lines := strings.Count(strings.TrimSpace(r.errOut), "\n") + 1
		if r.code != 1 || !strings.Contains(r.errOut, c.want) || lines != 1 {
			t.Errorf("%s: exit %d, stderr %q; want exit 1 and one line containing %q", name, r.code, r.errOut, c.want)
		}
		if strings.Contains(r.errOut, "hunter2") {
			t.Errorf("%s: the password was printed", name)
		}
	}
}

func seedClaim(t *testing.T, db, base string) {
	t.Helper()
	st, err := store.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if _, err := st.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	if _, err := st.SetSettingOnce(context.Background(), "base_url", base); err != nil {
		t.Fatal(err)
	}
}

// serve answers WebFinger for an organisation added with `org add`, and
// stops cleanly when its context is cancelled (as on SIGINT/SIGTERM).
func TestServeAnswersAndShutsDownGracefully(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	if r := runCmd(ctx, nil, t, "org", "add", "volition", "--name", "Volition", "--data-dir", dir); r.code != 0 {
		t.Fatalf("org add: %+v", r)
	}
	done := make(chan result, 1)
	go func() {
		var out, errOut bytes.Buffer
		code := run(ctx, []string{"serve", "--domain", addr, "--listen", addr, "--local-testing", "--data-dir", dir}, &out, &errOut)
		done <- result{code, out.String(), errOut.String()}
	}()
	var resp *http.Response
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if resp, err = http.Get("http://" + addr + "/.well-known/webfinger?resource=acct:volition@" + addr); err == nil {
			break
		}
	}
	if err != nil {
		t.Fatalf("server never answered: %v", err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Errorf("WebFinger status %d", resp.StatusCode)
	}
	cancel()
	select {
	case r := <-done:
		if r.code != 0 {
			t.Errorf("serve exited %d after shutdown: %s", r.code, r.errOut)
		}
		// One line to open, and the command that makes a login.
		if strings.Count(r.out, "open ") != 1 || !strings.HasPrefix(r.out, "open http://"+addr+"/ ") ||
			!strings.Contains(r.out, "commonplace user add EMAIL --org volition --role admin") {
			t.Errorf("serve printed:\n%s", r.out)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("serve did not stop after its context was cancelled")
	}
}
