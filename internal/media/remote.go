package media

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"mime"
	"strings"
	"time"

	"github.com/riverqueue/river"

	"github.com/commonplace-social/commonplace/internal/model"
	"github.com/commonplace-social/commonplace/internal/store"
)

// Fetcher gets a remote picture's bytes and declared content type. The one
// wired in goes through the federation's SSRF-safe client (refusing private
// addresses outside local-testing mode) and stops reading past MaxBytes.
type Fetcher func(ctx context.Context, url string) (data []byte, contentType string, err error)

// RemoteCache keeps re-encoded copies of pictures other servers publish, so
// our pages show them from our own origin (img-src 'self') and never send a
// reader's browser to another server. Copies are made lazily (a job queued
// when the picture is recorded, or the first view), pruned by age and total
// size, and made again when next needed.
type RemoteCache struct {
	Store *store.Store
	Files Storage
	Fetch Fetcher
	// Enqueue asks for a picture to be fetched in the background; nil
	// leaves it to the first view.
	Enqueue func(ctx context.Context, id int64) error
	// MaxAge and MaxBytes bound the cache; zero means no bound.
	MaxAge   time.Duration
	MaxBytes int64
	Log      *slog.Logger
}

// Remote picture kinds, as recorded.
const (
	RemoteAvatar     = KindAvatar
	RemoteAttachment = KindAttachment
)

// ErrAddressRefused marks a remote picture whose address we will not
// fetch (a private network address outside local-testing mode, a scheme
// other than http(s)); asking again changes nothing.
var ErrAddressRefused = errors.New("remote picture address refused")

// remoteTypes are the declared content types a remote picture may have;
// the bytes are checked again when decoded.
var remoteTypes = map[string]bool{"image/jpeg": true, "image/png": true, "image/webp": true, "image/gif": true}

// RecordAvatar records a remote actor's avatar url ("" for none) and queues
// its fetch. It fetches nothing itself, so the inbox never waits on it.
func (c *RemoteCache) RecordAvatar(ctx context.Context, actorID int64, url string) error {
	var rows []*model.RemoteMedia
	if url != "" {
		rows = append(rows, &model.RemoteMedia{URL: url})
	}
	return c.record(ctx, actorID, 0, RemoteAvatar, rows)
}

// RecordAttachments records a remote post's images and queues their fetch.
func (c *RemoteCache) RecordAttachments(ctx context.Context, postID int64, rows []*model.RemoteMedia) error {
	for i, r := range rows {
		r.Position = i
		r.Alt = clipRunes(strings.TrimSpace(r.Alt), MaxAlt)
	}
	return c.record(ctx, 0, postID, RemoteAttachment, rows)
}

func (c *RemoteCache) record(ctx context.Context, actorID, postID int64, kind string, rows []*model.RemoteMedia) error {
	stored, err := c.Store.ReplaceRemoteMedia(ctx, actorID, postID, kind, rows)
	if err != nil {
		return err
	}
	if c.Enqueue == nil {
		return nil
	}
	for _, r := range stored {
		if r.FileKey == "" {
			if err := c.Enqueue(ctx, r.ID); err != nil {
				return err
			}
		}
	}
	return nil
}

// ErrUnavailable is returned by Show for a picture whose last fetch failed.
var ErrUnavailable = errors.New("remote picture unavailable")

// Show is Ensure for a page view: a picture whose last fetch failed is not
// fetched again from here (the background job retries what may recover),
// so requests for it cannot make this server hammer the other one.
func (c *RemoteCache) Show(ctx context.Context, id int64) (*model.RemoteMedia, error) {
	m, err := c.Store.RemoteMediaByID(ctx, id)
	if err != nil {
		return nil, err
	}
	if m.FileKey == "" && m.Failure != "" {
		return nil, fmt.Errorf("%w: %s", ErrUnavailable, m.Failure)
	}
	return c.Ensure(ctx, id)
}

// Ensure returns the picture with FileKey naming our copy, fetching and
// re-encoding it first when we hold none (never fetched, or pruned).
func (c *RemoteCache) Ensure(ctx context.Context, id int64) (*model.RemoteMedia, error) {
	m, err := c.Store.RemoteMediaByID(ctx, id)
	if err != nil {
		return nil, err
	}
	if m.FileKey != "" {
		if f, err := c.Files.Open(ctx, m.FileKey); err == nil {
			f.Close()
			return m, nil
		}
	}
	if err := c.fetch(ctx, m); err != nil {
		c.log().Warn("remote picture not cached", "id", m.ID, "url", m.URL, "err", err)
		if ferr := c.Store.SetRemoteMediaFailure(context.WithoutCancel(ctx), m.ID, err.Error()); ferr != nil {
			c.log().Warn("recording the failure", "err", ferr)
		}
		return nil, err
	}
	return m, nil
}

