package store

import (
	"context"
	"fmt"
	"reflect"
	"strings"

	"github.com/commonplace-social/commonplace/internal/model"
)

// actorWithLookups is a remote actor read together with the two answers
// the inbox applier asks about a post's author next: whether one of our
// organisations follows it, and whether it belongs to any of our networks.
type actorWithLookups struct {
	model.Actor `bun:",extend"`

	Followed  bool `bun:"followed,scanonly"`
	Networked bool `bun:"networked,scanonly"`
}

// remoteActorWithLookups reads the actor iri and, in the same statement,
// answers IsFollowedLocally and (when it belongs to no network)
// NetworksOfMember for it into ctx's memo. Under an inbox flood most
// actors' turns hold one or two posts, so the memo seldom saved the two
// lookups; asked separately they were two more round trips per turn, a
// tenth of the serve process's CPU and more of the database's.
func (s *Store) remoteActorWithLookups(ctx context.Context, m *lookupMemo, iri string) (*model.Actor, error) {
	args := []any{iri, model.FollowAccepted, model.NetworkStateMember, model.ActorGroup}
	var row actorWithLookups
	var err error
	if q, ok := s.preparedOn(s.DB); ok {
		query := s.statements.remoteActorWithLookups.get(func() string { return s.actorWithLookupsSQL("$1", "$2", "$3", "$4") })
		err = s.scanOnePrepared(ctx, q, query, &row, args...)
	} else {
		// bun's ? are taken in the order they appear: the IRI comes last.
		err = s.DB.NewRaw(s.actorWithLookupsSQL("?", "?", "?", "?"), append(args[1:], iri)...).Scan(ctx, &row)
	}
	if err != nil {
		return nil, err
	}
	a := row.Actor
	remember(m, memoFollowed, a.ID, row.Followed)
	if !row.Networked { // a member's networks are read when asked for
		remember(m, memoNetworks, a.ID, nil)
	}
	return &a, nil
}

// actorWithLookupsSQL is the statement, with the given placeholders for
// the IRI, the accepted follow state, the member state and the group type.
// Its conditions are IsFollowedLocally's and NetworksOfMemberTx's.
func (s *Store) actorWithLookupsSQL(iri, accepted, member, group string) string {
	var cols []string
	for _, f := range s.DB.Table(reflect.TypeFor[model.Actor]()).Fields {
		cols = append(cols, `"actor".`+string(f.SQLName))
	}
	return fmt.Sprintf(`SELECT %s,
	EXISTS (SELECT 1 FROM follows WHERE followee_id = "actor".id AND state = %s) AS followed,
	EXISTS (SELECT 1 FROM network_members AS m JOIN actors AS n ON n.id = m.network_id
		WHERE m.member_id = "actor".id AND m.state = %s AND n.local AND n.type = %s) AS networked
FROM actors AS "actor" WHERE "actor".iri = %s`, strings.Join(cols, ", "), accepted, member, group, iri)
}
