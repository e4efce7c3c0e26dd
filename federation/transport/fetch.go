package transport

import (
	"context"
	"fmt"
	"mime"
	"net/http"
	"net/url"
	"strings"

	"github.com/commonplace-social/commonplace/federation/httpsign"
	"github.com/commonplace-social/commonplace/internal/remoteurl"
)

// ActivityAccept is the Accept header for ActivityStreams fetches. Both
// types are listed because servers disagree on which they honour.
const ActivityAccept = `application/activity+json, application/ld+json; profile="https://www.w3.org/ns/activitystreams"`

// Response is a fully read response.
type Response struct {
	StatusCode int
	Header     http.Header
	Body       []byte
	URL        *url.URL // where the body came from, after redirects
}

// Get fetches rawURL, signed by signer unless it is nil, and returns the
// response whatever its status. The body is read in full within the size
// limit; a larger body is an error (ErrBodyTooLarge), never a truncated one.
func (c *Client) Get(ctx context.Context, rawURL string, signer *httpsign.Signer, accept string) (*Response, error) {
	var out *Response
	err := c.exchange(ctx, http.MethodGet, rawURL, acceptHeader(accept), nil, signer, func(resp *http.Response) error {
		body, err := readLimited(resp, c.opts.MaxBodyBytes)
		if err != nil {
			return err
		}
		out = &Response{StatusCode: resp.StatusCode, Header: resp.Header, Body: body, URL: resp.Request.URL}
		return nil
	})
	return out, err
}

// GetActivity fetches an ActivityStreams document and returns its body. A
// non-2xx answer is a *StatusError (so 404/410, gone, can be told from 5xx);
// a 2xx answer must be activity+json or ld+json, since plain JSON or HTML
// from an IRI is not a document the server vouches for as ActivityStreams.
// The document's id must be on the origin that finally served it (see
// GetDocument); whether it is exactly the IRI asked for is the caller's
// check.
func (c *Client) GetActivity(ctx context.Context, iri string, signer *httpsign.Signer) ([]byte, error) {
	doc, err := c.GetDocument(ctx, iri, signer)
	if err != nil {
		return nil, err
	}
	return doc.Body, nil
}

// readActivity reads a 2xx ActivityStreams answer or says why it is not one.
func readActivity(resp *http.Response, limit int64) ([]byte, error) {
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return nil, newStatusError(resp)
	}
	if ct := resp.Header.Get("Content-Type"); !IsActivityContentType(ct) {
		drain(resp)
		return nil, fmt.Errorf("%w: Content-Type %q", ErrNotActivity, ct)
	}
	return readLimited(resp, limit)
}

func acceptHeader(accept string) http.Header {
	if accept == "" {
		return nil
	}
	return http.Header{"Accept": {accept}}
}

// IsActivityContentType reports whether a Content-Type names an
// ActivityStreams document: application/activity+json or application/ld+json,
// with any parameters (a missing or different ld+json profile is tolerated,
// as Mastodon does).
func IsActivityContentType(contentType string) bool {
	mt, _, err := mime.ParseMediaType(contentType)
	if err != nil {
		return false
	}
	return mt == "application/activity+json" || mt == "application/ld+json"
}

// SameOrigin reports whether two absolute URLs share scheme, host and port,
// the test for whether a fetched document may speak for an id. Hosts are
// compared canonically (remoteurl.Host: case, IDNA, trailing dot, default
// port), the spelling ids are stored in, so a peer's own id is not refused
// for an odd spelling and no spelling passes for another server.
func SameOrigin(a, b string) bool {
	oa, ok := origin(a)
	if !ok {
		return false
	}
	ob, ok := origin(b)
	return ok && oa == ob
}

// origin is the canonical scheme://host[:port] of an absolute URL.
func origin(s string) (string, bool) {
	u, err := url.Parse(s)
	if err != nil || u.Host == "" {
		return "", false
	}
	scheme := strings.ToLower(u.Scheme)
	host, err := remoteurl.Host(scheme, u.Host)
	if err != nil {
		return "", false
	}
	return scheme + "://" + host, true
}
