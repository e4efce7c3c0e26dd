package federation

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/commonplace-social/commonplace/federation/httpsign"
	"github.com/commonplace-social/commonplace/federation/transport"
	"github.com/commonplace-social/commonplace/federation/vocab"
	"github.com/commonplace-social/commonplace/internal/iri"
	"github.com/commonplace-social/commonplace/internal/model"
	"github.com/commonplace-social/commonplace/internal/orgs"
	"github.com/commonplace-social/commonplace/internal/sanitize"
	"github.com/commonplace-social/commonplace/internal/store"
)

// Fetcher reads remote actors and keys, signing every GET as the instance
// actor, and keeps what it reads in the store.
type Fetcher struct {
	Transport *transport.Client
	Store     *store.Store
	Layout    iri.Layout
	Orgs      *orgs.Service
	// RefetchAfter is how long a stored remote actor is trusted before a
	// failed signature may trigger a fresh fetch of its key. Without a floor,
	// anyone could make us fetch a key on every forged request.
	RefetchAfter time.Duration
	// StaleAfter is when a stored actor is fetched again on use.
	StaleAfter time.Duration

	signerOnce sync.Once
	signer     *httpsign.Signer
	signerErr  error
}

// Signer is the instance actor's signer, created once.
func (f *Fetcher) Signer(ctx context.Context) (*httpsign.Signer, error) {
	f.signerOnce.Do(func() {
		a, err := f.Orgs.InstanceActor(ctx)
		if err != nil {
			f.signerErr = err
			return
		}
		f.signer, f.signerErr = httpsign.NewSigner(f.Layout.KeyIDOf(a), a.PrivateKeyPEM)
	})
	return f.signer, f.signerErr
}

// get fetches an ActivityStreams document with a signed GET.
func (f *Fetcher) get(ctx context.Context, rawURL string) ([]byte, error) {
	s, err := f.Signer(ctx)
	if err != nil {
		return nil, err
	}
	return f.Transport.GetActivity(ctx, rawURL, s)
}

// Actor returns a remote actor, from the store while fresh, else fetched.
func (f *Fetcher) Actor(ctx context.Context, id string) (*model.Actor, error) {
	if a, err := f.Store.RemoteActorByIRI(ctx, id); err == nil && time.Since(a.FetchedAt) < f.StaleAfter {
		return a, nil
	}
	return f.FetchActor(ctx, id)
}

// FetchActor fetches a remote actor by id and stores it. The document must
// carry the id it was fetched at, so a server cannot pass off another's actor.
func (f *Fetcher) FetchActor(ctx context.Context, id string) (*model.Actor, error) {
	if f.Layout.IsLocal(id) {
		return nil, model.Errorf(model.EInvalid, "%s is on this instance, not a remote actor", id)
	}
	body, err := f.get(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("fetch actor: %w", err)
	}
	return f.storeActor(ctx, id, body)
}

func (f *Fetcher) storeActor(ctx context.Context, fetchedFrom string, body []byte) (*model.Actor, error) {
	ra, err := vocab.ParseActor(body)
	if err != nil {
		return nil, fmt.Errorf("actor at %s: %w", fetchedFrom, err)
	}
	if ra.ID != fetchedFrom {
		return nil, fmt.Errorf("actor at %s claims the id %s", fetchedFrom, ra.ID)
	}
	a := remoteActorModel(ra, body)
	if err := f.Store.UpsertRemoteActor(ctx, a); err != nil {
		return nil, err
	}
	return a, nil
}

// remoteActorModel maps a parsed remote actor to what we store, with its
// HTML sanitised and its fields bounded.
func remoteActorModel(ra *vocab.RemoteActor, raw []byte) *model.Actor {
	host := ""
	if u, err := url.Parse(ra.ID); err == nil {
		host = u.Host
	}
	username := ra.PreferredUsername
	if username == "" {
		username = lastPathSegment(ra.ID)
	}
	return &model.Actor{
		Username: sanitize.Truncate(username, 100), Host: host, IRI: ra.ID, Type: ra.Type,
		Name:    sanitize.Truncate(sanitize.Text(ra.Name), 200),
		Summary: sanitize.HTML(sanitize.Truncate(ra.Summary, 5000)),
		URL:     ra.URL, Inbox: ra.Inbox, Outbox: ra.Outbox, Followers: ra.Followers, Following: ra.Following,
		SharedInbox: ra.SharedInbox, PublicKeyID: ra.PublicKey.ID, PublicKeyPEM: ra.PublicKey.PEM,
		ManuallyApprovesFollowers: ra.ManuallyApprovesFollowers, Discoverable: ra.Discoverable,
		Raw: sanitize.Text(string(raw)), FetchedAt: time.Now().UTC(),
	}
}

func lastPathSegment(id string) string {
	u, err := url.Parse(id)
	if err != nil {
		return ""
	}
	p := strings.TrimRight(u.Path, "/")
	return p[strings.LastIndex(p, "/")+1:]
}
