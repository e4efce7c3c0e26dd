package federation

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"strconv"
	"time"

	"github.com/gorilla/mux"
	"github.com/riverqueue/river"
	"github.com/uptrace/bun"

	"github.com/commonplace-social/commonplace/federation/httpsign"
	"github.com/commonplace-social/commonplace/federation/transport"
	"github.com/commonplace-social/commonplace/federation/vocab"
	"github.com/commonplace-social/commonplace/internal/model"
)

// MaxInboxBody bounds what one delivery may carry. Mastodon caps fetched
// bodies at about 1 MB too; nothing legitimate comes close.
const MaxInboxBody = 1 << 20

// JobInserter queues jobs: inside a database transaction, or on their own.
type JobInserter interface {
	InsertTx(ctx context.Context, tx bun.Tx, args river.JobArgs, opts *river.InsertOpts) error
	Insert(ctx context.Context, args river.JobArgs, opts *river.InsertOpts) error
}

// inboxRefusal is a request we turn away, with the status and the sentence
// the sender gets back.
type inboxRefusal struct {
	status     int
	msg        string
	err        error // for the log; may be nil
	retryAfter int   // seconds, sent as Retry-After when set
}

func (e *inboxRefusal) Error() string { return e.msg }

func refuse(status int, err error, format string, args ...any) *inboxRefusal {
	return &inboxRefusal{status: status, msg: fmt.Sprintf(format, args...), err: err}
}

// inbox receives a delivery: check it is what it claims to be, record it
// once (in a transaction shared with other deliveries arriving at the same
// moment), answer 202 once that has committed, and leave applying it to
// the Applier. Nothing is stored for a request that fails any check.
func (s *Server) inbox(w http.ResponseWriter, r *http.Request) {
	if username, ok := mux.Vars(r)["username"]; ok {
		if _, err := s.Orgs.Served(r.Context(), username); err != nil {
			s.notFoundOr500(w, r, err)
			return
		}
	}
	var note inboxNote
	err := s.receive(r, &note)
	note.count(r.Context(), err)
	var ref *inboxRefusal
	switch {
	case err == nil:
		w.WriteHeader(http.StatusAccepted)
	case errors.As(err, &ref):
		level := slog.LevelWarn
		if ref.status == http.StatusTooManyRequests {
			level = slog.LevelDebug // a flood would flood the log too; the metric counts them
		}
		s.Log.Log(r.Context(), level, "inbox refused a delivery", "host", note.hostOr(r.RemoteAddr), "remote", r.RemoteAddr, "status", ref.status, "reason", ref.msg, "err", ref.err)
		if ref.retryAfter > 0 {
			w.Header().Set("Retry-After", strconv.Itoa(ref.retryAfter))
		}
		http.Error(w, ref.msg, ref.status)
	default:
		s.serverError(w, r, err)
	}
}

func (s *Server) receive(r *http.Request, note *inboxNote) error {
	if err := s.throttle(r, note); err != nil {
		return err
	}
	if !activityMediaType(r.Header.Get("Content-Type")) {
		return refuse(http.StatusUnsupportedMediaType, nil, "an inbox takes application/activity+json or application/ld+json")
	}
	body, err := io.ReadAll(http.MaxBytesReader(nil, r.Body, MaxInboxBody))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return refuse(http.StatusRequestEntityTooLarge, nil, "the body is larger than %d bytes", MaxInboxBody)
		}
		return refuse(http.StatusBadRequest, err, "could not read the body")
	}
	// Both draft-cavage and RFC 9421; our public scheme is what an RFC 9421
	// @target-uri names, even behind a TLS-terminating proxy.
	sig, err := httpsign.ParseAny(r, body, s.Layout.Base, time.Now())
	if err != nil {
		note.typ = peekType(body) // only to label the refusal's counter
		note.sigReason = signatureReason(err)
		return refuse(httpsign.Status(err), err, "signature refused: %v", err)
	}
	note.host = hostFromURL(sig.KeyID())
	// Parsed once: the parsed form goes on to the applier with the record.
	act, err := vocab.ParseActivity(body)
	if err != nil {
		note.typ = peekType(body)
		return refuse(http.StatusBadRequest, err, "not a usable activity: %v", err)
	}
	note.typ = act.Type
	if note.host == "" {
		note.host = hostFromURL(act.Actor)
	}
	if !transport.SameOrigin(act.ID, act.Actor) {
		return refuse(http.StatusBadRequest, nil, "the activity id %s is not on its actor's server", act.ID)
	}
	if err := s.refuseInsecureIDs(act, sig.KeyID()); err != nil {
		return err
	}
	if err := s.refuseBlocked(r.Context(), act, sig.KeyID()); err != nil {
		return err
	}
	signer, err := s.verifiedSigner(r.Context(), sig)
	if err != nil {
		// A gone actor's Delete of itself cannot be verified; see there.
		if err = s.unlessGoneDelete(r.Context(), act, sig.KeyID(), err); err != nil {
			note.sigReason = verifyReason(err)
		}
		return err
	}
	if s.Layout.IDOf(signer) != act.Actor {
		note.sigReason = "actor_mismatch"
		return refuse(http.StatusUnauthorized, nil, "signed by %s, but the activity's actor is %s", s.Layout.IDOf(signer), act.Actor)
	}
	return s.record(r.Context(), act, body, &note.duplicate)
}

// verifiedSigner resolves the signature's key and checks the signature. A
// failure with a stored key is retried once with a freshly fetched key, so a
// remote actor that rotated its key is not locked out.
//
// Everything this does to get a key shares one time box (KeyBudget): a
// sender whose key server is slow or silent gets 401 with a Retry-After
// instead of holding the request, and our fetches, for up to a timeout each.
func (s *Server) verifiedSigner(ctx context.Context, sig httpsign.Verifier) (*model.Actor, error) {
	ctx, cancel := context.WithTimeout(ctx, s.Fetcher.keyBudget())
	defer cancel()
	owner, pub, err := s.Fetcher.KeyOwner(ctx, sig.KeyID(), false)
	if err != nil {
		return nil, keyRefusal(sig.KeyID(), err)
	}
	if err := sig.Verify(pub); err == nil {
		return owner, nil
	}
	owner, pub, err = s.Fetcher.KeyOwner(ctx, sig.KeyID(), true)
	if err != nil {
		return nil, keyRefusal(sig.KeyID(), err)
	}
	if err := sig.Verify(pub); err != nil {
		return nil, refuse(http.StatusUnauthorized, err, "the signature does not verify with the key %s", sig.KeyID())
	}
	return owner, nil
}

// keyRefusal is the 401 for a key we could not get, saying when to retry
// if a later attempt may go better.
func keyRefusal(keyID string, err error) *inboxRefusal {
	ref := refuse(http.StatusUnauthorized, err, "the key %s could not be used: %v", keyID, err)
	var busy *KeyUnavailableError
	switch {
	case errors.As(err, &busy):
		ref.retryAfter = max(1, int(busy.RetryAfter.Seconds()))
	case errors.Is(err, context.DeadlineExceeded):
		ref.retryAfter = int(keyFailureTTL.Seconds())
	}
	return ref
}

func activityMediaType(ct string) bool {
	mt, params, err := mime.ParseMediaType(ct)
	if err != nil {
		return false
	}
	switch mt {
	case "application/activity+json":
		return true
	case "application/ld+json":
		p, ok := params["profile"]
		return !ok || p == "https://www.w3.org/ns/activitystreams"
	}
	return false
}
