package browserjourneys_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/commonplace-social/commonplace/cmd/commonplace/instance/browsertest"
	"github.com/commonplace-social/commonplace/cmd/commonplace/instance/instancetest"
	"github.com/commonplace-social/commonplace/internal/accounts"
	"github.com/commonplace-social/commonplace/internal/model"
	networks "github.com/commonplace-social/commonplace/internal/network"
	"github.com/commonplace-social/commonplace/internal/orgs"
	"github.com/commonplace-social/commonplace/internal/posts"
	"github.com/commonplace-social/commonplace/internal/store"
)

// a11ySite is an instance holding something of everything the pages show,
// like the demo network: organisations, a post of every kind, an upcoming
// event with booking and online links, comments, tags, a remote
// organisation's post in the timeline, a follow request waiting and a block.
type a11ySite struct {
	*instancetest.Running
	// vars fill the {placeholders} of the page list's paths.
	vars *strings.Replacer
}

const (
	a11yAuthor = "author@sociable.example"
	a11yAdmin  = "admin@sociable.example"
)

// startA11ySite starts the instance with its two organisations, an author
// and an admin, and nothing else yet: the empty states are checked first.
func startA11ySite(t *testing.T) *a11ySite {
	t.Helper()
	a := instancetest.Start(t, store.SQLite)
	network := a.AddOrg(t, orgs.NewOrg{Username: "hscleeds", Name: "The Sociable Organisation", ManuallyApprovesFollowers: true,
		Summary: "Notes, guidance and events of the #HSCLeeds network of health and social care communicators in Leeds."})
	a.AddOrg(t, orgs.NewOrg{Username: "volition", Name: "Volition",
		Summary: "Mental-health charities in Leeds, working together."})
	instancetest.AddAccount(t, a, a11yAuthor, "author", network)
	instancetest.AddAccount(t, a, a11yAdmin, "admin", network)
	// A network, empty until seed adds its members.
	if _, err := a.Networks.Create(bg, networks.NewNetwork{Username: "leeds", Name: "Leeds Health and Care",
		Summary: "Health and social care organisations in Leeds, in one place."}); err != nil {
		t.Fatal(err)
	}
	return &a11ySite{Running: a, vars: strings.NewReplacer()}
}

