package federation

import (
	"context"
	"fmt"
	"net/http"
	"net/url"

	"github.com/uptrace/bun"

	"github.com/commonplace-social/commonplace/federation/vocab"
	"github.com/commonplace-social/commonplace/internal/blocks"
	"github.com/commonplace-social/commonplace/internal/model"
)

// refuseBlocked turns away a delivery whose actor or signing key lives on a
// blocked account or domain. It runs before the key is resolved, so a
// blocked server cannot make us fetch anything.
func (s *Server) refuseBlocked(ctx context.Context, act *vocab.Activity, keyID string) error {
	for _, id := range []string{act.Actor, withoutFragment(keyID)} {
		blocked, err := s.Blocks.IsBlocked(ctx, id)
		if err != nil {
			return fmt.Errorf("check blocks for %s: %w", id, err)
		}
		if blocked {
			return refuse(http.StatusForbidden, nil, "%s is blocked by this instance", id)
		}
	}
	return nil
}

func withoutFragment(id string) string {
	u, err := url.Parse(id)
	if err != nil {
		return id
	}
	u.Fragment, u.RawFragment = "", ""
	return u.String()
}

// SkipBlocked is an Enqueuer that leaves blocked inboxes out of explicit
// recipients. Followers need no filter: a block removes their follows.
type SkipBlocked struct {
	Next   Enqueuer
	Blocks *blocks.Service
}

// EnqueueTx queues the delivery to the inboxes that are not blocked.
func (e *SkipBlocked) EnqueueTx(ctx context.Context, tx bun.Tx, sender *model.Actor, activity []byte, toFollowers bool, inboxes []string) error {
	kept := inboxes[:0:0]
	for _, in := range inboxes {
		blocked, err := e.Blocks.DeliveryBlocked(ctx, in)
		if err != nil {
			return fmt.Errorf("check blocks for %s: %w", in, err)
		}
		if !blocked {
			kept = append(kept, in)
		}
	}
	return e.Next.EnqueueTx(ctx, tx, sender, activity, toFollowers, kept)
}
