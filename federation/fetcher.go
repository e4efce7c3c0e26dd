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
	"github.com/commonplace-social/commonplace/internal/media"
	"github.com/commonplace-social/commonplace/internal/model"
	"github.com/commonplace-social/commonplace/internal/orgs"
	"github.com/commonplace-social/commonplace/internal/remoteurl"
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
	// KeyBudget bounds everything an inbox request does to get a key
	// (default 5s), so a silent key server cannot hold requests open.
	KeyBudget time.Duration
	// RemoteMedia records stored actors' avatars for the media cache; nil
	// leaves them out.
	RemoteMedia *media.RemoteCache

	signerOnce sync.Once
	signer     *httpsign.Signer
	signerErr  error

	gateOnce sync.Once
	keyGate  *keyGate // see gate
}

func (f *Fetcher) keyBudget() time.Duration {
	if f.KeyBudget > 0 {
		return f.KeyBudget
	}
	return 5 * time.Second
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

// get fetches an ActivityStreams document with a signed GET. The transport
// refuses a document whose id is not on the origin it was finally served
// from; callers that need the id exact use getAt.
func (f *Fetcher) get(ctx context.Context, rawURL string) ([]byte, error) {
	doc, err := f.getDoc(ctx, rawURL)
	if err != nil {
		return nil, err
	}
	return doc.Body, nil
}

func (f *Fetcher) getDoc(ctx context.Context, rawURL string) (*transport.Document, error) {
	s, err := f.Signer(ctx)
	if err != nil {
		return nil, err
	}
	return f.Transport.GetDocument(ctx, rawURL, s)
}

// Actor returns a remote actor, from the store while fresh, else fetched.
func (f *Fetcher) Actor(ctx context.Context, id string) (*model.Actor, error) {
	if a, ok := memoActor(ctx, id); ok {
		return a, nil
	}
	a, err := f.Store.RemoteActorByIRI(ctx, id)
	if err != nil || time.Since(a.FetchedAt) >= f.StaleAfter {
		if a, err = f.FetchActor(ctx, id); err != nil {
			return nil, err
		}
	}
	rememberActor(ctx, id, a)
	return a, nil
}

// FetchActor fetches a remote actor by id and stores it. The document must
// carry the id it was fetched at, so a server cannot pass off another's actor.
func (f *Fetcher) FetchActor(ctx context.Context, id string) (*model.Actor, error) {
	return f.fetchActor(ctx, id, "", false)
}

// fetchActor fetches and stores the actor at rawURL. vouchedKey is a key id
// whose document has just named this actor as owner. followID lets the
// actor's id differ from rawURL after a redirect (see getAt).
func (f *Fetcher) fetchActor(ctx context.Context, rawURL, vouchedKey string, followID bool) (*model.Actor, error) {
	// Refused here too, not only in saveActor, so production never even
	// asks an http:// or IP-literal server for an actor.
	if err := remoteurl.CheckID(rawURL, f.secure()); err != nil {
		return nil, model.Errorf(model.EInvalid, "refusing to fetch the actor %s: %v", rawURL, err)
	}
	rawURL = remoteurl.Clean(rawURL)
	if f.Layout.IsLocal(rawURL) {
		return nil, model.Errorf(model.EInvalid, "%s is on this instance, not a remote actor", rawURL)
	}
	doc, err := f.getAt(ctx, rawURL, followID)
	if err != nil {
		return nil, fmt.Errorf("fetch actor: %w", err)
	}
	return f.storeActor(ctx, doc, vouchedKey)
}

// storeActor stores the actor a checked document holds. Its key counts as
// confirmed when the key id dereferences to this very document (Mastodon's
// actor#main-key) or when the caller vouches for it.
func (f *Fetcher) storeActor(ctx context.Context, doc *transport.Document, vouchedKey string) (*model.Actor, error) {
	ra, err := vocab.ParseActor(doc.Body)
	if err != nil {
		return nil, fmt.Errorf("actor at %s: %w", doc.URL, err)
	}
	// ra.ID is canonical (vocab); doc.ID is as the document spelt it.
	if !sameID(ra.ID, doc.ID) {
		return nil, fmt.Errorf("actor at %s claims the id %s", doc.URL, ra.ID)
	}
	a := remoteActorModel(ra, doc.Body)
	keyDoc, _, _ := strings.Cut(a.PublicKeyID, "#")
	confirmed := a.PublicKeyID != "" && (a.PublicKeyID == vouchedKey || keyDoc == a.IRI)
	if err := f.saveActor(ctx, a, confirmed); err != nil {
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
		SharedInbox: ra.SharedInbox, IconURL: ra.IconURL, PublicKeyID: ra.PublicKey.ID, PublicKeyPEM: ra.PublicKey.PEM,
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
