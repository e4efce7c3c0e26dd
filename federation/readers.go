package federation

import (
	"context"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/commonplace-social/commonplace/federation/httpsign"
	"github.com/commonplace-social/commonplace/internal/model"
	"github.com/commonplace-social/commonplace/internal/remoteurl"
)

// A server that fetches one of our posts with a signed GET holds a copy
// from then on, often without following the author: it saw the post
// boosted by a network, or linked. Such a server applies an edit or delete
// only when the author itself sends it (Mastodon; GoToSocial re-fetches on
// anyone else's word only once its copy is two hours old), so the post
// records the signer's inbox as a reader and its Update and Delete go there
// too (as Mastodon does for servers it knows hold a status). One inbox is
// kept per server, the latest signer's: a server applies an Update once for
// all its users, and many actors of one server make no more deliveries.
//
// The GET never waits on this: the signature is parsed in the request and
// checked afterwards in the background, a few checks at a time and within
// the sender's own rate budget (as for the inbox); past either the reader
// is dropped. Nothing is recorded for an unsigned
// request, a signature that does not verify, a blocked signer or one of
// our own actors.
const (
	// maxPostReaders bounds the inboxes one post's edit can go to beyond
	// followers, so fetching cannot make our deliveries grow without bound.
	maxPostReaders = 1000
	// readerChecks is how many signature checks run at once.
	readerChecks = 4
	// readerMemoTTL is how long a (post, key) pair whose signature was
	// verified is not checked again: servers re-fetch, and each fetch would
	// otherwise cost a verification and a write that changes nothing.
	readerMemoTTL = 10 * time.Minute
	readerMemoMax = 10000
)

// readerState is the background checking of readers. Its zero value is
// ready: a Server is built as a literal.
type readerState struct {
	once    sync.Once
	slots   chan struct{}
	running sync.WaitGroup
	mu      sync.Mutex
	handled expiring[struct{}] // "post id key id" pairs verified lately
}

func (st *readerState) init() *readerState {
	st.once.Do(func() {
		st.slots = make(chan struct{}, readerChecks)
		st.handled = newExpiring[struct{}](readerMemoMax)
	})
	return st
}

// handledLately reports whether key was marked within readerMemoTTL.
func (st *readerState) handledLately(key string) bool {
	st.mu.Lock()
	defer st.mu.Unlock()
	_, _, ok := st.handled.get(key, time.Now())
	return ok
}

// mark notes that key's signer was verified and handled. Only a verified
// signature marks: otherwise a forgery naming someone's key would stop
// that server's own fetches from being checked for a while.
func (st *readerState) mark(key string) {
	st.mu.Lock()
	defer st.mu.Unlock()
	now := time.Now()
	st.handled.put(key, struct{}{}, now.Add(readerMemoTTL), now)
}

// noteReader starts the check of a signed fetch of p, if there is room.
// Call it once the response is written: r is only read here, not after.
func (s *Server) noteReader(r *http.Request, p *model.Post) {
	if r.Header.Get("Signature") == "" && r.Header.Get("Signature-Input") == "" {
		return
	}
	sig, err := httpsign.ParseAny(r, nil, s.Layout.Base, time.Now())
	if err != nil {
		s.Log.Debug("post fetched with an unusable signature", "post", p.ID, "err", err)
		return
	}
	st := s.readerState.init()
	key := strconv.FormatInt(p.ID, 10) + " " + sig.KeyID()
	if st.handledLately(key) {
		return
	}
	// A check may fetch the key from the server the keyId names: a sender
	// gets no more of those than the inbox would give it, from a budget of
	// their own so that fetching never costs a server its deliveries.
	if _, ok := s.InboxLimit.take("read "+claimedHost(r)+" "+s.clientAddr(r), time.Now()); !ok {
		s.Log.Debug("reader check dropped: too many from this sender", "post", p.ID, "key", sig.KeyID())
		return
	}
	select {
	case st.slots <- struct{}{}:
	default:
		s.Log.Debug("reader check dropped: all busy", "post", p.ID, "key", sig.KeyID())
		return
	}
	st.running.Add(1)
	go func() {
		defer func() { <-st.slots; st.running.Done() }()
		if s.recordReader(context.Background(), sig, p.ID) {
			st.mark(key)
		}
	}()
}

// recordReader verifies the signature and records its owner's inbox. It
// reports whether the signature verified and nothing is left to do.
func (s *Server) recordReader(ctx context.Context, sig httpsign.Verifier, postID int64) bool {
	log := s.Log.With("post", postID, "key", sig.KeyID())
	// A blocked server is not asked for its key, nor sent anything.
	if blocked, err := s.Blocks.IsBlocked(ctx, withoutFragment(sig.KeyID())); err != nil || blocked {
		log.Debug("reader not recorded: blocked", "err", err)
		return false
	}
	signer, err := s.verifiedSigner(ctx, sig)
	if err != nil {
		log.Debug("reader not recorded: the signature did not verify", "err", err)
		return false
	}
	if signer.Local {
		return true
	}
	if blocked, err := s.Blocks.IsBlocked(ctx, signer.IRI); err != nil || blocked {
		log.Debug("reader not recorded: blocked", "actor", signer.IRI, "err", err)
		return false
	}
	inbox := signer.SharedInbox
	if inbox == "" {
		inbox = signer.Inbox
	}
	// The inbox is on the signer's own server (vocab.ParseActor keeps no
	// other), so a reader cannot point our deliveries at a third party.
	host, err := remoteurl.URLHost(inbox)
	if err != nil {
		log.Debug("reader not recorded", "inbox", inbox, "err", err)
		return false
	}
	if _, err := s.Store.RecordPostReader(ctx, postID, host, inbox, maxPostReaders); err != nil {
		log.Warn("could not record a reader", "inbox", inbox, "err", err)
		return false
	}
	return true
}

// WaitReaders waits for the reader checks under way to end, or for ctx:
// at shutdown, before the database closes, and in tests.
func (s *Server) WaitReaders(ctx context.Context) error {
	done := make(chan struct{})
	go func() { s.readerState.init().running.Wait(); close(done) }()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
