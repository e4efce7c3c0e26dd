package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"time"

	template "github.com/DataDog/datadog-agent/pkg/template/html"
	"github.com/gorilla/mux"

	"github.com/commonplace-social/commonplace/internal/media"
	"github.com/commonplace-social/commonplace/internal/model"
	"github.com/commonplace-social/commonplace/internal/network"
)

// networkShown is how many upcoming events and pieces of guidance the
// network's page shows before linking to its events and library pages.
const networkShown = 3

// memberCard is one member organisation on a network's page.
type memberCard struct {
	Name   string
	Handle string
	URL    string // our page for local members, their own for remote ones
	Avatar string // from this site: local upload or our cache of theirs; "" for none
}

type networkData struct {
	Network   *model.Actor
	Handle    string
	ActorIRI  string
	Paragraph []string
	AvatarURL string // absolute, for og:image; "" without an avatar
	FeedURL   string
	Calendar  string // the members' events as iCalendar
	Webcal    template.URL
	EventsURL string
	LibURL    string
	// FirstPage is false on older pages of the timeline and on a kind's
	// tab, which show the posts alone.
	FirstPage    bool
	Tabs         []kindTab
	PostsHeading string
	EmptyText    string
	Items        template.HTML
	Empty        bool
	Older        string
	Members      []memberCard
	Events       []eventView
	MoreEvents   bool
	Guidance     []guidanceView
}

// actorPage is what a browser gets at an actor's address: a network's page
// for a Group, an organisation's profile otherwise. ActivityPub requests
// for the same address are answered by federation's routes before these.
func (s *Server) actorPage(w http.ResponseWriter, r *http.Request) {
	s.orgOrNetwork(w, r, s.profile, s.networkPage)
}

// actorFeed is /@{username}/feed.atom: a network's timeline, or an
// organisation's own posts.
func (s *Server) actorFeed(w http.ResponseWriter, r *http.Request) {
	s.orgOrNetwork(w, r, s.orgFeed, s.networkFeed)
}

// actorHandler serves one local actor, loaded from the path.
type actorHandler func(http.ResponseWriter, *http.Request, *model.Actor)

// orgOrNetwork loads the local actor the path names, with one query, and
// hands it to org or net by its type; any other name is not found.
func (s *Server) orgOrNetwork(w http.ResponseWriter, r *http.Request, org, net actorHandler) {
	a, err := s.Orgs.Served(r.Context(), mux.Vars(r)["username"])
	switch {
	case model.ErrorCode(err) == model.ENotFound:
		s.notFound(w, r)
	case err != nil:
		s.serverError(w, r, err)
	case a.Type == model.ActorGroup:
		net(w, r, a)
	default:
		org(w, r, a)
	}
}

// localNetwork loads the network named in the path, answering 404 itself
// when there is none.
func (s *Server) localNetwork(w http.ResponseWriter, r *http.Request) (*model.Actor, bool) {
	if s.Networks == nil {
		s.notFound(w, r)
		return nil, false
	}
	n, err := s.Networks.Get(r.Context(), mux.Vars(r)["username"])
	if model.ErrorCode(err) == model.ENotFound {
		s.notFound(w, r)
		return nil, false
	}
	if err != nil {
		s.serverError(w, r, err)
		return nil, false
	}
	return n, true
}

// networkPage is a network's page: who it is, the handle that follows
// every member at once, the members' posts newest first, and on the first
// page its members, their next events and latest guidance.
func (s *Server) networkPage(w http.ResponseWriter, r *http.Request, n *model.Actor) {
	kind, after, ok := s.listParams(w, r)
	if !ok {
		return
	}
	res, err := s.Store.NetworkTimeline(r.Context(), n.ID, kind, after, pageSize)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	items, err := s.renderItems(r.Context(), res.Posts, true)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	base := s.Layout.Profile(n.Username)
	d := networkData{Network: n, Handle: n.Handle(s.Layout.Host()), ActorIRI: s.Layout.Actor(n.Username),
		Paragraph: paragraphs(n.Summary), FeedURL: base + "/feed.atom", Calendar: base + "/events.ics",
		Webcal: webcalURL(base + "/events.ics"), EventsURL: "/@" + n.Username + "/events", LibURL: "/@" + n.Username + "/guidance",
		FirstPage: after == nil && kind == "", Items: items, Empty: len(res.Posts) == 0,
		EmptyText: "No posts yet. The members' posts appear here as they publish them.",
		Tabs:      kindTabs(r.URL.Path, kind), PostsHeading: "Posts from the members", Older: olderLink(r.URL.Path, kind, res.Next)}
	title := n.Name + " (" + d.Handle + ")"
	if kind != "" {
		d.PostsHeading = kindTabLabels[kind] + " from the members"
		d.EmptyText = "No " + strings.ToLower(kindTabLabels[kind]) + " from the members yet."
		title = d.PostsHeading + " of " + title
	}
	if n.AvatarKey != "" {
		d.AvatarURL = media.URL(s.Layout.Base, n.AvatarKey)
	}
	if d.FirstPage {
		if err := s.networkSections(r.Context(), n, &d); err != nil {
			s.serverError(w, r, err)
			return
		}
	}
	s.render(w, r, http.StatusOK, "network", page{
		Title:       title,
		Description: summaryLine(n.Summary, n.Name+", a network on Commonplace"),
		URL:         base,
		Creator:     d.Handle,
		Data:        d,
	})
}

