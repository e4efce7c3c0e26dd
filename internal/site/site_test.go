package site_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/commonplace-social/commonplace/internal/model"
	"github.com/commonplace-social/commonplace/internal/orgs"
	"github.com/commonplace-social/commonplace/internal/site"
	"github.com/commonplace-social/commonplace/internal/store"
	"github.com/commonplace-social/commonplace/internal/store/storetest"
)

var bg = context.Background()

func ptr(s string) *string { return &s }

// Until an admin names the site it is called after the domain, then after
// its oldest organisation; a name set wins, and clearing it restores the
// default.
func TestNameFallsBackToFirstOrganisationThenDomain(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		svc := &site.Service{Store: st, CacheFor: time.Hour}
		if id, err := svc.Identity(bg); err != nil || id.Name != "Commonplace" || id.Description != site.DefaultDescription {
			t.Fatalf("never served: %+v %v", id, err)
		}
		if _, err := st.SetSettingOnce(bg, "base_url", "https://care.example"); err != nil {
			t.Fatal(err)
		}
		if id, _ := svc.Identity(bg); id.Name != "care.example" {
			t.Errorf("served, no organisation: %q", id.Name)
		}
		// The domain is not cached: the first organisation names the site at once.
		o := &orgs.Service{Store: st}
		for _, n := range []orgs.NewOrg{{Username: "hospice", Name: "St Gemma's Hospice"}, {Username: "trust", Name: "The Trust"}} {
			if _, err := o.Create(bg, n); err != nil {
				t.Fatal(err)
			}
		}
		if id, _ := svc.Identity(bg); id.Name != "St Gemma's Hospice" {
			t.Errorf("with organisations: %q", id.Name)
		}
		if err := svc.Update(bg, site.Changes{Name: ptr("  Leeds Care Network "), Description: ptr("Notes from Leeds.")}); err != nil {
			t.Fatal(err)
		}
		id, _ := svc.Identity(bg)
		if id.Name != "Leeds Care Network" || id.Description != "Notes from Leeds." || id.Stored.Name != "Leeds Care Network" {
			t.Errorf("after setting: %+v", id)
		}
		// Another service (another process) sees it from the database.
		if id, _ := (&site.Service{Store: st}).Identity(bg); id.Name != "Leeds Care Network" {
			t.Errorf("second reader: %q", id.Name)
		}
		if err := svc.Update(bg, site.Changes{Name: ptr("")}); err != nil {
			t.Fatal(err)
		}
		if id, _ := svc.Identity(bg); id.Name != "St Gemma's Hospice" || id.Description != "Notes from Leeds." {
			t.Errorf("after clearing the name: %+v", id)
		}
	})
}

func TestUpdateRefusesWhatPagesCannotShow(t *testing.T) {
	st := storetest.Open(t, store.SQLite)
	svc := &site.Service{Store: st}
	for _, c := range []struct {
		change site.Changes
		want   string
	}{
		{site.Changes{Name: ptr("two\nlines")}, "one line"},
		{site.Changes{Name: ptr(strings.Repeat("n", site.MaxName+1))}, "keep it to 80"},
		{site.Changes{ContactEmail: ptr("not an address")}, "is not an email address"},
		{site.Changes{ContactEmail: ptr("Team <team@care.example>")}, "is not an email address"},
		{site.Changes{LogoURL: ptr("javascript:alert(1)")}, "logo must be a picture kept on this site"},
		{site.Changes{LogoURL: ptr("//evil.example/logo.png")}, "logo must be a picture"},
		{site.Changes{LogoURL: ptr("https://care.example/logo.png")}, "logo must be a picture"},
		{site.Changes{About: ptr(strings.Repeat("a", site.MaxPage+1))}, "about page is"},
	} {
		err := svc.Update(bg, c.change)
		if model.ErrorCode(err) != model.EInvalid || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%+v: %v, want an invalid-input error saying %q", c.change, err, c.want)
		}
	}
	// A refused change leaves everything as it was, even fields that were fine.
	_ = svc.Update(bg, site.Changes{Name: ptr("Fine"), ContactEmail: ptr("nope")})
	if s, _ := svc.Stored(bg); s != (site.Settings{}) {
		t.Errorf("a refused update stored %+v", s)
	}
	if err := svc.Update(bg, site.Changes{LogoURL: ptr("/media/logo.png"), ContactEmail: ptr("access@care.example")}); err != nil {
		t.Errorf("a path on the site and a plain address: %v", err)
	}
}

// Unset pages get our default text naming the site and its contact; set
// pages are the admin's Markdown, rendered and sanitised.
func TestPages(t *testing.T) {
	st := storetest.Open(t, store.Postgres)
	svc := &site.Service{Store: st}
	if err := svc.Update(bg, site.Changes{Name: ptr("Leeds Care Network"), ContactEmail: ptr("access@care.example"),
		About: ptr("## Who we are\n\nWe meet on *Tuesdays*. <script>alert(1)</script> [x](javascript:alert(1))")}); err != nil {
		t.Fatal(err)
	}
	a, err := svc.Page(bg, site.About)
	if err != nil {
		t.Fatal(err)
	}
	if a.Default || !strings.Contains(a.HTML, "<h2") || !strings.Contains(a.HTML, "<em>Tuesdays</em>") ||
		strings.Contains(a.HTML, "<script") || strings.Contains(a.HTML, "javascript:") {
		t.Errorf("about page: %+v", a)
	}
	acc, err := svc.Page(bg, site.Accessibility)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"WCAG", "2.2", "AA", "Leeds Care Network", `href="mailto:access@care.example"`} {
		if !acc.Default || !strings.Contains(acc.HTML, want) {
			t.Errorf("default accessibility page lacks %q: %+v", want, acc)
		}
	}
	if p, _ := svc.Page(bg, site.Privacy); !p.Default || !strings.Contains(p.HTML, "mailto:access@care.example") {
		t.Errorf("default privacy page: %+v", p)
	}
}
