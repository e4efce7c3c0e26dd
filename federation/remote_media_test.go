package federation

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/commonplace-social/commonplace/federation/transport"
	"github.com/commonplace-social/commonplace/internal/media"
)

// Outside local-testing mode the media cache's client will not fetch a
// picture from a private address (here loopback), whatever a remote post
// says its url is; in local-testing mode it will.
func TestMediaFetcherRefusesPrivateAddresses(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "image/png")
		_, _ = w.Write([]byte("png bytes"))
	}))
	defer srv.Close()
	ctx := context.Background()

	strict := MediaFetcher(MediaTransport(transport.Options{}))
	if _, _, err := strict(ctx, srv.URL+"/a.png"); !errors.Is(err, media.ErrAddressRefused) || !errors.Is(err, transport.ErrPrivateAddress) {
		t.Fatalf("fetch from loopback in production mode: %v, want a refused address", err)
	}

	local := MediaFetcher(MediaTransport(transport.Options{AllowPrivate: true}))
	data, ctype, err := local(ctx, srv.URL+"/a.png")
	if err != nil || string(data) != "png bytes" || ctype != "image/png" {
		t.Fatalf("fetch in local-testing mode: %q %q %v", data, ctype, err)
	}
}
