package federation

import (
	"html"
	"net/http"
	"net/url"
	"strings"

	"github.com/gorilla/mux"

	"github.com/commonplace-social/commonplace/federation/vocab"
	"github.com/commonplace-social/commonplace/internal/iri"
	"github.com/commonplace-social/commonplace/internal/media"
	"github.com/commonplace-social/commonplace/internal/model"
)

// actor serves an organisation's actor document. Its id is the URL it is
// served at; /@user is the profile page and redirects servers to the id.
func (s *Server) actor(w http.ResponseWriter, r *http.Request) {
	username := mux.Vars(r)["username"]
	org, err := s.Orgs.Served(r.Context(), username)
	if err != nil {
		s.notFoundOr500(w, r, err)
		return
	}
	if strings.HasPrefix(r.URL.Path, "/@") {
		w.Header().Set("Vary", "Accept")
		http.Redirect(w, r, s.Layout.Actor(org.Username), http.StatusFound)
		return
	}
	body, err := vocab.MarshalActor(ActorDocument(s.Layout, org))
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	writeActivity(w, r, body)
}

// instanceActor serves the Application actor that signs our fetches. It is
// always JSON and never needs a signature to read, or no server could verify
// our signed GETs without first fetching a key it would have to sign for.
func (s *Server) instanceActor(w http.ResponseWriter, r *http.Request) {
	a, err := s.Orgs.InstanceActor(r.Context())
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	body, err := vocab.MarshalActor(ActorDocument(s.Layout, a))
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	writeActivity(w, r, body)
}

// ActorDocument describes a local actor for the fediverse: an organisation,
// or the instance actor, which has an inbox but no collections.
func ActorDocument(l iri.Layout, org *model.Actor) vocab.Actor {
	u := org.Username
	if org.Type == model.ActorApplication {
		id := l.IDOf(org)
		return vocab.Actor{
			ID: id, Type: org.Type, PreferredUsername: org.Username, Name: org.Name, SummaryHTML: plainToHTML(org.Summary),
			URL: l.Base + "/", Inbox: id + "/inbox", SharedInbox: l.SharedInbox(), Featured: id + "/featured",
			PublicKeyID: l.KeyIDOf(org), PublicKeyPEM: org.PublicKeyPEM,
			ManuallyApprovesFollowers: true, Published: org.CreatedAt,
		}
	}
	doc := vocab.Actor{
		ID:                        l.Actor(u),
		Type:                      org.Type,
		PreferredUsername:         u,
		Name:                      org.Name,
		SummaryHTML:               plainToHTML(org.Summary),
		URL:                       l.Profile(u),
		Inbox:                     l.Inbox(u),
		Outbox:                    l.Outbox(u),
		Followers:                 l.Followers(u),
		Following:                 l.Following(u),
		Featured:                  l.Featured(u),
		SharedInbox:               l.SharedInbox(),
		PublicKeyID:               l.Key(u),
		PublicKeyPEM:              org.PublicKeyPEM,
		ManuallyApprovesFollowers: org.ManuallyApprovesFollowers,
		Discoverable:              org.Discoverable,
		Indexable:                 org.Discoverable,
		Published:                 org.CreatedAt,
	}
	doc.Icon, doc.Image = imageRef(l, org.AvatarKey), imageRef(l, org.HeaderKey)
	if org.URL != "" {
		doc.Fields = append(doc.Fields, vocab.Field{Name: "Website", ValueHTML: websiteLink(org.URL)})
	}
	// Our post and profile pages credit the organisation (fediverse:creator);
	// Mastodon believes that only from domains the actor lists.
	if host := hostname(l.Host()); host != "" {
		doc.AttributionDomains = []string{host}
	}
	return doc
}

// imageRef points at a stored picture by its key, or is nil for none.
func imageRef(l iri.Layout, key string) *vocab.ImageRef {
	if key == "" {
		return nil
	}
	return &vocab.ImageRef{URL: media.URL(l.Base, key), MediaType: media.ContentTypeOf(key)}
}

// plainToHTML turns an operator's plain-text summary into paragraphs.
func plainToHTML(s string) string {
	if strings.TrimSpace(s) == "" {
		return ""
	}
	var b strings.Builder
	for _, para := range strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n\n") {
		if para = strings.TrimSpace(para); para == "" {
			continue
		}
		b.WriteString("<p>")
		b.WriteString(strings.ReplaceAll(html.EscapeString(para), "\n", "<br>"))
		b.WriteString("</p>")
	}
	return b.String()
}

// websiteLink renders a profile field link the way Mastodon shows verified
// links: rel="me" and the URL without its scheme as the text.
func websiteLink(raw string) string {
	text := raw
	if u, err := url.Parse(raw); err == nil {
		text = strings.TrimSuffix(u.Host+u.EscapedPath(), "/")
	}
	return `<a href="` + html.EscapeString(raw) + `" rel="me nofollow noopener noreferrer" target="_blank">` +
		html.EscapeString(text) + `</a>`
}

func (s *Server) notFoundOr500(w http.ResponseWriter, r *http.Request, err error) {
	if model.ErrorCode(err) == model.ENotFound {
		http.Error(w, model.ErrorMessage(err), http.StatusNotFound)
		return
	}
	s.serverError(w, r, err)
}
