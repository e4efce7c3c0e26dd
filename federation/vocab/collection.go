package vocab

import (
	"encoding/json"
	"fmt"

	"github.com/go-fed/activity/streams"
)

// MarshalOrderedCollection renders a collection's root (outbox, followers,
// following): its size, and the IRI of its first page ("" when there is
// none). Mastodon shows totalItems as the account's counts.
func MarshalOrderedCollection(id string, totalItems int, first string) ([]byte, error) {
	iris, err := parseIRIs(map[string]string{"id": id}, map[string]string{"first": first})
	if err != nil {
		return nil, fmt.Errorf("vocab: marshal collection: %w", err)
	}
	c := streams.NewActivityStreamsOrderedCollection()
	c.SetJSONLDId(idProp(iris["id"]))
	total := streams.NewActivityStreamsTotalItemsProperty()
	total.Set(max(totalItems, 0))
	c.SetActivityStreamsTotalItems(total)
	if u := iris["first"]; u != nil {
		p := streams.NewActivityStreamsFirstProperty()
		p.SetIRI(u)
		c.SetActivityStreamsFirst(p)
	}
	m, err := streams.Serialize(c)
	if err != nil {
		return nil, fmt.Errorf("vocab: marshal collection %s: %w", id, err)
	}
	return finish(m)
}

// MarshalEmptyOrderedCollection renders a collection that has nothing in it
// yet, with its empty orderedItems inline, as Mastodon serves `featured`.
func MarshalEmptyOrderedCollection(id string) ([]byte, error) {
	b, err := MarshalOrderedCollection(id, 0, "")
	if err != nil {
		return nil, err
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("vocab: marshal collection %s: %w", id, err)
	}
	m["orderedItems"] = []any{}
	return json.Marshal(m)
}

// OrderedCollectionPage is one page of an ordered collection we serve.
type OrderedCollectionPage struct {
	ID, PartOf string
	TotalItems int
	// Items are IRIs (followers) or embedded documents (outbox activities),
	// newest first; see Item.
	Items      []Item
	Next, Prev string // "" on the last / first page
}

// MarshalOrderedCollectionPage renders a page. An Item with Raw is embedded
// (its own @context removed: the page's covers it); otherwise its IRI is
// written. orderedItems is always an array, [] on an empty page.
func MarshalOrderedCollectionPage(p OrderedCollectionPage) ([]byte, error) {
	iris, err := parseIRIs(map[string]string{"id": p.ID, "partOf": p.PartOf},
		map[string]string{"next": p.Next, "prev": p.Prev})
	if err != nil {
		return nil, fmt.Errorf("vocab: marshal collection page: %w", err)
	}
	items, err := pageItems(p.Items)
	if err != nil {
		return nil, fmt.Errorf("vocab: marshal collection page %s: %w", p.ID, err)
	}
	c := streams.NewActivityStreamsOrderedCollectionPage()
	c.SetJSONLDId(idProp(iris["id"]))
	partOf := streams.NewActivityStreamsPartOfProperty()
	partOf.SetIRI(iris["partOf"])
	c.SetActivityStreamsPartOf(partOf)
	total := streams.NewActivityStreamsTotalItemsProperty()
	total.Set(max(p.TotalItems, 0))
	c.SetActivityStreamsTotalItems(total)
	if u := iris["next"]; u != nil {
		np := streams.NewActivityStreamsNextProperty()
		np.SetIRI(u)
		c.SetActivityStreamsNext(np)
	}
	if u := iris["prev"]; u != nil {
		pp := streams.NewActivityStreamsPrevProperty()
		pp.SetIRI(u)
		c.SetActivityStreamsPrev(pp)
	}
	m, err := streams.Serialize(c)
	if err != nil {
		return nil, fmt.Errorf("vocab: marshal collection page %s: %w", p.ID, err)
	}
	// Items are added after Serialize: embedded items are already JSON, and
	// rebuilding them as go-fed types would cost a ToType each and drop the
	// extension terms go-fed does not model.
	m["orderedItems"] = items
	return finish(m)
}

// pageItems turns Items into values json.Marshal writes as they are.
func pageItems(items []Item) ([]any, error) {
	out := make([]any, 0, len(items))
	for i, it := range items {
		if len(it.Raw) == 0 {
			if !isHTTPURL(it.IRI) {
				return nil, fmt.Errorf("%w: item %d: %q is not an absolute http(s) URL", ErrInvalid, i, it.IRI)
			}
			out = append(out, it.IRI)
			continue
		}
		doc, err := withoutContext(it.Raw)
		if err != nil {
			return nil, fmt.Errorf("item %d: %w", i, err)
		}
		out = append(out, doc)
	}
	return out, nil
}

func withoutContext(raw json.RawMessage) (json.RawMessage, error) {
	if err := checkObject(raw); err != nil {
		return nil, err
	}
	var doc map[string]json.RawMessage
	if err := json.Unmarshal(raw, &doc); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrMalformed, err)
	}
	if _, ok := doc["@context"]; !ok {
		return raw, nil
	}
	delete(doc, "@context")
	b, err := json.Marshal(doc)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrMalformed, err)
	}
	return b, nil
}
