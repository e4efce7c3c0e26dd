package site

import (
	"context"
	"net/mail"
	"net/url"
	"strings"
	"unicode/utf8"

	"github.com/commonplace-social/commonplace/internal/model"
	"github.com/commonplace-social/commonplace/internal/sanitize"
)

// Limits on what an admin may set: a name that fits a header, a description
// that fits a link preview, pages of a few thousand words.
const (
	MaxName        = 80
	MaxDescription = 300
	MaxPage        = 20000
	MaxURL         = 2048
)

// Changes says which settings to change: a nil field stays as it is, a
// pointer to "" clears the setting back to its default.
type Changes struct {
	Name, Description, ContactEmail *string
	About, Privacy, Accessibility   *string
	LogoURL                         *string
}

// All is a Changes that sets every field, as a form that shows them all does.
func All(s Settings) Changes {
	return Changes{Name: &s.Name, Description: &s.Description, ContactEmail: &s.ContactEmail,
		About: &s.About, Privacy: &s.Privacy, Accessibility: &s.Accessibility, LogoURL: &s.LogoURL}
}

// Update checks and stores the changes. Every refusal is a model.EInvalid
// error whose message says what to fix.
func (s *Service) Update(ctx context.Context, c Changes) error {
	values := map[string]string{}
	line := func(key, label string, v *string, max int) error {
		if v == nil {
			return nil
		}
		t := strings.TrimSpace(sanitize.Text(*v))
		if strings.ContainsAny(t, "\r\n") {
			return model.Errorf(model.EInvalid, "The %s must be one line.", label)
		}
		if n := utf8.RuneCountInString(t); n > max {
			return model.Errorf(model.EInvalid, "The %s is %d characters long; keep it to %d.", label, n, max)
		}
		values[key] = t
		return nil
	}
	page := func(key, label string, v *string) error {
		if v == nil {
			return nil
		}
		t := strings.TrimSpace(strings.ReplaceAll(sanitize.Text(*v), "\r\n", "\n"))
		if n := utf8.RuneCountInString(t); n > MaxPage {
			return model.Errorf(model.EInvalid, "The %s page is %d characters long; keep it to %d.", label, n, MaxPage)
		}
		values[key] = t
		return nil
	}
	for _, err := range []error{
		line(keys.name, "site name", c.Name, MaxName),
		line(keys.description, "description", c.Description, MaxDescription),
		line(keys.contact, "contact email", c.ContactEmail, 254),
		line(keys.logo, "logo address", c.LogoURL, MaxURL),
		page(keys.about, "about", c.About),
		page(keys.privacy, "privacy", c.Privacy),
		page(keys.accessibility, "accessibility", c.Accessibility),
	} {
		if err != nil {
			return err
		}
	}
	if e, ok := values[keys.contact]; ok && e != "" {
		if err := checkEmail(e); err != nil {
			return err
		}
	}
	if u, ok := values[keys.logo]; ok && u != "" {
		if err := checkLogoURL(u); err != nil {
			return err
		}
	}
	if len(values) == 0 {
		return nil
	}
	if err := s.Store.SetSettings(ctx, values); err != nil {
		return err
	}
	s.Forget()
	return nil
}

// checkEmail accepts a bare address such as access@hospice.example; a
// display name ("Team <a@b>") is refused because pages link it as mailto:.
func checkEmail(e string) error {
	a, err := mail.ParseAddress(e)
	if err != nil || a.Address != e || a.Name != "" {
		return model.Errorf(model.EInvalid, "%q is not an email address; give one like accessibility@your-organisation.example.", e)
	}
	return nil
}

// checkLogoURL accepts only a path on this site: pages put it in an <img
// src>, and their CSP (img-src 'self') loads no picture from elsewhere, so a
// reader's browser never contacts another server. Upload the file instead.
func checkLogoURL(raw string) error {
	u, err := url.Parse(raw)
	bad := model.Errorf(model.EInvalid, "The logo must be a picture kept on this site (a path such as /media/logo.png): upload the image file rather than giving an address elsewhere.")
	if err != nil {
		return bad
	}
	switch {
	case u.Scheme == "" && u.Host == "" && strings.HasPrefix(raw, "/") && !strings.HasPrefix(raw, "//") && !strings.Contains(raw, "\\"):
		return nil
	}
	return bad
}
