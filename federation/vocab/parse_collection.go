package vocab

import (
	"encoding/json"
	"fmt"
)

// CollectionPage is a fetched collection or collection page: an outbox, a
// followers list, a replies collection, or one page of them.
type CollectionPage struct {
	ID, Type string
	// TotalItems is -1 when the server did not say. It need not match the
	// items: GoToSocial serves a cached count that can drift.
	TotalItems int
	// First is the first page's IRI; FirstPage is set when the page was
	// embedded (Mastodon's replies), with First set to its id if it has one.
	First      string
	FirstPage  *CollectionPage
	Next, Prev string
	PartOf     string
	Items      []Item
}

// Item is one collection member: an IRI, or an embedded document (Raw, the
// bytes as sent) whose id is copied into IRI when it has one.
type Item struct {
	IRI string
	Raw json.RawMessage
}

var collectionTypes = map[string]bool{
	"OrderedCollection": true, "OrderedCollectionPage": true,
	"Collection": true, "CollectionPage": true,
}

// ParseCollectionPage reads a collection or page of any of the four types.
// Embedded items keep their exact bytes so they can go to ParseActivity or
// ParseObject in turn.
func ParseCollectionPage(raw []byte) (*CollectionPage, error) {
	if err := checkObject(raw); err != nil {
		return nil, fmt.Errorf("vocab: parse collection: %w", err)
	}
	p, err := collectionFromRaw(raw, true)
	if err != nil {
		return nil, fmt.Errorf("vocab: parse collection: %w", err)
	}
	if !isHTTPURL(p.ID) {
		return nil, fmt.Errorf("vocab: parse collection: %w: id %q is not an absolute http(s) URL", ErrInvalid, p.ID)
	}
	return p, nil
}

// collectionFromRaw decodes members as RawMessage so embedded items and
// pages keep their bytes. An embedded first page is read one level deep.
func collectionFromRaw(raw []byte, top bool) (*CollectionPage, error) {
	var doc map[string]json.RawMessage
	if err := json.Unmarshal(raw, &doc); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrMalformed, err)
	}
	scalar := func(key string) any {
		var v any
		if len(doc[key]) > 0 {
			_ = json.Unmarshal(doc[key], &v)
		}
		return v
	}
	header := map[string]any{"type": scalar("type"), "id": scalar("id")}
	p := &CollectionPage{
		ID:         str(header, "id"),
		Type:       typeName(header),
		TotalItems: -1,
		Next:       ref(scalar("next")),
		Prev:       ref(scalar("prev")),
		PartOf:     ref(scalar("partOf")),
	}
	if !collectionTypes[p.Type] {
		return nil, fmt.Errorf("%w: %q is not a collection type", ErrUnsupportedType, p.Type)
	}
	if n, ok := number(scalar("totalItems")); ok && n >= 0 {
		p.TotalItems = int(n)
	}
	if first := doc["first"]; len(first) > 0 {
		if first[0] == '{' && top {
			page, err := collectionFromRaw(first, false)
			if err == nil {
				p.FirstPage = page
				p.First = page.ID
			}
		} else {
			p.First = ref(scalar("first"))
		}
	}
	items := doc["orderedItems"]
	if len(items) == 0 {
		items = doc["items"]
	}
	p.Items = itemsOf(items)
	return p, nil
}

// itemsOf splits an items member, array or single value, into Items.
func itemsOf(raw json.RawMessage) []Item {
	if len(raw) == 0 {
		return nil
	}
	var list []json.RawMessage
	if raw[0] == '[' {
		if json.Unmarshal(raw, &list) != nil {
			return nil
		}
	} else {
		list = []json.RawMessage{raw}
	}
	out := make([]Item, 0, len(list))
	for _, e := range list {
		switch {
		case len(e) == 0:
		case e[0] == '"':
			var s string
			if json.Unmarshal(e, &s) == nil && clean(s) != "" {
				out = append(out, Item{IRI: clean(s)})
			}
		case e[0] == '{':
			var head struct {
				ID any `json:"id"`
			}
			_ = json.Unmarshal(e, &head)
			id, _ := head.ID.(string)
			out = append(out, Item{IRI: clean(id), Raw: e})
		}
	}
	return out
}
