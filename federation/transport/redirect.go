package transport

import (
	"fmt"
	"net/http"

	"github.com/commonplace-social/commonplace/federation/httpsign"
)

// redirectPolicy follows at most maxRedirects redirects, to http or https
// only and never from https down to http. Each followed request is re-signed:
// the copied Signature covers the old path and host and would fail anyway.
// The target address is checked when it is dialled, like any other.
//
// A POST is followed only through 307 and 308, which keep the method and
// body; a 301/302/303 would turn a delivery into a GET, so the redirect
// response is returned instead (and reported as a non-2xx status).
func redirectPolicy(signer *httpsign.Signer, body []byte) func(*http.Request, []*http.Request) error {
	return func(req *http.Request, via []*http.Request) error {
		if len(via) > maxRedirects {
			return fmt.Errorf("%w: more than %d redirects", ErrRedirect, maxRedirects)
		}
		if err := checkURL(req.URL); err != nil {
			return err
		}
		if via[0].URL.Scheme == "https" && req.URL.Scheme != "https" {
			return fmt.Errorf("%w: downgrade from https to %s", ErrRedirect, req.URL.Scheme)
		}
		if via[0].Method == http.MethodPost && req.Method != http.MethodPost {
			return http.ErrUseLastResponse
		}
		if signer == nil {
			return nil
		}
		var b []byte
		if req.Method == http.MethodPost {
			b = body
		}
		if err := signer.Sign(req, b); err != nil {
			return fmt.Errorf("%w: %w", ErrSigning, err)
		}
		return nil
	}
}
