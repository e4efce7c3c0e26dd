package loadrig

import (
	"encoding/json"
	"io"
	"net/http"
	"time"
)

// receive counts a delivery: an Accept marks our Follow accepted, a Create
// is counted by its object's id. Nothing is verified: counting is all.
func (r *Remote) receive(w http.ResponseWriter, req *http.Request) {
	body, err := io.ReadAll(io.LimitReader(req.Body, 1<<20))
	if err != nil {
		http.Error(w, "read", http.StatusBadRequest)
		return
	}
	now := time.Now()
	var act struct {
		Type   string          `json:"type"`
		Object json.RawMessage `json:"object"`
	}
	if err := json.Unmarshal(body, &act); err != nil {
		http.Error(w, "json", http.StatusBadRequest)
		return
	}
	var obj struct {
		ID string `json:"id"`
	}
	if act.Type == "Create" && (json.Unmarshal(act.Object, &obj) != nil || obj.ID == "") {
		act.Type = "" // a Create without an object id is only counted as received
	}
	r.mu.Lock()
	r.received++
	first := false
	switch act.Type {
	case "Accept":
		r.accepted = true
	case "Create":
		a := r.byObject[obj.ID]
		if a == nil {
			a = &Arrival{First: now}
			r.byObject[obj.ID] = a
			first = true
		}
		a.N++
		a.Last = now
	}
	r.mu.Unlock()
	if act.Type == "Create" && r.log != nil {
		r.log.add(obj.ID, first, now)
	}
	w.WriteHeader(http.StatusAccepted)
}

// Arrived reports how the Creates of object reached this remote.
func (r *Remote) Arrived(object string) Arrival {
	r.mu.Lock()
	defer r.mu.Unlock()
	if a := r.byObject[object]; a != nil {
		return *a
	}
	return Arrival{}
}

// IsAccepted reports whether a Follow from this remote was accepted.
func (r *Remote) IsAccepted() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.accepted
}

// Counts reports the inbox POSTs received, the actor GETs served and the
// unsigned requests refused.
func (r *Remote) Counts() (received, gets, refused int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.received, r.gets, r.refused
}
