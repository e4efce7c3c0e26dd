package gotosocial

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// Client acts as one GoToSocial user through the client API, as a person's
// app would.
type Client struct {
	t        testing.TB
	peer     *Peer
	token    string
	Username string
	ID       string // the user's own account id
}

// Account is the part of a client-API account the tests read.
type Account struct {
	ID       string `json:"id"`
	Username string `json:"username"`
	Acct     string `json:"acct"`
	URL      string `json:"url"`
	Locked   bool   `json:"locked"`
}

// Status is the part of a client-API status the tests read.
type Status struct {
	ID              string  `json:"id"`
	URI             string  `json:"uri"`
	URL             string  `json:"url"`
	Content         string  `json:"content"`
	SpoilerText     string  `json:"spoiler_text"`
	Visibility      string  `json:"visibility"`
	InReplyToID     string  `json:"in_reply_to_id"`
	EditedAt        *string `json:"edited_at"`
	Account         Account `json:"account"`
	Reblog          *Status `json:"reblog"`
	FavouritesCount int     `json:"favourites_count"`
	ReblogsCount    int     `json:"reblogs_count"`
}

// Relationship is how the user stands with another account.
type Relationship struct {
	ID         string `json:"id"`
	Following  bool   `json:"following"`
	Requested  bool   `json:"requested"`
	FollowedBy bool   `json:"followed_by"`
	Blocking   bool   `json:"blocking"`
}

// do sends one client-API request and decodes a 2xx answer into out. It
// returns the status code; a non-2xx answer is not decoded.
func (c *Client) do(method, path string, form url.Values, out any) int {
	c.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, c.peer.URL+path, body)
	if err != nil {
		c.t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+c.token)
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	hc := &http.Client{Timeout: 30 * time.Second}
	resp, err := hc.Do(req)
	if err != nil {
		c.t.Fatalf("GoToSocial %s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		c.t.Fatalf("GoToSocial %s %s: read: %v", method, path, err)
	}
	if resp.StatusCode/100 == 2 && out != nil {
		if err := json.Unmarshal(b, out); err != nil {
			c.t.Fatalf("GoToSocial %s %s: %v\n%s", method, path, err, b)
		}
	}
	return resp.StatusCode
}

// must is do for calls that have to succeed.
func (c *Client) must(method, path string, form url.Values, out any) {
	c.t.Helper()
	if code := c.do(method, path, form, out); code/100 != 2 {
		c.t.Fatalf("GoToSocial %s %s answered %d%s", method, path, code, c.peer.LogTail(15))
	}
}

func (c *Client) verify() string {
	c.t.Helper()
	var a Account
	c.must("GET", "/api/v1/accounts/verify_credentials", nil, &a)
	return a.ID
}

// Handle is the user's @name@host.
func (c *Client) Handle() string { return c.peer.Handle(c.Username) }

// ActorURL is the user's ActivityPub id.
func (c *Client) ActorURL() string { return c.peer.ActorURL(c.Username) }

// ResolveAccount searches for a handle or URL with resolve=true, as a person
// pasting @org@host into the search box does, and returns the account.
func (c *Client) ResolveAccount(q string) (Account, bool) {
	c.t.Helper()
	var res struct{ Accounts []Account }
	v := url.Values{"q": {q}, "resolve": {"true"}, "type": {"accounts"}}
	if code := c.do("GET", "/api/v2/search?"+v.Encode(), nil, &res); code != http.StatusOK || len(res.Accounts) == 0 {
		return Account{}, false
	}
	return res.Accounts[0], true
}

// ResolveStatus looks a post up by its URL, fetching it if need be.
func (c *Client) ResolveStatus(u string) (Status, bool) {
	c.t.Helper()
	var res struct{ Statuses []Status }
	v := url.Values{"q": {u}, "resolve": {"true"}, "type": {"statuses"}}
	if code := c.do("GET", "/api/v2/search?"+v.Encode(), nil, &res); code != http.StatusOK || len(res.Statuses) == 0 {
		return Status{}, false
	}
	return res.Statuses[0], true
}

// Follow asks to follow an account and returns the relationship after.
func (c *Client) Follow(accountID string) Relationship {
	c.t.Helper()
	var r Relationship
	c.must("POST", "/api/v1/accounts/"+accountID+"/follow", url.Values{}, &r)
	return r
}

// Unfollow withdraws a follow or a request.
func (c *Client) Unfollow(accountID string) {
	c.t.Helper()
	c.must("POST", "/api/v1/accounts/"+accountID+"/unfollow", url.Values{}, nil)
}

// Relationship reports how the user stands with an account.
func (c *Client) Relationship(accountID string) Relationship {
	c.t.Helper()
	var rs []Relationship
	c.must("GET", "/api/v1/accounts/relationships?"+url.Values{"id[]": {accountID}}.Encode(), nil, &rs)
	if len(rs) != 1 {
		c.t.Fatalf("relationships: %d answers", len(rs))
	}
	return rs[0]
}

// Followers lists the accounts following one account.
func (c *Client) Followers(accountID string) []Account {
	c.t.Helper()
	var as []Account
	c.must("GET", "/api/v1/accounts/"+accountID+"/followers?limit=80", nil, &as)
	return as
}

// HomeTimeline returns the user's home timeline, newest first, each status
// once: GoToSocial's client API can list one status twice.
func (c *Client) HomeTimeline() []Status {
	c.t.Helper()
	var ss []Status
	c.must("GET", "/api/v1/timelines/home?limit=80", nil, &ss)
	seen := make(map[string]bool)
	out := ss[:0]
	for _, s := range ss {
		if !seen[s.ID] {
			seen[s.ID] = true
			out = append(out, s)
		}
	}
	return out
}

// Status fetches one status by id; ok is false when it answers 404.
func (c *Client) Status(id string) (Status, bool) {
	c.t.Helper()
	var s Status
	switch code := c.do("GET", "/api/v1/statuses/"+id, nil, &s); code {
	case http.StatusOK:
		return s, true
	case http.StatusNotFound:
		return Status{}, false
	default:
		c.t.Fatalf("GoToSocial GET status %s answered %d", id, code)
		return Status{}, false
	}
}

// Post publishes a public status; inReplyTo is a status id or "".
func (c *Client) Post(text, inReplyTo string) Status {
	c.t.Helper()
	form := url.Values{"status": {text}, "visibility": {"public"}}
	if inReplyTo != "" {
		form.Set("in_reply_to_id", inReplyTo)
	}
	var s Status
	c.must("POST", "/api/v1/statuses", form, &s)
	return s
}

// Edit replaces a status's text.
func (c *Client) Edit(id, text string) Status {
	c.t.Helper()
	var s Status
	c.must("PUT", "/api/v1/statuses/"+id, url.Values{"status": {text}}, &s)
	return s
}

// Delete removes a status.
func (c *Client) Delete(id string) {
	c.t.Helper()
	c.must("DELETE", "/api/v1/statuses/"+id, nil, nil)
}

// Favourite, Unfavourite, Reblog and Unreblog act on a status.
func (c *Client) Favourite(id string)   { c.act(id, "favourite") }
func (c *Client) Unfavourite(id string) { c.act(id, "unfavourite") }
func (c *Client) Reblog(id string)      { c.act(id, "reblog") }
func (c *Client) Unreblog(id string)    { c.act(id, "unreblog") }

func (c *Client) act(id, what string) {
	c.t.Helper()
	c.must("POST", fmt.Sprintf("/api/v1/statuses/%s/%s", id, what), url.Values{}, nil)
}
