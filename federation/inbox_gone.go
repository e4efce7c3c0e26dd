package federation

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/commonplace-social/commonplace/federation/transport"
	"github.com/commonplace-social/commonplace/federation/vocab"
	"github.com/commonplace-social/commonplace/internal/model"
	"github.com/commonplace-social/commonplace/internal/store"
)

// unlessGoneDelete takes a delivery whose signature could not be checked
// because the signing key answers 404 or 410, when it is an actor's Delete
// of itself: a deleted account's server sends that Delete after the account
// (and so its key) stopped being served, and Mastodon answers it 2xx rather
// than have the sender retry for days. Anything else keeps verifyErr.
//
// Nothing in such a request can be verified, so it is only believed when
// our own look, through the same guarded fetcher, finds the actor's id
// gone as well: a forged Delete of an actor that still exists is refused.
// An actor never heard of here needs nothing removed, and nothing of the
// request is stored.
func (s *Server) unlessGoneDelete(ctx context.Context, act *vocab.Activity, keyID string, verifyErr error) error {
	keyStatus, ok := goneStatus(verifyErr)
	if !ok || act.Type != "Delete" || act.ObjectIRI != act.Actor || !transport.SameOrigin(keyID, act.Actor) {
		return verifyErr
	}
	if _, err := s.Store.RemoteActorByIRI(ctx, act.Actor); errors.Is(err, store.ErrNotFound) {
		s.Log.Info("inbox took an unverifiable Delete of an actor never known here; nothing to do",
			"actor", act.Actor, "key_status", keyStatus)
		return nil
	} else if err != nil {
		return err
	}
	_, err := s.Fetcher.get(ctx, act.Actor)
	actorStatus, gone := goneStatus(err)
	switch {
	case err == nil:
		return refuse(http.StatusUnauthorized, verifyErr,
			"the key %s could not be used, and %s still exists: its Delete must be signed", keyID, act.Actor)
	case !gone && transport.Retryable(err):
		return refuse(http.StatusServiceUnavailable, err, "could not check whether %s still exists; try again later", act.Actor)
	case !gone:
		return refuse(http.StatusUnauthorized, err, "the key %s could not be used, and %s could not be checked", keyID, act.Actor)
	}
	out, err := s.Posts.ForgetActor(ctx, act.Actor)
	if err != nil {
		return err
	}
	// The record says what was and was not checked, so nobody reading it
	// later takes this for a verified Delete.
	outcome := fmt.Sprintf("%s; signature unverified: the key answered %d and the actor %d", out, keyStatus, actorStatus)
	now := time.Now().UTC()
	// Processed at once, so its body is not kept (as FinishInboxActivities does for applied ones).
	row := &model.InboxActivity{ActivityIRI: act.ID, Type: act.Type, ActorIRI: act.Actor,
		ReceivedAt: now, ProcessedAt: now, Outcome: outcome}
	if _, err := s.Store.RecordInboxActivity(ctx, s.Store.DB, row); err != nil {
		return err
	}
	s.Log.Info("inbox applied an unverifiable Delete of a gone actor", "actor", act.Actor, "outcome", outcome)
	return nil
}

// goneStatus finds a 404 or 410 answer in an error from fetching a key or
// an actor, including inside an inbox refusal.
func goneStatus(err error) (int, bool) {
	var ref *inboxRefusal
	if errors.As(err, &ref) {
		err = ref.err
	}
	var se *transport.StatusError
	if errors.As(err, &se) && se.Gone() {
		return se.Code, true
	}
	return 0, false
}
