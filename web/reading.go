package web

import "github.com/gorilla/mux"

// registerReading adds the pages anyone can read without logging in.
func (s *Server) registerReading(r *mux.Router) {
	get := []string{"GET", "HEAD"}
	r.HandleFunc("/", s.home).Methods(get...)
	r.HandleFunc("/feed.atom", s.timelineFeed).Methods(get...)
	r.HandleFunc("/tags/{tag}", s.tag).Methods(get...)
	r.HandleFunc("/events", s.events).Methods(get...)
	r.HandleFunc("/events.ics", s.eventsICS).Methods(get...)
	r.HandleFunc("/events/past", s.pastEvents).Methods(get...)
	r.HandleFunc("/events/{id:[0-9]+}.ics", s.numberedEventICS).Methods(get...)
	r.HandleFunc("/events/remote.ics", s.remoteEventICS).Methods(get...)
	r.HandleFunc("/guidance", s.guidance).Methods(get...)
	r.HandleFunc("/search", s.searchPage).Methods(get...)
	// An organisation's profile, or a network's page (network_page.go).
	r.HandleFunc("/users/{username}", s.actorPage).Methods(get...)
	r.HandleFunc("/@{username}", s.actorPage).Methods(get...)
	r.HandleFunc("/@{username}/feed.atom", s.actorFeed).Methods(get...)
	r.HandleFunc("/@{username}/events", s.networkEvents).Methods(get...)
	r.HandleFunc("/@{username}/events.ics", s.networkEventsICS).Methods(get...)
	r.HandleFunc("/@{username}/guidance", s.networkGuidance).Methods(get...)
	r.Handle("/users/{username}/posts/{token}", s.withModerator(s.post)).Methods(get...)
	r.HandleFunc("/users/{username}/posts/{token}/event.ics", s.localEventICS).Methods(get...)
}
