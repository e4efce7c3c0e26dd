package site

import (
	"context"
	"fmt"
	"strings"

	"github.com/commonplace-social/commonplace/internal/content"
)

// Kind names one of the site's own pages.
type Kind string

// The site's own pages, each at /<kind>.
const (
	About         Kind = "about"
	Privacy       Kind = "privacy"
	Accessibility Kind = "accessibility"
)

// Kinds lists the pages in the order the footer links them.
var Kinds = []Kind{About, Privacy, Accessibility}

// Page is one of the site's own pages, ready to show.
type Page struct {
	Kind    Kind
	Title   string
	HTML    string // sanitised by content.Render
	Default bool   // the text is ours, not the admin's
}

// Titles are the pages' headings.
var Titles = map[Kind]string{About: "About", Privacy: "Privacy", Accessibility: "Accessibility"}

// Page renders one of the site's pages: the admin's Markdown, or our own
// default text naming the site and its contact address when none was set.
func (s *Service) Page(ctx context.Context, k Kind) (Page, error) {
	id, err := s.Identity(ctx)
	if err != nil {
		return Page{}, err
	}
	md := map[Kind]string{About: id.Stored.About, Privacy: id.Stored.Privacy, Accessibility: id.Stored.Accessibility}[k]
	p := Page{Kind: k, Title: Titles[k]}
	if md == "" {
		md, p.Default = defaultText(k, id), true
	}
	out, err := content.Render(md, nil)
	if err != nil {
		return Page{}, fmt.Errorf("render %s page: %w", k, err)
	}
	p.HTML = out.HTML
	return p, nil
}

// contactLine says how to reach the people who run the site, with a link
// when an address is set.
func contactLine(id Identity, what string) string {
	if id.ContactEmail == "" {
		return "To " + what + ", contact the organisation that runs this site through its usual channels."
	}
	return fmt.Sprintf("To %s, email [%s](mailto:%s).", what, id.ContactEmail, id.ContactEmail)
}

// defaultText is written for a site whose admin has not yet written the
// page, so that the page says something true rather than nothing.
func defaultText(k Kind, id Identity) string {
	var b strings.Builder
	switch k {
	case About:
		fmt.Fprintf(&b, "%s is where health and social care organisations publish meetup notes, guidance and events. ", id.Name)
		b.WriteString("People on other ActivityPub servers, such as Mastodon, can follow each organisation from their own account.\n\n")
		b.WriteString("The site runs Commonplace, free software for a shared, federated notebook that no single organisation owns.\n\n")
		b.WriteString(contactLine(id, "ask about this site"))
	case Privacy:
		b.WriteString("Reading this site needs no account, and it sets no cookies for readers. ")
		b.WriteString("People who write for an organisation log in; a cookie then keeps them logged in, and another protects their forms from forgery.\n\n")
		b.WriteString("Posts published here are public. They are sent to the servers of people who follow the organisation, and copies there are kept under those servers' rules. ")
		b.WriteString("When a post is edited or deleted, those servers are told.\n\n")
		b.WriteString("The server keeps request logs with addresses for a short time, to keep the site running and to stop abuse.\n\n")
		b.WriteString(contactLine(id, "ask what is held about you or to have it removed"))
	case Accessibility:
		fmt.Fprintf(&b, "%s aims to meet the Web Content Accessibility Guidelines (WCAG) 2.2 at level AA. ", id.Name)
		b.WriteString("The pages work without JavaScript, follow the size and colour settings of your browser, and can be used with a keyboard and a screen reader.\n\n")
		b.WriteString("Some posts come from other servers, and their authors decide how they are written; images from elsewhere may lack a description.\n\n")
		b.WriteString(contactLine(id, "report a problem or ask for something in another format"))
		b.WriteString(" Say which page you were on and what went wrong; you should hear back within five working days.")
	}
	return b.String()
}