// fetch gets, checks, re-encodes (dropping all metadata) and stores m.
func (c *RemoteCache) fetch(ctx context.Context, m *model.RemoteMedia) error {
	data, ctype, err := c.Fetch(ctx, m.URL)
	if err != nil {
		return fmt.Errorf("fetch %s: %w", m.URL, err)
	}
	mt, _, _ := mime.ParseMediaType(ctype)
	if !remoteTypes[mt] {
		return refuse(ErrUnsupported, "%s is served as %q, not a JPEG, PNG, WebP or GIF image", m.URL, ctype)
	}
	if len(data) > MaxBytes {
		return refuse(ErrTooLarge, "%s is larger than %d MB", m.URL, MaxBytes>>20)
	}
	p, err := Process(data, m.Kind)
	if err != nil {
		return fmt.Errorf("%s: %w", m.URL, err)
	}
	key := Key(p.Display, p.Ext)
	if err := c.Files.Put(ctx, key, p.ContentType, p.Display); err != nil {
		return err
	}
	m.FileKey, m.FileBytes, m.FetchedAt, m.Failure = key, int64(len(p.Display)), time.Now().UTC(), ""
	m.Width, m.Height, m.Blurhash = p.DisplayWidth, p.DisplayHeight, p.Blurhash
	// The file is stored: record it even if the caller's time ran out
	// while it was being processed, or the work would be done again.
	return c.Store.SetRemoteMediaCached(context.WithoutCancel(ctx), m)
}

// Prune drops copies older than MaxAge, then the oldest until the rest fit
// in MaxBytes. The records stay, so a pruned picture is fetched again when
// next shown. It returns how many copies went.
func (c *RemoteCache) Prune(ctx context.Context, now time.Time) (int, error) {
	rows, err := c.Store.CachedRemoteMedia(ctx)
	if err != nil {
		return 0, err
	}
	var total int64
	for _, r := range rows {
		total += r.FileBytes
	}
	n := 0
	for _, r := range rows {
		old := c.MaxAge > 0 && now.Sub(r.FetchedAt) > c.MaxAge
		over := c.MaxBytes > 0 && total > c.MaxBytes
		if !old && !over {
			break // oldest first: the rest are newer and fit
		}
		unused, err := c.Store.UncacheRemoteMedia(ctx, r.ID, r.FileKey)
		if err != nil {
			return n, err
		}
		if unused {
			if err := c.Files.Delete(ctx, r.FileKey); err != nil && !errors.Is(err, ErrNotExist) {
				c.log().Warn("pruned remote picture's file left behind", "key", r.FileKey, "err", err)
			}
		}
		total -= r.FileBytes
		n++
	}
	return n, nil
}

func (c *RemoteCache) log() *slog.Logger {
	if c.Log != nil {
		return c.Log
	}
	return slog.Default()
}

func clipRunes(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n])
}

// RemotePath is where a remote picture is shown on our pages: a path of
// ours that serves our copy, fetching it first if need be.
func RemotePath(id int64) string { return fmt.Sprintf("/media/remote/%d", id) }

// FetchRemoteArgs asks for one remote picture to be cached.
type FetchRemoteArgs struct {
	ID int64 `json:"id"`
}

// Kind names the job type.
func (FetchRemoteArgs) Kind() string { return "media.fetch_remote" }

// FetchRemoteWorker caches remote pictures in the background.
type FetchRemoteWorker struct {
	river.WorkerDefaults[FetchRemoteArgs]
	Cache *RemoteCache
}

// Work fetches the picture; a refused picture (too large, not an image) is
// not retried, since asking again gets the same answer.
func (w *FetchRemoteWorker) Work(ctx context.Context, job *river.Job[FetchRemoteArgs]) error {
	_, err := w.Cache.Ensure(ctx, job.Args.ID)
	if errors.Is(err, ErrTooLarge) || errors.Is(err, ErrUnsupported) || errors.Is(err, ErrAddressRefused) ||
		errors.Is(err, store.ErrNotFound) {
		return river.JobCancel(err)
	}
	return err
}
