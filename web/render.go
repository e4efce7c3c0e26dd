package web

import (
	"bytes"
	"fmt"
	"io/fs"
	"net/http"
	"path"
	"strconv"
	"strings"
	"time"

	template "github.com/DataDog/datadog-agent/pkg/template/html"
)

// page is what every template gets: the page's own data plus what the
// layout needs for <title>, Open Graph tags and the header.
type page struct {
	Title       string
	Description string
	URL         string // canonical URL, for og:url
	// Creator is the handle (@user@host) of the organisation a page is by,
	// for fediverse:creator, so Mastodon's link previews credit it. Empty
	// on pages with no single author (the timeline, the events list).
	Creator  string
	SiteHost string
	Data     any

	// Filled in by render for the layout.
	SiteName string  // the site's name (internal/site), in the header and titles
	SiteLogo string  // the logo's address, or ""
	DocTitle string  // what <title> says: "Page — Site", or the site's name alone
	Viewer   *viewer // who is logged in; nil for readers
	LoginURL string  // the footer's log-in link, coming back to this page
	NavHref  string  // the header link this page is under (nav_current.go)
	NavExact bool    // this page is NavHref itself
}

// funcs are the templates' helpers. The template package is a copy of
// html/template that cannot call methods (a template calling methods makes
// the linker keep every exported method of every type, which doubled the
// binary with go-fed's vocabulary), so what needs a method is a function here.
var funcs = template.FuncMap{
	"count":      count,
	"timeFormat": func(t time.Time, layout string) string { return t.Format(layout) },
	"timeIsZero": func(t time.Time) bool { return t.IsZero() },
}

// count writes a number with its noun, singular for exactly one:
// "1 comment", "0 comments", "2 boosts".
func count(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return strconv.Itoa(n) + " " + noun + "s"
}

// parsePages parses every template but the layout as a page of its own,
// each with the layout around it.
func parsePages() (map[string]*template.Template, error) {
	files, err := fs.Glob(templateFiles, "templates/*.html")
	if err != nil {
		return nil, err
	}
	pages := make(map[string]*template.Template, len(files))
	for _, file := range files {
		name := strings.TrimSuffix(path.Base(file), ".html")
		if name == "layout" {
			continue
		}
		t, err := template.New("layout.html").Funcs(funcs).ParseFS(templateFiles, "templates/layout.html", "templates/*.partial.html", "templates/"+name+".html")
		if err != nil {
			return nil, fmt.Errorf("parse template %s: %w", name, err)
		}
		pages[name] = t
	}
	return pages, nil
}

// render executes a page into a buffer first, so a template error becomes a
// clean 500 rather than half a page.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, name string, p page) {
	p.SiteHost = s.Layout.Host()
	id := s.siteIdentity(r)
	p.SiteName, p.SiteLogo, p.DocTitle = id.Name, id.LogoURL, docTitle(p.Title, id.Name)
	if p.Description == "" {
		p.Description = id.Description
	}
	p.Viewer = s.viewerOf(w, r)
	p.LoginURL = loginURL(r)
	p.NavHref, p.NavExact = navCurrent(r.URL.Path)
	var buf bytes.Buffer
	if err := s.pages[name].Execute(&buf, p); err != nil {
		s.Log.Error("render page", "page", name, "err", err)
		http.Error(w, "internal server error", http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Vary", "Accept")
	h.Add("Vary", "Cookie") // the header differs for people logged in
	if p.Viewer != nil {
		h.Set("Cache-Control", "private, no-store")
	}
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "same-origin")
	w.WriteHeader(status)
	if r.Method != http.MethodHead {
		_, _ = buf.WriteTo(w)
	}
}

func (s *Server) notFound(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusNotFound, "error", page{
		Title: "Not found", Description: "There is nothing at this address.",
		Data: map[string]string{"Heading": "Not found", "Text": "There is nothing at this address. It may have been moved or never existed."},
	})
}

func (s *Server) serverError(w http.ResponseWriter, r *http.Request, err error) {
	s.Log.Error("page failed", "path", r.URL.Path, "err", err)
	s.render(w, r, http.StatusInternalServerError, "error", page{
		Title: "Something went wrong",
		Data:  map[string]string{"Heading": "Something went wrong", "Text": "The server could not show this page. Please try again in a moment."},
	})
}
