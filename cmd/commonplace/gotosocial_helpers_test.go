package main

import (
	"context"
	"html"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/commonplace-social/commonplace/cmd/commonplace/instance/instancetest"
	"github.com/commonplace-social/commonplace/cmd/commonplace/instance/instancetest/gotosocial"
	"github.com/commonplace-social/commonplace/internal/model"
)

// testPassword is the journey's staff password, given to `user add`.
const testPassword = "correct horse battery"

// peerWait bounds each step against the real peer: its queues and ours both
// lie between an action and what it shows.
const peerWait = 45 * time.Second

// journey is one run of the GoToSocial journey: a Commonplace instance, the
// peer and its user, and the admin login.
type journey struct {
	t     *testing.T
	ctx   context.Context
	inst  *instancetest.Running
	peer  *gotosocial.Peer
	alice *gotosocial.Client
}

// cli runs a commonplace command against the instance's database, as an
// operator would next to the running server, and fails on a non-zero exit.
func (j *journey) cli(args ...string) string {
	j.t.Helper()
	r := runCmd(j.ctx, map[string]string{"COMMONPLACE_PASSWORD": testPassword}, j.t, append(args, "--db", j.inst.DBURL)...)
	if r.code != 0 {
		j.t.Fatalf("commonplace %s: exit %d: %s%s", strings.Join(args, " "), r.code, r.errOut, r.out)
	}
	return strings.TrimSpace(r.out)
}

// publish publishes through `commonplace publish` and returns the post URL.
func (j *journey) publish(org, kind, body string, flags ...string) string {
	j.t.Helper()
	u := j.cli(append([]string{"publish", "--org", org, "--kind", kind, "--file", j.bodyFile(body)}, flags...)...)
	if !strings.HasPrefix(u, j.inst.URL+"/users/"+org+"/posts/") {
		j.t.Fatalf("publish printed %q, not a post URL", u)
	}
	return u
}

// bodyFile writes a post body to a file for --file.
func (j *journey) bodyFile(body string) string {
	j.t.Helper()
	file := filepath.Join(j.t.TempDir(), "body.md")
	if err := os.WriteFile(file, []byte(body), 0o600); err != nil {
		j.t.Fatal(err)
	}
	return file
}

func (j *journey) eventually(what string, cond func() bool) {
	j.t.Helper()
	instancetest.Eventually(j.t, peerWait, what, cond)
}

// resolve finds one of our organisations from the peer, by search.
func (j *journey) resolve(username string) gotosocial.Account {
	j.t.Helper()
	var acct gotosocial.Account
	j.eventually("GoToSocial to resolve @"+username, func() bool {
		var ok bool
		acct, ok = j.alice.ResolveAccount("@" + username + "@" + j.inst.Domain)
		return ok
	})
	if acct.URL != j.inst.URL+"/@"+username {
		j.t.Errorf("GoToSocial shows @%s with profile URL %q", username, acct.URL)
	}
	return acct
}

// timelineStatus waits until the user's home timeline holds the post, and
// checks it is there exactly once.
func (j *journey) timelineStatus(postURL string) gotosocial.Status {
	j.t.Helper()
	var found []gotosocial.Status
	j.eventually(postURL+" in the GoToSocial home timeline", func() bool {
		found = found[:0]
		for _, s := range j.alice.HomeTimeline() {
			if s.URI == postURL && s.Reblog == nil {
				found = append(found, s)
			}
		}
		return len(found) > 0
	})
	if len(found) != 1 {
		j.t.Errorf("%s is in the home timeline %d times", postURL, len(found))
	}
	return found[0]
}

// absentFromTimeline checks, for a bounded while, that a post never shows.
// Used only where a positive signal has already shown that the peer is
// receiving from us.
func (j *journey) absentFromTimeline(postURL string, within time.Duration) {
	j.t.Helper()
	for end := time.Now().Add(within); time.Now().Before(end); time.Sleep(250 * time.Millisecond) {
		for _, s := range j.alice.HomeTimeline() {
			if s.URI == postURL {
				j.t.Fatalf("%s reached GoToSocial, but should not have", postURL)
			}
		}
	}
}

// page loads one of our pages as a reader would.
func (j *journey) page(path string) string {
	j.t.Helper()
	return get(j.t, j.inst.URL+path)
}

var countLine = regexp.MustCompile(`(\d+) likes?\b.*?(\d+) boosts?\b.*?(\d+) comments?\b`)

// counts reads likes, boosts and comments from a post page.
func counts(t *testing.T, page string) (likes, boosts, comments int) {
	t.Helper()
	m := countLine.FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no like, boost and comment counts on the page")
	}
	likes, _ = strconv.Atoi(m[1])
	boosts, _ = strconv.Atoi(m[2])
	comments, _ = strconv.Atoi(m[3])
	return
}

// inboxRefusals reads from /metrics (open to loopback) how many deliveries
// of a type our inbox refused with status.
func (j *journey) inboxRefusals(typ string, status int) int {
	j.t.Helper()
	for _, line := range strings.Split(j.page("/metrics"), "\n") {
		if strings.HasPrefix(line, "commonplace_inbox_activities_total{") &&
			strings.Contains(line, `outcome="refused_`+strconv.Itoa(status)+`"`) && strings.Contains(line, `type="`+typ+`"`) {
			n, _ := strconv.Atoi(line[strings.LastIndexByte(line, ' ')+1:])
			return n
		}
	}
	return 0
}

func (j *journey) followCounts(org *model.Actor) (followers, following int) {
	j.t.Helper()
	c, err := j.inst.Store.CountFollows(j.ctx, org.ID)
	if err != nil {
		j.t.Fatal(err)
	}
	return c.Followers, c.Following
}

// text is a status's content as a person reads it.
func text(s gotosocial.Status) string { return html.UnescapeString(s.Content) }
