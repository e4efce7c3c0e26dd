package store

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"github.com/commonplace-social/commonplace/internal/model"
)

// Kinds of block.
const (
	BlockAccount = "account" // Value is an actor IRI
	BlockDomain  = "domain"  // Value is a lower-cased host[:port]
)

// Block is one account or domain this instance no longer federates with.
type Block struct {
	bun.BaseModel `bun:"table:blocks"`

	ID        int64     `bun:"id,pk,autoincrement"`
	Kind      string    `bun:"kind"`
	Value     string    `bun:"value"`
	Reason    string    `bun:"reason"`
	CreatedAt time.Time `bun:"created_at"`
}

// PutBlock stores a block; blocking the same thing again only replaces the
// reason, so an operator can re-run a command without an error.
func (s *Store) PutBlock(ctx context.Context, db bun.IDB, b *Block) error {
	if b.CreatedAt.IsZero() {
		b.CreatedAt = time.Now().UTC()
	}
	_, err := db.NewInsert().Model(b).
		On("CONFLICT (kind, value) DO UPDATE").Set("reason = EXCLUDED.reason").
		Returning("id").Exec(ctx)
	if err != nil {
		return fmt.Errorf("block %s %s: %w", b.Kind, b.Value, err)
	}
	return nil
}

// DeleteBlock lifts a block and reports whether there was one.
func (s *Store) DeleteBlock(ctx context.Context, kind, value string) (bool, error) {
	res, err := s.DB.NewDelete().Model((*Block)(nil)).Where("kind = ?", kind).Where("value = ?", value).Exec(ctx)
	if err != nil {
		return false, fmt.Errorf("unblock %s %s: %w", kind, value, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("unblock %s %s: %w", kind, value, err)
	}
	return n > 0, nil
}

// Blocks lists every block, domains first, then by value.
func (s *Store) Blocks(ctx context.Context) ([]*Block, error) {
	var bs []*Block
	if err := s.DB.NewSelect().Model(&bs).OrderExpr("kind DESC, value ASC").Scan(ctx); err != nil {
		return nil, fmt.Errorf("list blocks: %w", err)
	}
	return bs, nil
}

// DeleteFollowsWithActor removes every follow to or from the remote actor
// with this IRI, returning how many went.
func (s *Store) DeleteFollowsWithActor(ctx context.Context, db bun.IDB, actorIRI string) (int, error) {
	actors := db.NewSelect().Model((*model.Actor)(nil)).Column("id").Where("NOT local").Where("iri = ?", actorIRI)
	return deleteFollowsOf(ctx, db, actors, actorIRI)
}

// DeleteFollowsWithHost removes every follow to or from remote actors on
// host. A host without a port also covers its other ports and subdomains,
// matching how domain blocks are checked.
func (s *Store) DeleteFollowsWithHost(ctx context.Context, db bun.IDB, host string) (int, error) {
	actors := db.NewSelect().Model((*model.Actor)(nil)).Column("id").Where("NOT local").
		WhereGroup(" AND ", func(q *bun.SelectQuery) *bun.SelectQuery {
			q = q.Where("LOWER(host) = ?", host)
			if !hasPort(host) {
				q = q.WhereOr("LOWER(host) LIKE ?", host+":%").
					WhereOr("LOWER(host) LIKE ?", "%."+host).
					WhereOr("LOWER(host) LIKE ?", "%."+host+":%")
			}
			return q
		})
	return deleteFollowsOf(ctx, db, actors, host)
}

func deleteFollowsOf(ctx context.Context, db bun.IDB, actors *bun.SelectQuery, what string) (int, error) {
	res, err := db.NewDelete().Model((*model.Follow)(nil)).
		Where("follower_id IN (?) OR followee_id IN (?)", actors, actors).Exec(ctx)
	if err != nil {
		return 0, fmt.Errorf("remove follows with %s: %w", what, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, fmt.Errorf("remove follows with %s: %w", what, err)
	}
	return int(n), nil
}

// hasPort reports whether a normalised host[:port] (IPv6 in brackets) names a port.
func hasPort(host string) bool {
	i := len(host) - 1
	for i >= 0 && host[i] >= '0' && host[i] <= '9' {
		i--
	}
	return i >= 0 && i < len(host)-1 && host[i] == ':'
}

// BlockedAccountInboxes lists the personal inboxes of blocked accounts we
// know, so deliveries addressed to them can be dropped by inbox URL.
func (s *Store) BlockedAccountInboxes(ctx context.Context) ([]string, error) {
	var inboxes []string
	err := s.DB.NewSelect().ColumnExpr("a.inbox").TableExpr("actors AS a").
		Join("JOIN blocks AS b ON b.value = a.iri").
		Where("b.kind = ?", BlockAccount).Where("NOT a.local").Where("a.inbox <> ''").
		Scan(ctx, &inboxes)
	if err != nil {
		return nil, fmt.Errorf("inboxes of blocked accounts: %w", err)
	}
	return inboxes, nil
}
