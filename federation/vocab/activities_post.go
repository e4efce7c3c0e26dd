package vocab

import (
	"fmt"
	"time"

	"github.com/go-fed/activity/streams"
	"github.com/go-fed/activity/streams/vocab"
)

// MarshalCreate renders the Create that delivers a new post. The post is
// embedded whole so receivers need not fetch it; to, cc and published are
// copied from it, as Mastodon expects of a Create.
func MarshalCreate(id, actor string, p Post) ([]byte, error) {
	return wrapPost("Create", id, actor, p, p.Published)
}

// MarshalUpdate renders the Update that delivers an edited post. Mastodon
// treats it as an edit only when the object carries updated, so p.Updated is
// required; it is also the activity's published time.
func MarshalUpdate(id, actor string, p Post) ([]byte, error) {
	if p.Updated.IsZero() {
		return nil, fmt.Errorf("vocab: marshal Update %s: %w: the post has no updated time", id, ErrInvalid)
	}
	return wrapPost("Update", id, actor, p, p.Updated)
}

func wrapPost(verb, id, actor string, p Post, published time.Time) ([]byte, error) {
	iris, err := parseIRIs(map[string]string{"id": id, "actor": actor}, nil)
	if err != nil {
		return nil, fmt.Errorf("vocab: marshal %s: %w", verb, err)
	}
	// Mastodon rejects a Create whose actor is not the object's author.
	if actor != p.AttributedTo {
		return nil, fmt.Errorf("vocab: marshal %s %s: %w: actor %s is not the post's author %s", verb, id, ErrInvalid, actor, p.AttributedTo)
	}
	obj, err := postMap(p)
	if err != nil {
		return nil, err
	}
	delete(obj, "@context")
	var act interface {
		vocab.Type
		SetActivityStreamsActor(vocab.ActivityStreamsActorProperty)
		SetActivityStreamsTo(vocab.ActivityStreamsToProperty)
		SetActivityStreamsCc(vocab.ActivityStreamsCcProperty)
		SetActivityStreamsPublished(vocab.ActivityStreamsPublishedProperty)
	}
	if verb == "Create" {
		act = streams.NewActivityStreamsCreate()
	} else {
		act = streams.NewActivityStreamsUpdate()
	}
	act.SetJSONLDId(idProp(iris["id"]))
	act.SetActivityStreamsActor(actorProp(iris["actor"]))
	// postMap has checked the addresses.
	to, cc, _ := addressing(p.To, p.Cc)
	act.SetActivityStreamsTo(to)
	if cc != nil {
		act.SetActivityStreamsCc(cc)
	}
	if !published.IsZero() {
		pp := streams.NewActivityStreamsPublishedProperty()
		pp.Set(published.UTC())
		act.SetActivityStreamsPublished(pp)
	}
	m, err := streams.Serialize(act)
	if err != nil {
		return nil, fmt.Errorf("vocab: marshal %s %s: %w", verb, id, err)
	}
	m["object"] = obj
	return finish(m)
}

// MarshalDelete renders the Delete of a post, its object a Tombstone as
// Mastodon sends. Address it as the post was, so every server that received
// the post hears of its deletion.
func MarshalDelete(id, actor, objectID, formerType string, deleted time.Time, to, cc []string) ([]byte, error) {
	iris, err := parseIRIs(map[string]string{"id": id, "actor": actor}, nil)
	if err != nil {
		return nil, fmt.Errorf("vocab: marshal Delete: %w", err)
	}
	if len(to) == 0 {
		return nil, fmt.Errorf("vocab: marshal Delete %s: %w: to is empty", id, ErrInvalid)
	}
	tomb, err := tombstone(objectID, formerType, deleted)
	if err != nil {
		return nil, fmt.Errorf("vocab: marshal Delete %s: %w", id, err)
	}
	toProp, ccProp, err := addressing(to, cc)
	if err != nil {
		return nil, fmt.Errorf("vocab: marshal Delete %s: %w", id, err)
	}
	d := streams.NewActivityStreamsDelete()
	d.SetJSONLDId(idProp(iris["id"]))
	d.SetActivityStreamsActor(actorProp(iris["actor"]))
	d.SetActivityStreamsTo(toProp)
	if ccProp != nil {
		d.SetActivityStreamsCc(ccProp)
	}
	obj := streams.NewActivityStreamsObjectProperty()
	obj.AppendActivityStreamsTombstone(tomb)
	d.SetActivityStreamsObject(obj)
	m, err := streams.Serialize(d)
	if err != nil {
		return nil, fmt.Errorf("vocab: marshal Delete %s: %w", id, err)
	}
	return finish(m)
}
