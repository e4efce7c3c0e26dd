package federation

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/commonplace-social/commonplace/federation/httpsign"
	"github.com/commonplace-social/commonplace/internal/iri"
	"github.com/commonplace-social/commonplace/internal/keys"
	"github.com/commonplace-social/commonplace/internal/model"
)

// signedGET is a GET of a post signed with a new key of keyID.
func signedGET(tb testing.TB, keyID string) *http.Request {
	pair, err := keys.Generate()
	if err != nil {
		tb.Fatal(err)
	}
	signer, err := httpsign.NewSigner(keyID, pair.PrivatePEM)
	if err != nil {
		tb.Fatal(err)
	}
	req := httptest.NewRequest(http.MethodGet, "http://cp.example/users/stgemmas/posts/abc", nil)
	if err := signer.Sign(req, nil); err != nil {
		tb.Fatal(err)
	}
	return req
}

func readerServer() *Server {
	return &Server{Layout: iri.Layout{Base: "http://cp.example"}, Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
}

// A check dropped (the sender over its budget, or every slot busy) leaves
// the pair unmarked, so the server's next fetch is checked; one that
// starts marks it. No check runs here: the slots are taken, or nothing is
// let through.
func TestReaderChecksDropped(t *testing.T) {
	p := &model.Post{ID: 7}
	const alice, bob = "https://gts.example/users/alice/main-key", "https://gts.example/users/bob/main-key"

	s := readerServer()
	s.InboxLimit = NewInboxLimiter(0.001, 1)
	st := s.readerState.init()
	for range readerChecks {
		st.slots <- struct{}{}
	}
	s.noteReader(signedGET(t, alice), p) // the budget's one token; no slot
	s.noteReader(signedGET(t, bob), p)   // no token
	for _, k := range []string{alice, bob} {
		if st.seen("7 " + k) {
			t.Errorf("%s marked as checked, though its check was dropped", k)
		}
	}
}

// BenchmarkNoteReader is what a signed GET of a post pays in the request
// for readers: parsing the signature and finding the (post, key) pair
// handled already, the case of a server that fetches again. The
// verification itself runs in the background (readers.go).
func BenchmarkNoteReader(b *testing.B) {
	req := signedGET(b, "https://gts.example/users/alice/main-key")
	s := readerServer()
	p := &model.Post{ID: 1}
	s.readerState.init().seen("1 https://gts.example/users/alice/main-key")
	b.ReportAllocs()
	for b.Loop() {
		s.noteReader(req, p)
	}
}
