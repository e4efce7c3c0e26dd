package federation

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"

	"github.com/commonplace-social/commonplace/federation/transport"
	"github.com/commonplace-social/commonplace/federation/vocab"
	"github.com/commonplace-social/commonplace/internal/media"
	"github.com/commonplace-social/commonplace/internal/model"
)

// MediaTransport is a client for fetching remote pictures: the same address
// policy as every federation request, with room for an image's size.
func MediaTransport(opts transport.Options) *transport.Client {
	opts.MaxBodyBytes = media.MaxBytes
	return transport.New(opts)
}

// MediaFetcher fetches remote pictures for the media cache through c,
// unsigned (media is public), translating the client's refusals into the
// media package's, so the cache knows not to retry them.
func MediaFetcher(c *transport.Client) media.Fetcher {
	return func(ctx context.Context, url string) ([]byte, string, error) {
		resp, err := c.Get(ctx, url, nil, "image/jpeg, image/png, image/webp, image/gif")
		switch {
		case errors.Is(err, transport.ErrBodyTooLarge):
			return nil, "", fmt.Errorf("%w: the file is larger than %d MB: %w", media.ErrTooLarge, media.MaxBytes>>20, err)
		case errors.Is(err, transport.ErrPrivateAddress), errors.Is(err, transport.ErrBadURL):
			return nil, "", fmt.Errorf("%w: %w", media.ErrAddressRefused, err)
		case err != nil:
			return nil, "", err
		}
		if resp.StatusCode != http.StatusOK {
			return nil, "", fmt.Errorf("the server answered %d", resp.StatusCode)
		}
		return resp.Body, resp.Header.Get("Content-Type"), nil
	}
}

// recordAvatar hands a stored remote actor's avatar to the media cache,
// which fetches it later; a failure to record is logged, never fatal to
// storing the actor.
func (f *Fetcher) recordAvatar(ctx context.Context, a *model.Actor) {
	if f.RemoteMedia == nil || a.Local {
		return
	}
	id := a.ID
	if id == 0 {
		stored, err := f.Store.RemoteActorByIRI(ctx, a.IRI)
		if err != nil {
			return
		}
		id = stored.ID
	}
	if err := f.RemoteMedia.RecordAvatar(ctx, id, a.IconURL); err != nil {
		slog.WarnContext(ctx, "remote avatar not recorded", "actor", a.IRI, "err", err)
	}
}

// recordAttachments hands the images of a remote post we stored to the
// media cache. Only images are kept: we show nothing else a remote post
// attaches (audio, video, links), and never link to it.
// p is the post as ReceiveCreate or ReceiveUpdate left it: its ID is set
// only when it was stored. fresh says it was stored just now, so it has no
// pictures on record yet.
func (s *Server) recordAttachments(ctx context.Context, o *vocab.Object, p *model.Post, fresh bool) {
	cache := s.Fetcher.RemoteMedia
	if cache == nil || p.ID == 0 {
		return // not stored (ignored, or deleted before)
	}
	var rows []*model.RemoteMedia
	for _, a := range o.Attachments {
		if a.URL == "" || !remoteImage(a) || len(rows) == maxRemoteImages {
			continue
		}
		alt := plainText(a.Summary) // preferred over name, as Mastodon does
		if alt == "" {
			alt = a.Name
		}
		rows = append(rows, &model.RemoteMedia{URL: a.URL, Alt: alt, MediaType: a.MediaType,
			Width: a.Width, Height: a.Height, Blurhash: clip(a.Blurhash, 100)})
	}
	if fresh && len(rows) == 0 {
		return // nothing to add, nothing to remove
	}
	if err := cache.RecordAttachments(ctx, p.ID, rows); err != nil {
		slog.WarnContext(ctx, "remote post's images not recorded", "post", o.ID, "err", err)
	}
}

// maxRemoteImages bounds the images kept per remote post (Mastodon's four,
// with room for servers that allow more).
const maxRemoteImages = 8

// remoteImage reports whether an attachment claims to be a picture: typed
// Image, or a Document with an image media type (Mastodon, GoToSocial).
func remoteImage(a vocab.Attachment) bool {
	if a.Type == "Image" {
		return true
	}
	return a.Type == "Document" && len(a.MediaType) > 6 && a.MediaType[:6] == "image/"
}
