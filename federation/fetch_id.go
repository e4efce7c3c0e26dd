package federation

import (
	"context"
	"fmt"

	"github.com/commonplace-social/commonplace/federation/transport"
)

// getAt fetches the document for an id and checks its id as Mastodon does:
// it must be rawURL itself, compared canonically (sameID). When a redirect led elsewhere and followID
// allows (a URL a person typed, say), a document carrying another id is
// fetched again from that id and must carry it exactly. The transport has
// already refused an id on another origin than the one that served it.
func (f *Fetcher) getAt(ctx context.Context, rawURL string, followID bool) (*transport.Document, error) {
	doc, err := f.getDoc(ctx, rawURL)
	if err != nil {
		return nil, err
	}
	if sameID(doc.ID, rawURL) {
		return doc, nil
	}
	if !followID || !doc.Redirected() || doc.ID == "" {
		return nil, fmt.Errorf("the document at %s claims the id %q", rawURL, doc.ID)
	}
	again, err := f.getDoc(ctx, doc.ID)
	if err != nil {
		return nil, fmt.Errorf("fetch %s again from its id: %w", rawURL, err)
	}
	if !sameID(again.ID, doc.ID) {
		return nil, fmt.Errorf("the document at %s claims the id %q", doc.ID, again.ID)
	}
	return again, nil
}
