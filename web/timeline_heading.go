package web

import (
	"net/http"
	"strings"

	"github.com/commonplace-social/commonplace/internal/model"
)

// timelineHeading says what a timeline page shows, so a reader who followed
// a tag or a kind filter is not told it is the whole network.
func timelineHeading(kind, tag string) string {
	switch {
	case kind == "" && tag == "":
		return "Latest from the network"
	case tag == "":
		return kindTabLabels[kind]
	case kind == "":
		return "Posts tagged #" + tag
	default:
		return kindTabLabels[kind] + " tagged #" + tag
	}
}

// emptyState is what an empty list says, and the one next step it offers.
type emptyState struct {
	Text     string
	LinkURL  string // "" when there is nothing to do but wait
	LinkText string
	After    string // the rest of the sentence after the link
}

// emptyTimeline explains an empty timeline page in words that fit the
// reader: an admin can fill it by following another organisation, an
// author by writing, and anyone else learns what will appear here.
func (s *Server) emptyTimeline(r *http.Request, kind, tag string) *emptyState {
	what := "posts"
	if kind != "" {
		what = strings.ToLower(kindTabLabels[kind])
		if kind == model.KindGuidance {
			what = "guidance"
		}
	}
	if tag != "" {
		what += " tagged #" + tag
	}
	e := &emptyState{Text: "No " + what + " here yet."}
	if kind == "" && tag == "" {
		e.Text = "Nothing here yet."
	}
	switch a := s.viewer(r); {
	case a != nil && a.IsAdmin():
		e.Text += " Posts from the organisations you follow appear here: "
		e.LinkURL, e.LinkText, e.After = "/admin", "follow another organisation", " from the admin page, or write the first post yourself."
	case a != nil:
		e.Text += " "
		e.LinkURL, e.LinkText, e.After = "/compose", "Write the first post", "; it appears here, and on the servers of everyone who follows your organisation."
	default:
		e.Text += " Meetup notes, guidance, events and updates from the organisations on this site, and from those they follow, will appear here as they are published."
	}
	return e
}
