package federation

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"net/http"
	"sort"
	"strconv"
	"testing"
	"time"
)

func TestClaimedHost(t *testing.T) {
	for _, c := range []struct{ sig, input, want string }{
		{`keyId="https://Mastodon.Example/users/a#main-key",algorithm="rsa-sha256",headers="(request-target) host date digest",signature="x"`, "", "mastodon.example"},
		{`signature="x",keyId="https://gts.example:8443/users/a/main-key"`, "", "gts.example:8443"},
		{"sig1=:abc:", `sig1=("@method" "@target-uri");created=1;keyid="https://wp.example/?author=1#main-key";alg="rsa-v1_5-sha256"`, "wp.example"},
		{`fakekeyId="https://evil.example/k",keyId="https://real.example/k"`, "", "real.example"},
		{`keyId="not a url"`, "", unsignedHost},
		{"", "", unsignedHost},
	} {
		r, _ := http.NewRequest("POST", "http://us.example/inbox", nil)
		if c.sig != "" {
			r.Header.Set("Signature", c.sig)
		}
		if c.input != "" {
			r.Header.Set("Signature-Input", c.input)
		}
		if got := claimedHost(r); got != c.want {
			t.Errorf("claimedHost(%q, %q) = %q, want %q", c.sig, c.input, got, c.want)
		}
	}
}

func TestInboxLimiterBurstRefillAndWait(t *testing.T) {
	l := NewInboxLimiter(2, 3) // a token every 500 ms
	now := time.Now()
	for i := range 3 {
		if _, ok := l.take("a.example", now); !ok {
			t.Fatalf("request %d within the burst refused", i)
		}
	}
	wait, ok := l.take("a.example", now)
	if ok || wait <= 0 || wait > 500*time.Millisecond {
		t.Fatalf("fourth request: ok %v, wait %s; want refused with a wait up to 500ms", ok, wait)
	}
	if retryAfterSeconds(wait) != 1 {
		t.Errorf("Retry-After for %s = %d, want 1", wait, retryAfterSeconds(wait))
	}
	if _, ok := l.take("b.example", now); !ok {
		t.Error("another host was refused")
	}
	// A refusal spends nothing: the next token comes on time.
	if _, ok := l.take("a.example", now.Add(wait)); !ok {
		t.Error("refused again once the wait had passed")
	}
	if NewInboxLimiter(0, 10) != nil {
		t.Error("a zero rate should mean no limiter")
	}
	var none *InboxLimiter
	if _, ok := none.take("a.example", now); !ok {
		t.Error("a nil limiter refused")
	}
}

// Idle hosts are forgotten, and however many hosts are claimed, the map
// stays bounded.
func TestInboxLimiterBoundsMemory(t *testing.T) {
	l := NewInboxLimiter(100, 100) // full again after 1 s idle
	now := time.Now()
	for i := range 50 {
		l.take(fmt.Sprintf("h%d.example", i), now)
	}
	l.take("late.example", now.Add(2*time.Second))
	if n := l.len(); n != 1 {
		t.Errorf("%d hosts tracked after the others went idle, want 1", n)
	}
	for i := range maxLimitedHosts + 500 {
		l.take(fmt.Sprintf("flood%d.example", i), now.Add(2*time.Second))
	}
	if n := l.len(); n > maxLimitedHosts {
		t.Errorf("%d hosts tracked, more than %d", n, maxLimitedHosts)
	}
}

// appliedTypes must name exactly the types apply's switch handles: a type
// missing from it would be stored without its body and never applied.
func TestAppliedTypesMatchApplySwitch(t *testing.T) {
	f, err := parser.ParseFile(token.NewFileSet(), "apply.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	var inSwitch []string
	ast.Inspect(f, func(n ast.Node) bool {
		fn, ok := n.(*ast.FuncDecl)
		if !ok || fn.Name.Name != "apply" {
			return true
		}
		ast.Inspect(fn.Body, func(n ast.Node) bool {
			if cc, ok := n.(*ast.CaseClause); ok {
				for _, e := range cc.List {
					if lit, ok := e.(*ast.BasicLit); ok && lit.Kind == token.STRING {
						s, _ := strconv.Unquote(lit.Value)
						inSwitch = append(inSwitch, s)
					}
				}
			}
			return true
		})
		return false
	})
	var kept []string
	for typ := range appliedTypes {
		kept = append(kept, typ)
	}
	sort.Strings(inSwitch)
	sort.Strings(kept)
	if fmt.Sprint(inSwitch) != fmt.Sprint(kept) {
		t.Errorf("apply's switch handles %v; appliedTypes has %v", inSwitch, kept)
	}
}

// A forger naming a real host in its keyId, from another address, does not
// spend that host's budget.
func TestThrottleKeysByHostAndAddress(t *testing.T) {
	s := &Server{InboxLimit: NewInboxLimiter(0.01, 1)}
	send := func(remote string) error {
		r, _ := http.NewRequest("POST", "http://us.example/inbox", nil)
		r.RemoteAddr = remote
		r.Header.Set("Signature", `keyId="https://real.example/users/a#main-key",signature="x"`)
		return s.throttle(r, &inboxNote{})
	}
	if err := send("203.0.113.9:5000"); err != nil {
		t.Fatalf("forger's first request: %v", err)
	}
	if err := send("203.0.113.9:5001"); err == nil {
		t.Fatal("forger's second request was let through")
	}
	if err := send("198.51.100.7:443"); err != nil {
		t.Errorf("the real host, from its own address: %v", err)
	}
}