// seed fills the site with something of everything.
func (s *a11ySite) seed(t *testing.T) {
	t.Helper()
	a := s.Running
	network, err := a.Store.LocalActor(bg, "hscleeds")
	if err != nil {
		t.Fatal(err)
	}
	charity, err := a.Store.LocalActor(bg, "volition")
	if err != nil {
		t.Fatal(err)
	}
	published := map[string]*model.Post{}
	for kind, d := range instancetest.DemoDrafts(t) {
		p, err := a.Posts.Publish(bg, network, d)
		if err != nil {
			t.Fatalf("publish %s: %v", kind, err)
		}
		published[kind] = p
	}
	start := time.Date(time.Now().Year()+1, 3, 10, 18, 30, 0, 0, time.UTC)
	upcoming, err := a.Posts.Publish(bg, charity, posts.Draft{Kind: model.KindEvent, Title: "Peer support open evening",
		Body: "Come and meet the peer-support volunteers. Tea and biscuits provided. #MentalHealth",
		Event: model.Event{StartTime: start, EndTime: start.Add(2 * time.Hour), TimeZone: "Europe/London",
			Venue: "Volition office", Address: "Leeds LS1", OnlineURL: "https://meet.example/volition-open-evening",
			BookingURL: "https://tickets.example/volition"}})
	if err != nil {
		t.Fatalf("publish upcoming event: %v", err)
	}

	// A remote organisation on a second instance, followed by the network,
	// so its post shows in the combined timeline.
	b := instancetest.Start(t, store.SQLite)
	hospice := b.AddOrg(t, orgs.NewOrg{Username: "stgemmas", Name: "St Gemma's Hospice"})
	target, err := a.Fetcher.Resolve(bg, "@stgemmas@"+b.Domain)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.Follows.Follow(bg, network, target); err != nil {
		t.Fatal(err)
	}
	instancetest.Eventually(t, wait, "the network's follow of the hospice", func() bool { return instancetest.Counts(t, a, network).Following == 1 })
	if _, err := b.Posts.Publish(bg, hospice, posts.Draft{Kind: model.KindMeetupNote, Title: "Volunteers' week at the hospice",
		Body: "Thank you to the 300 volunteers who keep the hospice going. #HSCLeeds"}); err != nil {
		t.Fatal(err)
	}
	instancetest.Eventually(t, wait, "the hospice's post on A", func() bool {
		for _, p := range instancetest.Timeline(t, a) {
			if !p.Local {
				return true
			}
		}
		return false
	})

	// Comments from a remote person under the event, and a follow request
	// from them waiting for the network's approval.
	alice := instancetest.NewRemote(t, instancetest.RemoteOptions{Username: "alice"})
	eventURL := a.URL + "/users/hscleeds/posts/" + published[model.KindEvent].Token
	for i, text := range []string{"See you there! I will bring a lemon drizzle.", "Is there step-free access at Tech North?"} {
		reply := map[string]any{"@context": "https://www.w3.org/ns/activitystreams", "id": fmt.Sprintf("%s/statuses/%d/activity", alice.ActorID, i),
			"type": "Create", "actor": alice.ActorID, "to": []any{"https://www.w3.org/ns/activitystreams#Public"},
			"object": map[string]any{"id": fmt.Sprintf("%s/statuses/%d", alice.ActorID, i), "type": "Note", "attributedTo": alice.ActorID,
				"inReplyTo": eventURL, "content": "<p>" + text + "</p>"}}
		if status, msg := alice.Send(t, a.URL+"/inbox", reply); status != http.StatusAccepted {
			t.Fatalf("reply: %d %s", status, msg)
		}
	}
	if status, msg := alice.Send(t, a.URL+"/inbox", alice.Follow(a.URL+"/users/hscleeds")); status != http.StatusAccepted {
		t.Fatalf("follow: %d %s", status, msg)
	}
	instancetest.Eventually(t, wait, "the comments and the follow request", func() bool {
		p, err := a.Posts.Find(bg, eventURL)
		pending, perr := a.Follows.Pending(bg, network)
		return err == nil && p.ReplyCount == 2 && perr == nil && len(pending) == 1
	})
	if _, err := a.Blocks.BlockDomain(bg, "spam.example", "sent hundreds of advertising replies"); err != nil {
		t.Fatal(err)
	}
	s.seedNetwork(t, "@stgemmas@"+b.Domain, alice)

	// An invitation waiting to be used, one that expired, and a post the
	// author scheduled for next month.
	invited, err := (&accounts.Service{Store: a.Store}).Invite(bg, network, "new@sociable.example", "author", accounts.DefaultValidity)
	if err != nil {
		t.Fatal(err)
	}
	monthAgo := &accounts.Service{Store: a.Store, Now: func() time.Time { return time.Now().Add(-30 * 24 * time.Hour) }}
	expired, err := monthAgo.Invite(bg, network, "late@sociable.example", "author", accounts.Validity(24*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	author, err := a.Store.AccountByEmail(bg, a11yAuthor)
	if err != nil {
		t.Fatal(err)
	}
	london, err := time.LoadLocation("Europe/London")
	if err != nil {
		t.Fatal(err)
	}
	scheduled, err := a.Posts.Schedule(bg, network, author.ID, posts.Draft{Kind: model.KindMeetupNote, Title: "Notes from next month's Tweet Meet",
		Body: "Written ahead, published when the meet ends. #HSCLeeds"}, time.Now().In(london).Add(30*24*time.Hour).Truncate(time.Minute))
	if err != nil {
		t.Fatal(err)
	}

	note := "/users/hscleeds/posts/" + published[model.KindMeetupNote].Token
	s.vars = strings.NewReplacer(
		"{note}", note,
		"{guidance}", "/users/hscleeds/posts/"+published[model.KindGuidance].Token,
		"{event}", "/users/hscleeds/posts/"+published[model.KindEvent].Token,
		"{update}", "/users/hscleeds/posts/"+published[model.KindUpdate].Token,
		"{upcoming}", "/users/volition/posts/"+upcoming.Token,
		"{note-url}", url.QueryEscape(a.URL+note),
		"{invite}", invited.Link.Token,
		"{expired}", expired.Link.Token,
		"{scheduled}", scheduled.Token,
		"{remote}", url.QueryEscape("@stgemmas@"+b.Domain),
	)
}

// login signs in through the login form in the browser session ctx.
func (s *a11ySite) login(t *testing.T, ctx context.Context, email string) {
	t.Helper()
	browsertest.Do(t, ctx,
		chromedp.Navigate(s.URL+"/login"),
		chromedp.SendKeys("#email", email),
		chromedp.SendKeys("#password", instancetest.TestPassword),
		chromedp.Click(`form[action="/login"] button[type="submit"]`),
		// Authors land on the compose form, admins on /admin: both show Log out.
		chromedp.WaitVisible("form.logout"),
	)
}

// seedNetwork makes the network's members both organisations here and the
// remote hospice, with the remote person alice asking to join.
func (s *a11ySite) seedNetwork(t *testing.T, hospice string, alice *instancetest.Remote) {
	t.Helper()
	n, err := s.Networks.Get(bg, "leeds")
	if err != nil {
		t.Fatal(err)
	}
	for _, ref := range []string{"hscleeds", "volition", hospice} {
		if _, err := s.Networks.AddMember(bg, n, ref); err != nil {
			t.Fatalf("add %s to the network: %v", ref, err)
		}
	}
	asker, err := s.Fetcher.Resolve(bg, alice.Handle())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Store.AddNetworkMember(bg, s.Store.DB, n.ID, asker.ID, model.NetworkStateRequested); err != nil {
		t.Fatal(err)
	}
}
