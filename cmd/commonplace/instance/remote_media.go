package instance

import (
	"context"
	"fmt"
	"time"

	"github.com/riverqueue/river"

	"github.com/commonplace-social/commonplace/federation"
	"github.com/commonplace-social/commonplace/federation/transport"
	"github.com/commonplace-social/commonplace/internal/buildinfo"
	"github.com/commonplace-social/commonplace/internal/media"
)

// openRemoteMedia sets up the cache of other servers' pictures in the same
// storage as ours, fetching through a client with the federation's address
// policy (private addresses only in local-testing mode), and has the
// fetcher record the avatars of the actors it stores.
func (c *Core) openRemoteMedia(files media.Storage) {
	client := federation.MediaTransport(transport.Options{
		AllowPrivate: c.Config.LocalTesting,
		UserAgent:    fmt.Sprintf("Commonplace/%s (+%s)", buildinfo.Version, c.Layout.Base),
	})
	c.RemoteMedia = &media.RemoteCache{Store: c.Store, Files: files, Fetch: federation.MediaFetcher(client),
		MaxAge: c.Config.RemoteMediaMaxAge, MaxBytes: c.Config.RemoteMediaMaxBytes, Log: c.Log,
		Enqueue: func(ctx context.Context, id int64) error {
			return c.Queue.Insert(ctx, media.FetchRemoteArgs{ID: id}, &river.InsertOpts{MaxAttempts: 3})
		}}
	c.Fetcher.RemoteMedia = c.RemoteMedia
}

// remoteMediaPruneEvery is how often the remote picture cache is trimmed.
const remoteMediaPruneEvery = time.Hour

// pruneRemoteMediaLoop trims the remote picture cache to its age and size
// bounds now and then, until ctx ends.
func (inst *Instance) pruneRemoteMediaLoop(ctx context.Context) {
	if inst.RemoteMedia == nil {
		return
	}
	timer := time.NewTimer(inboxPruneFirst)
	defer timer.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-timer.C:
		}
		n, err := inst.RemoteMedia.Prune(ctx, time.Now())
		switch {
		case err != nil && ctx.Err() == nil:
			inst.Log.Warn("pruning the remote picture cache failed", "dropped", n, "err", err)
		case n > 0:
			inst.Log.Info("remote picture cache pruned", "dropped", n)
		}
		timer.Reset(remoteMediaPruneEvery)
	}
}
