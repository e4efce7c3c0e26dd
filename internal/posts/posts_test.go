package posts_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"github.com/commonplace-social/commonplace/internal/iri"
	"github.com/commonplace-social/commonplace/internal/model"
	"github.com/commonplace-social/commonplace/internal/orgs"
	"github.com/commonplace-social/commonplace/internal/posts"
	"github.com/commonplace-social/commonplace/internal/store"
	"github.com/commonplace-social/commonplace/internal/store/storetest"
)

var ctx = context.Background()

// queued records what the use cases hand to the federation layer, which is
// tested with real servers in cmd/commonplace/instance.
type queued struct {
	mu  sync.Mutex
	out []model.Outgoing
}

func (q *queued) SendTx(_ context.Context, _ bun.Tx, o model.Outgoing) error {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.out = append(q.out, o)
	return nil
}

func setup(t *testing.T, st *store.Store) (*posts.Service, *queued, *model.Actor) {
	t.Helper()
	org, err := (&orgs.Service{Store: st}).Create(ctx, orgs.NewOrg{Username: "hscleeds", Name: "HSC Leeds"})
	if err != nil {
		t.Fatal(err)
	}
	q := &queued{}
	return &posts.Service{Store: st, Layout: iri.New("https://hsc.example"), Send: q}, q, org
}

func event(t *testing.T) model.Event {
	loc, _ := time.LoadLocation("Europe/London")
	start := time.Date(2013, 9, 10, 18, 30, 0, 0, loc)
	return model.Event{StartTime: start, EndTime: start.Add(2 * time.Hour), TimeZone: "Europe/London", Venue: "Tech North", Address: "Chapel Allerton, Leeds"}
}

func TestPublishEditDelete(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		svc, q, org := setup(t, st)
		p, err := svc.Publish(ctx, org, posts.Draft{Kind: model.KindEvent, Title: "Tweet Meet", Body: "Cake and #HSCLeeds talk. <script>x</script>", Event: event(t)})
		if err != nil {
			t.Fatal(err)
		}
		if len(q.out) != 1 || q.out[0].Type != "Create" || !q.out[0].ToFollowers || q.out[0].Post.ID != p.ID {
			t.Fatalf("queued %+v", q.out)
		}
		if strings.Contains(p.ContentHTML, "<script") || !strings.Contains(p.ContentHTML, `href="https://hsc.example/tags/HSCLeeds"`) {
			t.Errorf("html = %s", p.ContentHTML)
		}
		if !strings.Contains(p.Summary, "Tuesday 10 September 2013") || !strings.Contains(p.Summary, "Tech North") {
			t.Errorf("event summary = %q", p.Summary)
		}
		found, err := svc.Find(ctx, "https://hsc.example/users/hscleeds/posts/"+p.Token)
		if err != nil || found.ID != p.ID {
			t.Fatalf("Find by URL: %v, %v", found, err)
		}
		edited, err := svc.Edit(ctx, found, posts.Draft{Title: "Tweet Meet (moved)", Body: "Now upstairs.", Event: event(t)})
		if err != nil {
			t.Fatal(err)
		}
		if q.out[1].Type != "Update" || edited.Updated.IsZero() || !edited.Updated.After(edited.Published) || q.out[1].ID == q.out[0].ID {
			t.Errorf("edit: %+v", q.out[1])
		}
		if _, err := svc.Edit(ctx, found, posts.Draft{Kind: model.KindUpdate, Body: "x"}); model.ErrorCode(err) != model.EInvalid {
			t.Errorf("changing kind: %v", err)
		}
		if err := svc.Delete(ctx, found); err != nil {
			t.Fatal(err)
		}
		if q.out[2].Type != "Delete" {
			t.Errorf("delete queued %s", q.out[2].Type)
		}
		if err := svc.Delete(ctx, found); model.ErrorCode(err) != model.ENotFound {
			t.Errorf("deleting twice: %v", err)
		}
		if _, err := svc.Find(ctx, "https://elsewhere.example/users/hscleeds/posts/"+p.Token); model.ErrorCode(err) != model.ENotFound {
			t.Errorf("Find of another server's URL: %v", err)
		}
	})
}

func TestPublishRefusesBadDrafts(t *testing.T) {
	st := storetest.Open(t, store.SQLite)
	svc, q, org := setup(t, st)
	ev := event(t)
	noEnd := ev
	noEnd.EndTime = time.Time{}
	backwards := ev
	backwards.EndTime = ev.StartTime.Add(-time.Hour)
	badZone := ev
	badZone.TimeZone = "Leeds/Chapeltown"
	nowhere := ev
	nowhere.Venue = ""
	badLink := ev
	badLink.OnlineURL = "javascript:alert(1)"
	cases := map[string]posts.Draft{
		"unknown kind":           {Kind: "essay", Title: "x", Body: "x"},
		"note without title":     {Kind: model.KindMeetupNote, Body: "x"},
		"empty body":             {Kind: model.KindUpdate, Body: "  \n"},
		"long summary":           {Kind: model.KindUpdate, Body: "x", Summary: strings.Repeat("a", 501)},
		"topic on a note":        {Kind: model.KindMeetupNote, Title: "x", Body: "x", Topic: "t"},
		"event without end":      {Kind: model.KindEvent, Title: "x", Body: "x", Event: noEnd},
		"event ending early":     {Kind: model.KindEvent, Title: "x", Body: "x", Event: backwards},
		"unknown zone":           {Kind: model.KindEvent, Title: "x", Body: "x", Event: badZone},
		"no venue or link":       {Kind: model.KindEvent, Title: "x", Body: "x", Event: nowhere},
		"javascript online link": {Kind: model.KindEvent, Title: "x", Body: "x", Event: badLink},
		"event fields on update": {Kind: model.KindUpdate, Body: "x", Event: ev},
	}
	for name, d := range cases {
		if _, err := svc.Publish(ctx, org, d); model.ErrorCode(err) != model.EInvalid {
			t.Errorf("%s: %v, want invalid", name, err)
		}
	}
	if len(q.out) != 0 {
		t.Errorf("%d activities queued for refused drafts", len(q.out))
	}
	if n, _ := st.CountOutboxPosts(ctx, org.ID); n != 0 {
		t.Errorf("%d posts stored from refused drafts", n)
	}
}
