// Package site is the identity an instance shows the world: the name in
// its header, titles, feeds and NodeInfo, a description, a contact address,
// a logo, and the about, privacy and accessibility pages. The settings live
// in the instance_settings table; until someone names the site, it takes
// the name of its first organisation, then its domain.
package site

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/commonplace-social/commonplace/internal/model"
	"github.com/commonplace-social/commonplace/internal/store"
)

// Settings are the site's identity as an admin set it; an empty field was
// never set (or was cleared) and falls back to a default.
type Settings struct {
	Name         string
	Description  string
	ContactEmail string
	// About, Privacy and Accessibility are Markdown, shown on /about,
	// /privacy and /accessibility.
	About         string
	Privacy       string
	Accessibility string
	// LogoURL is an https URL or a path on this site ("/media/…"). The
	// upload form that fills it in belongs to the media work; here it is
	// only stored and shown.
	LogoURL string
}

// keys are the instance_settings rows, in Settings' order.
var keys = struct{ name, description, contact, about, privacy, accessibility, logo string }{
	"site_name", "site_description", "site_contact_email", "site_about", "site_privacy", "site_accessibility", "site_logo_url",
}

func allKeys() []string {
	return []string{keys.name, keys.description, keys.contact, keys.about, keys.privacy, keys.accessibility, keys.logo}
}

// DefaultDescription describes a site whose admin has not described it.
const DefaultDescription = "Meetup notes, guidance and events shared by health and social care organisations."

// Identity is what pages, feeds and NodeInfo show: the stored settings with
// every default filled in.
type Identity struct {
	Name         string
	Description  string
	ContactEmail string
	LogoURL      string
	Stored       Settings
}

// Service reads and changes the site's identity. Pages ask for it on every
// request, so it is kept for CacheFor; a change through this Service shows
// at once, one made by another process (the CLI) within CacheFor.
type Service struct {
	Store    *store.Store
	CacheFor time.Duration // 0: read the database every time
	Now      func() time.Time

	mu      sync.Mutex
	cached  *Identity
	expires time.Time
}

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

// Stored reads the settings as they were set, without defaults.
func (s *Service) Stored(ctx context.Context) (Settings, error) {
	m, err := s.Store.Settings(ctx, allKeys()...)
	if err != nil {
		return Settings{}, fmt.Errorf("read site settings: %w", err)
	}
	return Settings{Name: m[keys.name], Description: m[keys.description], ContactEmail: m[keys.contact],
		About: m[keys.about], Privacy: m[keys.privacy], Accessibility: m[keys.accessibility], LogoURL: m[keys.logo]}, nil
}

// Identity is the site's identity with defaults filled in.
func (s *Service) Identity(ctx context.Context) (Identity, error) {
	if s.CacheFor > 0 {
		s.mu.Lock()
		if s.cached != nil && s.now().Before(s.expires) {
			id := *s.cached
			s.mu.Unlock()
			return id, nil
		}
		s.mu.Unlock()
	}
	set, err := s.Stored(ctx)
	if err != nil {
		return Identity{}, err
	}
	id := Identity{Name: set.Name, Description: set.Description, ContactEmail: set.ContactEmail, LogoURL: set.LogoURL, Stored: set}
	if id.Description == "" {
		id.Description = DefaultDescription
	}
	settled := true
	if id.Name == "" {
		id.Name, settled, err = s.defaultName(ctx)
		if err != nil {
			return Identity{}, err
		}
	}
	// A name taken from the domain is not kept: the first organisation
	// may be created a moment later and should name the site at once.
	if s.CacheFor > 0 && settled {
		s.mu.Lock()
		s.cached, s.expires = &id, s.now().Add(s.CacheFor)
		s.mu.Unlock()
	}
	return id, nil
}

// defaultName is the oldest local organisation's name, else the domain the
// instance is served at, else "Commonplace" for a database never served.
// settled is false for the last two, which the first organisation replaces.
func (s *Service) defaultName(ctx context.Context) (name string, settled bool, err error) {
	org, err := s.Store.FirstLocalActor(ctx, model.ActorOrganization)
	switch {
	case err == nil && strings.TrimSpace(org.Name) != "":
		return strings.TrimSpace(org.Name), true, nil
	case err == nil:
		return org.Username, true, nil
	case !errors.Is(err, store.ErrNotFound):
		return "", false, err
	}
	base, ok, err := s.Store.Setting(ctx, "base_url")
	if err != nil {
		return "", false, err
	}
	if u, perr := url.Parse(base); ok && perr == nil && u.Host != "" {
		return u.Host, false, nil
	}
	return "Commonplace", false, nil
}

// Forget drops the cached identity, so the next read sees the database.
func (s *Service) Forget() {
	s.mu.Lock()
	s.cached = nil
	s.mu.Unlock()
}
