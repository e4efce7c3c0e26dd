package web

import (
	"errors"
	"html/template"
	"net/http"
	"net/url"
	"sync"
	"time"

	"github.com/gorilla/csrf"

	"github.com/commonplace-social/commonplace/internal/accounts"
	"github.com/commonplace-social/commonplace/internal/site"
	"github.com/commonplace-social/commonplace/internal/store"
)

// siteCacheFor is how long pages reuse the site's identity before reading it
// again; a change made here shows at once, one made by the CLI within this.
const siteCacheFor = 5 * time.Second

// identity is what every page's frame needs besides the page itself: the
// site's name and logo, and who is looking. It is built on first use, so
// New and its callers need not know about it.
type identity struct {
	once     sync.Once
	site     *site.Service
	accounts *accounts.Service
	protect  func(http.Handler) http.Handler
}

func (s *Server) identity() *identity {
	s.ident.once.Do(func() {
		s.ident.site = &site.Service{Store: s.Store, CacheFor: siteCacheFor}
		s.ident.accounts = &accounts.Service{Store: s.Store}
		s.ident.protect = s.csrfProtect()
	})
	return &s.ident
}

// sessionCookieName is the login cookie's name. Over https the __Host-
// prefix makes browsers refuse it unless it is Secure, host-only and for
// Path=/.
func sessionCookieName(secure bool) string {
	if secure {
		return "__Host-commonplace_session"
	}
	return "commonplace_session"
}

// viewer is the logged-in person as the layout sees them. Readers have none.
type viewer struct {
	Email string
	Staff bool          // writes for at least one organisation: sees Write
	Admin bool          // sees Admin
	CSRF  template.HTML // the Log out form's hidden token field
}

// viewerOf finds who is looking: the account the writing pages loaded, or,
// on reading pages (which carry no login state), the session cookie's. Only
// a request that has the cookie costs a query. A broken lookup shows the
// page as a reader would see it rather than failing it.
func (s *Server) viewerOf(w http.ResponseWriter, r *http.Request) *viewer {
	a := s.viewer(r)
	if a == nil {
		return nil
	}
	return &viewer{Email: a.Email, Staff: len(a.Orgs) > 0 || a.IsAdmin(), Admin: a.IsAdmin(), CSRF: s.csrfToken(w, r)}
}

// viewer is the logged-in account reading a page, or nil: the account the
// writing pages loaded, or, on reading pages (which carry no login state),
// the session cookie's. Only a request with the cookie costs a query; an
// unknown, expired or unreadable session is simply a visitor.
func (s *Server) viewer(r *http.Request) *accounts.Account {
	if a := account(r); a != nil {
		return a
	}
	c, err := r.Cookie(s.sessionCookie())
	if err != nil || c.Value == "" {
		return nil
	}
	a, err := s.identity().accounts.Session(r.Context(), c.Value)
	if err != nil {
		if !errors.Is(err, store.ErrNotFound) {
			s.Log.Warn("page: session lookup failed", "err", err)
		}
		return nil
	}
	return a
}

// csrfToken is the hidden CSRF field for a form on this page. Pages behind
// the CSRF middleware have a token already; on reading pages the middleware
// is run here, for logged-in people only, so readers never get a CSRF cookie.
func (s *Server) csrfToken(w http.ResponseWriter, r *http.Request) template.HTML {
	if csrf.Token(r) != "" {
		return csrf.TemplateField(r)
	}
	var field template.HTML
	s.identity().protect(http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) {
		field = csrf.TemplateField(r)
	})).ServeHTTP(w, r)
	return field
}

// siteIdentity is the site's name and logo for the frame; if the settings
// cannot be read the domain stands in, so a page still renders.
func (s *Server) siteIdentity(r *http.Request) site.Identity {
	id, err := s.identity().site.Identity(r.Context())
	if err != nil {
		s.Log.Warn("page: site settings unreadable", "err", err)
		return site.Identity{Name: s.Layout.Host(), Description: site.DefaultDescription}
	}
	return id
}

// docTitle is a page's <title>: "Page — Site", or the site's name alone.
func docTitle(title, siteName string) string {
	if title == "" || title == siteName {
		return siteName
	}
	return title + " — " + siteName
}

// loginURL is the log-in link for this page: back here afterwards, unless
// here is the login form itself or the answer to a form.
func loginURL(r *http.Request) string {
	if r.Method != http.MethodGet && r.Method != http.MethodHead || r.URL.Path == "/login" || r.URL.Path == "/" {
		return "/login"
	}
	return "/login?next=" + url.QueryEscape(r.URL.RequestURI())
}
