package vocab

import (
	"fmt"
	"time"

	"github.com/go-fed/activity/streams"
	"github.com/go-fed/activity/streams/vocab"
)

// MarshalTombstone renders what a deleted post's id serves, with status 410:
// Mastodon then drops its copy instead of retrying the fetch.
func MarshalTombstone(id, formerType string, deleted time.Time) ([]byte, error) {
	t, err := tombstone(id, formerType, deleted)
	if err != nil {
		return nil, fmt.Errorf("vocab: marshal tombstone: %w", err)
	}
	m, err := streams.Serialize(t)
	if err != nil {
		return nil, fmt.Errorf("vocab: marshal tombstone %s: %w", id, err)
	}
	return finish(m)
}

// tombstone builds Tombstone{id, formerType, deleted}; deleted is omitted
// when zero.
func tombstone(id, formerType string, deleted time.Time) (vocab.ActivityStreamsTombstone, error) {
	u, ok := httpURL(id)
	if !ok {
		return nil, fmt.Errorf("%w: id %q is not an absolute http(s) URL", ErrInvalid, id)
	}
	if formerType == "" {
		return nil, fmt.Errorf("%w: tombstone %s has no formerType", ErrInvalid, id)
	}
	t := streams.NewActivityStreamsTombstone()
	t.SetJSONLDId(idProp(u))
	ft := streams.NewActivityStreamsFormerTypeProperty()
	ft.AppendXMLSchemaString(formerType)
	t.SetActivityStreamsFormerType(ft)
	if !deleted.IsZero() {
		d := streams.NewActivityStreamsDeletedProperty()
		d.Set(deleted.UTC())
		t.SetActivityStreamsDeleted(d)
	}
	return t, nil
}
