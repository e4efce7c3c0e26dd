package transport

import (
	"context"
	"fmt"
	"net/http"

	"github.com/commonplace-social/commonplace/federation/httpsign"
)

// ActivityContentType is what deliveries are sent as. Mastodon itself sends
// it, and GoToSocial answers 406 to anything but this or ld+json with the
// ActivityStreams profile.
const ActivityContentType = "application/activity+json"

// Post delivers body to an inbox. It is signed here, at send time, so each
// retry goes out with a fresh Date and signature; peers refuse unsigned
// deliveries, so signer is required. A non-2xx answer is a *StatusError;
// use Retryable to decide whether to try again.
func (c *Client) Post(ctx context.Context, inbox string, body []byte, signer *httpsign.Signer) error {
	if signer == nil {
		return fmt.Errorf("POST %s: %w: no signer", inbox, ErrSigning)
	}
	if body == nil {
		body = []byte{} // a nil body would be signed like a GET, without Digest
	}
	header := http.Header{"Content-Type": {ActivityContentType}}
	return c.exchange(ctx, http.MethodPost, inbox, header, body, signer, func(resp *http.Response) error {
		if resp.StatusCode < 200 || resp.StatusCode > 299 {
			return newStatusError(resp)
		}
		drain(resp)
		return nil
	})
}
