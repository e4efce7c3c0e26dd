package instance_test

import (
	"net"
	"net/http"
	"net/url"
	"strconv"
	"sync"
	"testing"

	"github.com/commonplace-social/commonplace/cmd/commonplace/instance/instancetest"
	"github.com/commonplace-social/commonplace/internal/accounts"
	"github.com/commonplace-social/commonplace/internal/orgs"
	"github.com/commonplace-social/commonplace/internal/store"
)

var (
	attackerAddr = net.IPv4(127, 0, 0, 66)
	victimAddr   = net.IPv4(127, 0, 0, 7)
)

// Someone guessing a staff member's password from their own address must
// not lock that person out: the victim, from the address they have always
// used, still logs in, while the guesser is slowed down with 429s.
func TestLoginGuessingDoesNotLockOutVictim(t *testing.T) {
	inst := instancetest.Start(t, store.SQLite)
	trust := inst.AddOrg(t, orgs.NewOrg{Username: "trust", Name: "The Trust"})
	addAccount(t, inst, "risk@trust.example", "author", trust)

	var limited int
	for i := range 20 {
		resp := submitLogin(t, inst.URL, attackerAddr, url.Values{"email": {"risk@trust.example"}, "password": {"guess " + strconv.Itoa(i)}})
		switch resp.StatusCode {
		case http.StatusUnauthorized:
		case http.StatusTooManyRequests:
			limited++
			if s, err := strconv.Atoi(resp.Header.Get("Retry-After")); err != nil || s < 1 {
				t.Errorf("guess %d: 429 with Retry-After %q", i+1, resp.Header.Get("Retry-After"))
			}
		default:
			t.Fatalf("guess %d: %d", i+1, resp.StatusCode)
		}
	}
	if limited == 0 {
		t.Error("20 wrong guesses from one address were never limited")
	}
	resp := submitLogin(t, inst.URL, victimAddr, url.Values{"email": {"risk@trust.example"}, "password": {testPassword}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("victim's own login after the guessing: %d", resp.StatusCode)
	}
	// The guesser is still limited even with the right password.
	resp = submitLogin(t, inst.URL, attackerAddr, url.Values{"email": {"risk@trust.example"}, "password": {testPassword}})
	if resp.StatusCode != http.StatusTooManyRequests {
		t.Errorf("guesser's address after 20 failures: %d", resp.StatusCode)
	}
}

// A refused attempt is refused before its password is hashed: guessing
// that is already limited costs the server no argon2 work.
func TestLimitedLoginDoesNotHash(t *testing.T) {
	inst := instancetest.Start(t, store.SQLite)
	trust := inst.AddOrg(t, orgs.NewOrg{Username: "trust", Name: "The Trust"})
	addAccount(t, inst, "risk@trust.example", "author", trust)
	for {
		resp := submitLogin(t, inst.URL, attackerAddr, url.Values{"email": {"risk@trust.example"}, "password": {"wrong"}})
		if resp.StatusCode == http.StatusTooManyRequests {
			break
		}
	}
	before := accounts.PasswordHashes().Total
	for range 5 {
		if resp := submitLogin(t, inst.URL, attackerAddr, url.Values{"email": {"risk@trust.example"}, "password": {"wrong"}}); resp.StatusCode != http.StatusTooManyRequests {
			t.Fatalf("limited attempt: %d", resp.StatusCode)
		}
	}
	if n := accounts.PasswordHashes().Total - before; n != 0 {
		t.Errorf("5 limited attempts hashed %d times", n)
	}
}

// Many logins at once queue for the argon2 slots instead of each taking
// ~19 MiB at the same time.
func TestConcurrentLoginsBoundHashing(t *testing.T) {
	inst := instancetest.Start(t, store.SQLite)
	trust := inst.AddOrg(t, orgs.NewOrg{Username: "trust", Name: "The Trust"})
	addAccount(t, inst, "risk@trust.example", "author", trust)
	limit := int64(accounts.MaxConcurrentHashes())
	before := accounts.PasswordHashes().Total
	var wg sync.WaitGroup
	codes := make(chan int, 20)
	for i := range 20 {
		wg.Go(func() {
			from := net.IPv4(127, 0, 1, byte(i+1))
			codes <- submitLogin(t, inst.URL, from, url.Values{"email": {"risk@trust.example"}, "password": {testPassword}}).StatusCode
		})
	}
	wg.Wait()
	close(codes)
	for c := range codes {
		if c != http.StatusSeeOther && c != http.StatusServiceUnavailable {
			t.Errorf("parallel login: %d", c)
		}
	}
	st := accounts.PasswordHashes()
	if st.Total-before < limit {
		t.Errorf("only %d hashes for 20 logins", st.Total-before)
	}
	if st.Peak > limit {
		t.Errorf("%d argon2 hashes ran at once; the limit is %d", st.Peak, limit)
	}
}
