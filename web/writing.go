package web

import "github.com/gorilla/mux"

// registerWriting adds the pages behind a login: composing, editing and the
// admin's federation controls.
func (s *Server) registerWriting(r *mux.Router) {}
