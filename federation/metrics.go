package federation

import (
	"context"
	"encoding/json"
	"errors"
	"net"
	"net/http"
	"strconv"
	"strings"

	"github.com/commonplace-social/commonplace/federation/httpsign"
	"github.com/commonplace-social/commonplace/internal/metrics"
)

// inboxNote is what receive learned about one delivery, for the counters
// and the refusal's log line, which should name the sender's host.
type inboxNote struct {
	typ       string // the activity type, peeked before the checks, then parsed
	host      string // the signing key's host, else the actor's
	sigReason string // why the signature was refused, if it was
	duplicate bool   // the activity id was already recorded
}

// hostOr names the remote host for a log line, falling back to the
// client's address when nothing in the request named one.
func (n *inboxNote) hostOr(remoteAddr string) string {
	if n.host != "" {
		return n.host
	}
	if h, _, err := net.SplitHostPort(remoteAddr); err == nil {
		return h
	}
	return remoteAddr
}

// count records the delivery's outcome: accepted, duplicate, or
// refused_<status>, with the signature failure reason when there is one.
func (n *inboxNote) count(ctx context.Context, err error) {
	m := metrics.From(ctx)
	if m == nil {
		return
	}
	var ref *inboxRefusal
	outcome := "accepted"
	switch {
	case err == nil && n.duplicate:
		outcome = "duplicate"
	case errors.As(err, &ref):
		outcome = "refused_" + strconv.Itoa(ref.status)
	case err != nil:
		outcome = "refused_" + strconv.Itoa(http.StatusInternalServerError)
	}
	m.InboxActivity(n.typ, outcome)
	if n.sigReason != "" {
		m.SignatureFailure(n.sigReason)
	}
}

// peekType reads the type a body claims before anything is verified. It
// only labels a counter, bounded to known types.
func peekType(body []byte) string {
	var doc struct {
		Type any `json:"type"`
	}
	if json.Unmarshal(body, &doc) != nil {
		return ""
	}
	t, _ := doc.Type.(string)
	return t
}

// signatureReason labels an httpsign error with a short, fixed reason.
func signatureReason(err error) string {
	switch {
	case errors.Is(err, httpsign.ErrNoSignature):
		return "no_signature"
	case errors.Is(err, httpsign.ErrMalformedSignature):
		return "malformed"
	case errors.Is(err, httpsign.ErrBadAlgorithm):
		return "bad_algorithm"
	case errors.Is(err, httpsign.ErrMissingSignedHeader):
		return "unsigned_header"
	case errors.Is(err, httpsign.ErrBadDate), errors.Is(err, httpsign.ErrDateOutOfWindow):
		return "date"
	case errors.Is(err, httpsign.ErrNoDigest), errors.Is(err, httpsign.ErrBadDigest), errors.Is(err, httpsign.ErrDigestMismatch):
		return "bad_digest"
	case errors.Is(err, httpsign.ErrBadSignature):
		return "bad_signature"
	}
	return "other"
}

// verifyReason labels a refusal from verifiedSigner: the key rejected the
// signature, or the key could not be had at all.
func verifyReason(err error) string {
	var ref *inboxRefusal
	if errors.As(err, &ref) && errors.Is(ref.err, httpsign.ErrBadSignature) {
		return "bad_signature"
	}
	return "key_fetch"
}

// applyOutcome turns an apply outcome ("applied: follow accepted") into
// its counter label ("applied"); an unparseable activity counts as dropped.
func applyOutcome(outcome string) string {
	label, _, _ := strings.Cut(outcome, ":")
	switch label {
	case "applied", "ignored", "dropped":
		return label
	}
	return "dropped"
}
