package vocab

import (
	"fmt"
	"net/url"

	"github.com/go-fed/activity/streams"
	"github.com/go-fed/activity/streams/vocab"
)

// Follow names a Follow activity: who follows whom, under which id.
type Follow struct {
	ID, Actor, Object string
}

// MarshalFollow renders a Follow addressed to the followed actor.
func MarshalFollow(f Follow) ([]byte, error) {
	m, err := followMap(f)
	if err != nil {
		return nil, fmt.Errorf("vocab: marshal follow: %w", err)
	}
	m["to"] = []any{f.Object}
	return finish(m)
}

// MarshalFollowAnswer renders an Accept, Reject or Undo of a Follow. The
// Follow is embedded whole (id, actor, object) because Mastodon matches an
// Accept by the embedded Follow when it has no record of the id.
func MarshalFollowAnswer(verb, id, actor string, f Follow) ([]byte, error) {
	iris, err := parseIRIs(map[string]string{"id": id, "actor": actor}, nil)
	if err != nil {
		return nil, fmt.Errorf("vocab: marshal %s: %w", verb, err)
	}
	var act interface {
		vocab.Type
		SetActivityStreamsActor(vocab.ActivityStreamsActorProperty)
	}
	switch verb {
	case "Accept":
		act = streams.NewActivityStreamsAccept()
	case "Reject":
		act = streams.NewActivityStreamsReject()
	case "Undo":
		act = streams.NewActivityStreamsUndo()
	default:
		return nil, fmt.Errorf("vocab: %w: %q is not an answer to a Follow", ErrInvalid, verb)
	}
	act.SetJSONLDId(idProp(iris["id"]))
	act.SetActivityStreamsActor(actorProp(iris["actor"]))
	m, err := streams.Serialize(act)
	if err != nil {
		return nil, fmt.Errorf("vocab: marshal %s %s: %w", verb, id, err)
	}
	inner, err := followMap(f)
	if err != nil {
		return nil, fmt.Errorf("vocab: marshal %s %s: %w", verb, id, err)
	}
	delete(inner, "@context")
	m["object"] = inner
	// The answer goes to the other party of the Follow.
	to := f.Actor
	if verb == "Undo" {
		to = f.Object
	}
	m["to"] = []any{to}
	return finish(m)
}

// MarshalUpdateActor renders an Update of a local actor's profile, sent to its
// followers so their servers refresh name, summary and key.
func MarshalUpdateActor(id string, a Actor) ([]byte, error) {
	doc, err := MarshalActor(a)
	if err != nil {
		return nil, err
	}
	obj, err := decodeObject(doc)
	if err != nil {
		return nil, err
	}
	delete(obj, "@context")
	iris, err := parseIRIs(map[string]string{"id": id, "actor": a.ID}, nil)
	if err != nil {
		return nil, fmt.Errorf("vocab: marshal update: %w", err)
	}
	up := streams.NewActivityStreamsUpdate()
	up.SetJSONLDId(idProp(iris["id"]))
	up.SetActivityStreamsActor(actorProp(iris["actor"]))
	m, err := streams.Serialize(up)
	if err != nil {
		return nil, fmt.Errorf("vocab: marshal update %s: %w", id, err)
	}
	m["object"] = obj
	m["to"] = []any{PublicIRI}
	if a.Followers != "" {
		m["cc"] = []any{a.Followers}
	}
	return finish(m)
}

func followMap(f Follow) (map[string]any, error) {
	iris, err := parseIRIs(map[string]string{"id": f.ID, "actor": f.Actor, "object": f.Object}, nil)
	if err != nil {
		return nil, err
	}
	fo := streams.NewActivityStreamsFollow()
	fo.SetJSONLDId(idProp(iris["id"]))
	fo.SetActivityStreamsActor(actorProp(iris["actor"]))
	obj := streams.NewActivityStreamsObjectProperty()
	obj.AppendIRI(iris["object"])
	fo.SetActivityStreamsObject(obj)
	return streams.Serialize(fo)
}

func actorProp(u *url.URL) vocab.ActivityStreamsActorProperty {
	p := streams.NewActivityStreamsActorProperty()
	p.AppendIRI(u)
	return p
}
