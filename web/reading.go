package web

import "github.com/gorilla/mux"

// registerReading adds the pages anyone can read without logging in.
func (s *Server) registerReading(r *mux.Router) {
	r.HandleFunc("/", s.home).Methods("GET", "HEAD")
	r.HandleFunc("/users/{username}", s.profile).Methods("GET", "HEAD")
	r.HandleFunc("/@{username}", s.profile).Methods("GET", "HEAD")
	r.HandleFunc("/users/{username}/posts/{token}", s.post).Methods("GET", "HEAD")
}