// networkSections fills the first page's members, next events and latest
// guidance.
func (s *Server) networkSections(ctx context.Context, n *model.Actor, d *networkData) error {
	members, err := s.Networks.Members(ctx, n)
	if err != nil {
		return err
	}
	cards, err := s.memberCards(ctx, members)
	if err != nil {
		return err
	}
	d.Members = cards
	events, err := s.Store.NetworkUpcomingEvents(ctx, n.ID, time.Now(), nil, networkShown)
	if err != nil {
		return err
	}
	for _, m := range s.byMonth(events.Posts) {
		d.Events = append(d.Events, m.Events...)
	}
	d.MoreEvents = events.Next != nil
	guidance, err := s.Store.NetworkTimeline(ctx, n.ID, model.KindGuidance, nil, networkShown)
	if err != nil {
		return err
	}
	for _, p := range guidance.Posts {
		d.Guidance = append(d.Guidance, s.guidanceItem(p))
	}
	return nil
}

// memberCards are the members as their cards show them; remote members'
// avatars come from our own cache, as on timeline cards.
func (s *Server) memberCards(ctx context.Context, members []network.Member) ([]memberCard, error) {
	var remote []int64
	for _, m := range members {
		if !m.Actor.Local {
			remote = append(remote, m.Actor.ID)
		}
	}
	avatars, err := s.Store.RemoteAvatars(ctx, remote...)
	if err != nil {
		return nil, err
	}
	cards := make([]memberCard, 0, len(members))
	for _, m := range members {
		a := m.Actor
		c := memberCard{Name: a.Name, Handle: a.Handle(s.Layout.Host()), URL: s.orgLink(a)}
		if c.Name == "" {
			c.Name = a.Username
		}
		if a.AvatarKey != "" {
			c.Avatar = media.Path(a.AvatarKey)
		} else if cached := avatars[a.ID]; cached != nil {
			c.Avatar = media.RemotePath(cached.ID)
		}
		cards = append(cards, c)
	}
	return cards, nil
}

// networkFeed is a network's timeline as Atom.
func (s *Server) networkFeed(w http.ResponseWriter, r *http.Request, n *model.Actor) {
	res, err := s.Store.NetworkTimeline(r.Context(), n.ID, "", nil, feedSize)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	s.writeAtom(w, r, s.actorFeedHead(r, n), res.Posts)
}

// networkEventsICS is the calendar of a network's members' upcoming events.
func (s *Server) networkEventsICS(w http.ResponseWriter, r *http.Request) {
	n, ok := s.localNetwork(w, r)
	if !ok {
		return
	}
	res, err := s.Store.NetworkUpcomingEvents(r.Context(), n.ID, time.Now(), nil, maxUpcoming)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	cal := s.newCalendar("Events of " + n.Name)
	for _, p := range res.Posts {
		s.addEvent(cal, p)
	}
	writeCalendar(w, r, cal, "")
}

// networkEvents lists a network's members' upcoming events by month, as
// the instance's events page does for everyone.
func (s *Server) networkEvents(w http.ResponseWriter, r *http.Request) {
	n, ok := s.localNetwork(w, r)
	if !ok {
		return
	}
	after, ok := parseCursor(r.URL.Query().Get("after"))
	if !ok {
		s.badRequest(w, r, "The link to later events is not one this site made.")
		return
	}
	res, err := s.Store.NetworkUpcomingEvents(r.Context(), n.ID, time.Now(), after, pageSize)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	feed := s.Layout.Profile(n.Username) + "/events.ics"
	d := eventsData{Months: s.byMonth(res.Posts), Feed: feed, Webcal: webcalURL(feed), Of: n, OfURL: "/@" + n.Username}
	if res.Next != nil {
		d.Later = r.URL.Path + "?" + url.Values{"after": {formatCursor(res.Next)}}.Encode()
	}
	s.render(w, r, http.StatusOK, "events", page{
		Title:       "Upcoming events of " + n.Name,
		Description: "Meetups and events from the members of " + n.Name + ".",
		URL:         s.Layout.Profile(n.Username) + "/events",
		Data:        d,
	})
}

// networkGuidance is the guidance library of a network's members.
func (s *Server) networkGuidance(w http.ResponseWriter, r *http.Request) {
	n, ok := s.localNetwork(w, r)
	if !ok {
		return
	}
	after, ok := guidanceCursor(r)
	if !ok {
		s.badRequest(w, r, "The link to more guidance is not one this site made.")
		return
	}
	res, err := s.Store.NetworkGuidanceByTopic(r.Context(), n.ID, after, guidancePerPage)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	d := s.guidanceShelves(res, r.URL.Path)
	d.Of, d.OfURL = n, "/@"+n.Username
	s.render(w, r, http.StatusOK, "guidance", page{
		Title:       "Guidance library of " + n.Name,
		Description: "Guidance from the members of " + n.Name + ", by topic.",
		URL:         s.Layout.Profile(n.Username) + "/guidance",
		Data:        d,
	})
}
