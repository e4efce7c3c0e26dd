package metrics

import (
	"net/http"
	"strconv"
)

// activityTypes are the ActivityStreams activity types a label may name.
// Anything else a sender writes becomes "other", so a remote server cannot
// grow our series without bound.
var activityTypes = map[string]bool{
	"Accept": true, "Add": true, "Announce": true, "Arrive": true, "Block": true, "Create": true,
	"Delete": true, "Dislike": true, "Flag": true, "Follow": true, "Ignore": true, "Invite": true,
	"Join": true, "Leave": true, "Like": true, "Listen": true, "Move": true, "Offer": true,
	"Question": true, "QuoteRequest": true, "Read": true, "Reject": true, "Remove": true, "TentativeAccept": true,
	"TentativeReject": true, "Travel": true, "Undo": true, "Update": true, "View": true,
}

// ActivityType bounds a type label: a known ActivityStreams activity type,
// "unknown" when none was read, or "other".
func ActivityType(t string) string {
	switch {
	case t == "":
		return "unknown"
	case activityTypes[t]:
		return t
	}
	return "other"
}

func boundMethod(m string) string {
	switch m {
	case http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch,
		http.MethodDelete, http.MethodOptions:
		return m
	}
	return "other"
}

func statusText(code int) string {
	if code == 0 {
		code = http.StatusOK
	}
	return strconv.Itoa(code)
}
