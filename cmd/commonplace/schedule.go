package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/commonplace-social/commonplace/cmd/commonplace/instance"
	"github.com/commonplace-social/commonplace/internal/model"
	"github.com/commonplace-social/commonplace/internal/posts"
)

// schedule keeps a post for `publish --at`: the running server's job queue
// publishes and sends it at that time, and nobody sees it before.
func schedule(ctx context.Context, core *instance.Core, org *model.Actor, d posts.Draft, at string, out io.Writer) error {
	t, err := time.Parse(time.RFC3339, at)
	if err != nil {
		return fmt.Errorf("%w: --at %q is not an RFC 3339 time such as 2026-12-24T09:00:00Z", errUsage, at)
	}
	sc, err := core.Posts.Schedule(ctx, org, 0, d, t)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "Scheduled for %s (reference %s); the server will publish it then.\n", sc.PublishAt.Format(time.RFC3339), sc.Token)
	return nil
}
