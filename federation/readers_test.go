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

// BenchmarkNoteReader is what a signed GET of a post pays in the request
// for readers: parsing the signature and finding the (post, key) pair
// verified already, the case of a server that fetches again. The
// verification itself runs in the background (readers.go).
func BenchmarkNoteReader(b *testing.B) {
	req := signedGET(b, "https://gts.example/users/alice/main-key")
	s := readerServer()
	p := &model.Post{ID: 1}
	s.readerState.init().mark("1 https://gts.example/users/alice/main-key")
	b.ReportAllocs()
	for b.Loop() {
		s.noteReader(req, p)
	}
}
