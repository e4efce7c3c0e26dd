package federation

import (
	"encoding/json"
	"net/http"

	"github.com/commonplace-social/commonplace/internal/buildinfo"
	"github.com/commonplace-social/commonplace/internal/model"
	"github.com/commonplace-social/commonplace/internal/site"
)

const nodeInfoSchema = "http://nodeinfo.diaspora.software/ns/schema/2.1"

// nodeInfoLinks is the well-known entry point of NodeInfo discovery.
func (s *Server) nodeInfoLinks(w http.ResponseWriter, r *http.Request) {
	doc := map[string]any{"links": []jrdLink{{Rel: nodeInfoSchema, Href: s.Layout.NodeInfo()}}}
	writeJSON(w, r, "application/json", doc)
}

// nodeInfo describes this server to crawlers and other servers: software,
// protocol, and how many organisations it hosts.
func (s *Server) nodeInfo(w http.ResponseWriter, r *http.Request) {
	orgCount, err := s.Store.CountLocalActors(r.Context(), model.ActorOrganization)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	// Read afresh: NodeInfo is asked for rarely, and a new name should show.
	id, err := (&site.Service{Store: s.Store}).Identity(r.Context())
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	doc := map[string]any{
		"version": "2.1",
		"software": map[string]string{
			"name":       buildinfo.Name,
			"version":    buildinfo.Version,
			"repository": buildinfo.Repository,
			"homepage":   buildinfo.Repository,
		},
		"protocols":         []string{"activitypub"},
		"services":          map[string][]string{"inbound": {}, "outbound": {}},
		"openRegistrations": false,
		"usage":             map[string]any{"users": map[string]int{"total": orgCount}},
		"metadata":          map[string]string{"nodeName": id.Name, "nodeDescription": id.Description},
	}
	writeJSON(w, r, `application/json; profile="`+nodeInfoSchema+`#"`, doc)
}

func writeJSON(w http.ResponseWriter, r *http.Request, contentType string, v any) {
	w.Header().Set("Content-Type", contentType)
	w.Header().Set("Access-Control-Allow-Origin", "*")
	if r.Method == http.MethodHead {
		return
	}
	_ = json.NewEncoder(w).Encode(v)
}
