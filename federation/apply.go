package federation

import (
	"context"
	"errors"
	"fmt"

	"github.com/riverqueue/river"

	"github.com/commonplace-social/commonplace/federation/vocab"
	"github.com/commonplace-social/commonplace/internal/metrics"
	"github.com/commonplace-social/commonplace/internal/model"
	"github.com/commonplace-social/commonplace/internal/store"
)

// ApplyArgs is the queued job that applies one recorded inbox activity.
type ApplyArgs struct {
	InboxActivityID int64 `json:"inbox_activity_id"`
}

// Kind names the job type in the queue table.
func (ApplyArgs) Kind() string { return "inbox_apply" }

// ApplyWorker applies recorded inbox activities.
type ApplyWorker struct {
	river.WorkerDefaults[ApplyArgs]
	Server *Server
}

// Work applies one activity and records the outcome. Errors that a retry
// could fix (a remote server briefly down while we fetch an actor, a
// database hiccup) are returned so the queue retries; activities that can
// never apply are marked and dropped.
func (w *ApplyWorker) Work(ctx context.Context, job *river.Job[ApplyArgs]) error {
	s := w.Server
	row, err := s.Store.InboxActivity(ctx, job.Args.InboxActivityID)
	if errors.Is(err, store.ErrNotFound) {
		return river.JobCancel(err)
	}
	if err != nil {
		return err
	}
	act, err := vocab.ParseActivity([]byte(row.Raw))
	if err != nil {
		s.Log.Info("inbox activity dropped", "id", row.ActivityIRI, "type", row.Type, "host", hostOf(row.ActorIRI), "reason", "unparseable", "err", err)
		metrics.From(ctx).InboxActivity(row.Type, "dropped")
		return s.Store.MarkInboxActivityProcessed(ctx, row.ID, "unparseable: "+err.Error())
	}
	outcome, err := s.apply(ctx, act)
	if err != nil {
		var me *model.Error
		if errors.As(err, &me) { // the activity is wrong, not the moment
			s.Log.Info("inbox activity dropped", "id", act.ID, "type", act.Type, "host", hostOf(act.Actor), "reason", me.Message)
			metrics.From(ctx).InboxActivity(act.Type, "dropped")
			return s.Store.MarkInboxActivityProcessed(ctx, row.ID, "dropped: "+me.Message)
		}
		s.Log.Warn("applying inbox activity failed", "id", act.ID, "type", act.Type, "host", hostOf(act.Actor), "err", err)
		metrics.From(ctx).InboxActivity(act.Type, "failed")
		return err
	}
	metrics.From(ctx).InboxActivity(act.Type, applyOutcome(outcome))
	return s.Store.MarkInboxActivityProcessed(ctx, row.ID, outcome)
}

// apply dispatches on the activity type. It returns a short outcome for the
// record: "applied" or why nothing was done.
func (s *Server) apply(ctx context.Context, act *vocab.Activity) (string, error) {
	switch act.Type {
	case "Follow":
		return s.applyFollow(ctx, act)
	case "Undo":
		return s.applyUndo(ctx, act)
	case "Accept", "Reject":
		out, err := s.applyFollowAnswer(ctx, act)
		if err == nil && out == "applied: follow accepted" {
			err = s.queueBackfill(ctx, act.Actor)
		}
		return out, err
	case "Update":
		return s.applyUpdate(ctx, act)
	case "Delete":
		return s.applyDelete(ctx, act)
	case "Create":
		return s.applyCreate(ctx, act)
	case "Like", "Announce":
		return s.applyInteraction(ctx, act)
	}
	return "ignored: " + act.Type + " is not handled yet", nil
}

func (s *Server) applyFollow(ctx context.Context, act *vocab.Activity) (string, error) {
	followee, err := s.localTarget(ctx, act.ObjectIRI)
	if err != nil {
		return "", err
	}
	follower, err := s.Fetcher.Actor(ctx, act.Actor)
	if err != nil {
		return "", err
	}
	f, err := s.Follows.ReceiveFollow(ctx, follower, followee, act.ID)
	if err != nil {
		return "", err
	}
	return "applied: follow " + f.State, nil
}

