package vocab

import (
	"fmt"

	"github.com/go-fed/activity/streams"
	"github.com/go-fed/activity/streams/vocab"
)

// repliesProp builds the replies Collection with its first page embedded, as
// Mastodon does: a replies IRI alone makes Mastodon fetch the collection on
// every Create it receives (INTEROP §3).
func repliesProp(r Replies) (vocab.ActivityStreamsRepliesProperty, error) {
	iris, err := parseIRIs(map[string]string{"replies.id": r.ID},
		map[string]string{"replies.first.id": r.FirstID, "replies.first.next": r.Next})
	if err != nil {
		return nil, err
	}
	page := streams.NewActivityStreamsCollectionPage()
	if u := iris["replies.first.id"]; u != nil {
		page.SetJSONLDId(idProp(u))
	}
	partOf := streams.NewActivityStreamsPartOfProperty()
	partOf.SetIRI(iris["replies.id"])
	page.SetActivityStreamsPartOf(partOf)
	if u := iris["replies.first.next"]; u != nil {
		next := streams.NewActivityStreamsNextProperty()
		next.SetIRI(u)
		page.SetActivityStreamsNext(next)
	}
	if len(r.Items) > 0 {
		items := streams.NewActivityStreamsItemsProperty()
		for _, s := range r.Items {
			u, ok := httpURL(s)
			if !ok {
				return nil, fmt.Errorf("%w: reply %q is not an absolute http(s) URL", ErrInvalid, s)
			}
			items.AppendIRI(u)
		}
		page.SetActivityStreamsItems(items)
	}
	c := streams.NewActivityStreamsCollection()
	c.SetJSONLDId(idProp(iris["replies.id"]))
	first := streams.NewActivityStreamsFirstProperty()
	first.SetActivityStreamsCollectionPage(page)
	c.SetActivityStreamsFirst(first)
	p := streams.NewActivityStreamsRepliesProperty()
	p.SetActivityStreamsCollection(c)
	return p, nil
}

// ensureEmptyItems writes "items": [] on an empty embedded first page, which
// go-fed omits: an explicit empty page tells the reader there is nothing to
// fetch.
func ensureEmptyItems(m map[string]any) {
	replies, _ := m["replies"].(map[string]any)
	first, _ := replies["first"].(map[string]any)
	if first != nil && first["items"] == nil {
		first["items"] = []any{}
	}
}

// repliesOf reads an embedded replies collection; nil when replies is an IRI
// or absent (RepliesIRI has it then).
func repliesOf(v any) *Replies {
	m, ok := v.(map[string]any)
	if !ok {
		return nil
	}
	r := &Replies{ID: str(m, "id")}
	switch first := m["first"].(type) {
	case string:
		r.FirstID = clean(first)
	case map[string]any:
		r.FirstID = str(first, "id")
		r.Next = ref(first["next"])
		items := first["items"]
		if items == nil {
			items = first["orderedItems"]
		}
		if ids := refs(items); len(ids) > 0 {
			r.Items = ids
		}
	}
	return r
}
