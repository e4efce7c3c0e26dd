package transport

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"

	"github.com/commonplace-social/commonplace/federation/httpsign"
)

// Document is a fetched ActivityStreams document and where it came from.
type Document struct {
	Body      []byte
	ID        string // the document's own id as written; "" if it has none
	Requested string // the URL asked for
	URL       string // the URL it was served from, after any redirects
}

// Redirected reports whether the document was served from another URL than
// the one asked for.
func (d *Document) Redirected() bool { return d.URL != d.Requested }

// GetDocument is GetActivity that also says where the document came from,
// and refuses one whose id is on another origin than the URL that finally
// served it (ErrWrongOrigin): a redirect must not let one server's answer
// speak for ids on another, which is how anyone able to redirect (an open
// redirect, a compromised host) could plant documents under a victim's ids.
func (c *Client) GetDocument(ctx context.Context, iri string, signer *httpsign.Signer) (*Document, error) {
	doc := &Document{Requested: iri, URL: iri}
	err := c.exchange(ctx, http.MethodGet, iri, acceptHeader(ActivityAccept), nil, signer, func(resp *http.Response) error {
		body, err := readActivity(resp, c.opts.MaxBodyBytes)
		if err != nil {
			return err
		}
		doc.Body, doc.URL = body, resp.Request.URL.String()
		var head struct {
			ID any `json:"id"`
		}
		if json.Unmarshal(body, &head) == nil {
			doc.ID, _ = head.ID.(string)
		}
		if doc.ID != "" && !SameOrigin(doc.ID, doc.URL) {
			return fmt.Errorf("%w: the document's id %s is not on the origin of %s", ErrWrongOrigin, doc.ID, doc.URL)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return doc, nil
}