func (s *Server) applyUndo(ctx context.Context, act *vocab.Activity) (string, error) {
	obj := act.Object
	if obj != nil && (obj.Type == "Like" || obj.Type == "Announce") {
		if obj.Actor != "" && obj.Actor != act.Actor {
			return "", model.Errorf(model.EInvalid, "an Undo may only withdraw the sender's own %s", obj.Type)
		}
		actor, err := s.Fetcher.Actor(ctx, act.Actor)
		if err != nil {
			return "", err
		}
		return s.Posts.UndoInteraction(ctx, actor, obj.ID)
	}
	if obj == nil || obj.Type != "Follow" {
		// Likes and Announces are counted once posts exist; an Undo of an
		// IRI alone can still name a Follow we know.
		if obj == nil {
			actor, err := s.Fetcher.Actor(ctx, act.Actor)
			if err != nil {
				return "", err
			}
			if out, err := s.Posts.UndoInteraction(ctx, actor, act.ObjectIRI); err != nil || out != "ignored: nothing to undo" {
				return out, err
			}
			if f, err := s.Store.FollowByActivity(ctx, s.Store.DB, act.ObjectIRI); err == nil {
				follower, err := s.Fetcher.Actor(ctx, act.Actor)
				if err != nil {
					return "", err
				}
				return "applied: unfollowed", s.Follows.ReceiveUndoFollow(ctx, follower, nil, f.ActivityIRI)
			}
		}
		return "ignored: undo of something not handled yet", nil
	}
	if obj.Actor != "" && obj.Actor != act.Actor {
		return "", model.Errorf(model.EInvalid, "an Undo may only withdraw the sender's own Follow")
	}
	follower, err := s.Fetcher.Actor(ctx, act.Actor)
	if err != nil {
		return "", err
	}
	followee, _ := s.localTarget(ctx, obj.ObjectIRI)
	if err := s.Follows.ReceiveUndoFollow(ctx, follower, followee, obj.ID); err != nil {
		return "", err
	}
	return "applied: unfollowed", nil
}

func (s *Server) applyFollowAnswer(ctx context.Context, act *vocab.Activity) (string, error) {
	ref := model.FollowRef{ID: act.ObjectIRI}
	if o := act.Object; o != nil {
		if o.Type != "" && o.Type != "Follow" {
			return "ignored: " + act.Type + " of " + o.Type, nil
		}
		ref = model.FollowRef{ID: o.ID, Actor: o.Actor, Object: o.ObjectIRI}
	}
	from, err := s.Fetcher.Actor(ctx, act.Actor)
	if err != nil {
		return "", err
	}
	if act.Type == "Reject" {
		return "applied: follow rejected", s.Follows.ReceiveReject(ctx, from, ref)
	}
	f, err := s.Follows.ReceiveAccept(ctx, from, ref)
	if err != nil {
		return "", err
	}
	if f == nil {
		return "ignored: accept of a follow we did not send", nil
	}
	return "applied: follow accepted", nil
}

// applyUpdate refreshes a remote actor's profile when it announces a change.
// The activity was signed by that same actor, so the embedded document is
// as trustworthy as a fetch; without one, the actor is fetched again.
func (s *Server) applyUpdate(ctx context.Context, act *vocab.Activity) (string, error) {
	if act.ObjectIRI != act.Actor {
		return s.applyPostUpdate(ctx, act)
	}
	if act.Object != nil && len(act.Object.Raw) > 0 {
		ra, err := vocab.ParseActor(act.Object.Raw)
		if err != nil {
			return "", model.Errorf(model.EInvalid, "the updated actor is unusable: %v", err)
		}
		if ra.ID != act.Actor {
			return "", model.Errorf(model.EInvalid, "an actor may only update itself")
		}
		if err := s.Store.UpsertRemoteActor(ctx, remoteActorModel(ra, act.Object.Raw)); err != nil {
			return "", err
		}
		return "applied: actor updated", nil
	}
	if _, err := s.Fetcher.FetchActor(ctx, act.Actor); err != nil {
		return "", err
	}
	return "applied: actor refreshed", nil
}

// applyDelete removes a remote actor that deleted itself, with its follows.
func (s *Server) applyDelete(ctx context.Context, act *vocab.Activity) (string, error) {
	if act.ObjectIRI != act.Actor {
		author, err := s.Fetcher.Actor(ctx, act.Actor)
		if err != nil {
			return "", err
		}
		return s.Posts.ReceiveDelete(ctx, author, act.ObjectIRI)
	}
	return s.Posts.ForgetActor(ctx, act.Actor)
}

// localTarget resolves an activity's object to one of our organisations.
func (s *Server) localTarget(ctx context.Context, id string) (*model.Actor, error) {
	username, ok := s.Layout.LocalActorUsername(id)
	if !ok {
		return nil, model.Errorf(model.EInvalid, "%s is not an organisation on this instance", id)
	}
	org, err := s.Orgs.Get(ctx, username)
	if err != nil {
		return nil, err
	}
	return org, nil
}

func hostOf(id string) string {
	if h := hostFromURL(id); h != "" {
		return h
	}
	return fmt.Sprintf("(%s)", id)
}
