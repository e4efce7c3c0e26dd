package store

import (
	"cmp"
	"context"
	"fmt"
	"html"
	"slices"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"github.com/commonplace-social/commonplace/internal/model"
)

// Snippets come back as plain text with the matched words between these
// two private-use characters, which the stored text never holds (the
// queries strip them). The caller escapes the text, then turns them into
// <mark>, so a post's own markup can never reach a page.
const (
	SnippetStart = "\uE000"
	SnippetEnd   = "\uE001"
)

// SearchCandidates bounds the matches ranked for one query on PostgreSQL:
// the newest this many, so a word in half of all posts costs a walk of the
// timeline index rather than a rank of every match. It also bounds how
// deep the pages go.
const SearchCandidates = 500

// SearchQuery is one search: the words in each dialect's own syntax (the
// search use case writes both from what the reader typed), the filters and
// the page.
type SearchQuery struct {
	Websearch string // PostgreSQL: input for websearch_to_tsquery('english', …)
	FTS       string // SQLite: an FTS5 query expression

	Kind     string // a model kind, model.KindComment included, or ""
	AuthorID int64  // the organisation: its posts, and comments on them; 0 for all
	Tag      string // folded tag, or ""
	From, To time.Time

	Offset, Limit int
}

// SearchHit is one result: the post, with its author and tags, and a
// snippet of its text (not its summary) as described at SnippetStart.
type SearchHit struct {
	Post    *model.Post
	Snippet string
}

// searchRow is a ranked match as the database returns it.
type searchRow struct {
	ID      int64  `bun:"id"`
	Snippet string `bun:"snippet"`
}

// Search finds the public posts and comments that match q, best first, and
// reports whether another page follows. Timeline posts (which are public
// and not deleted) count, and comments under those; deleted comments do
// not.
func (s *Store) Search(ctx context.Context, q SearchQuery) ([]SearchHit, bool, error) {
	var (
		rows []searchRow
		err  error
	)
	if s.Dialect == Postgres {
		rows, err = s.searchPostgres(ctx, q)
	} else {
		rows, err = s.searchSQLite(ctx, q)
	}
	if err != nil {
		return nil, false, fmt.Errorf("search posts: %w", err)
	}
	more := len(rows) > q.Limit
	if more {
		rows = rows[:q.Limit]
	}
	keys := make([]key, len(rows))
	snippets := make(map[int64]string, len(rows))
	for i, r := range rows {
		keys[i].ID, snippets[r.ID] = r.ID, r.Snippet
	}
	posts, err := s.postsByID(ctx, keys, true)
	if err != nil {
		return nil, false, err
	}
	hits := make([]SearchHit, len(posts))
	for i, p := range posts {
		hits[i] = SearchHit{Post: p, Snippet: snippets[p.ID]}
	}
	return hits, more, nil
}

// searchFilters adds the filters both dialects' statements share, on the
// post p; owner is the column naming the organisation a post belongs to.
// The tag is not among them: see searchByTag.
func searchFilters(q SearchQuery, p, owner string, where []string, args []any) ([]string, []any) {
	if q.AuthorID != 0 {
		where, args = append(where, owner+" = ?"), append(args, q.AuthorID)
	}
	if !q.From.IsZero() {
		where, args = append(where, p+".published >= ?"), append(args, q.From.UTC())
	}
	if !q.To.IsZero() {
		where, args = append(where, p+".published < ?"), append(args, q.To.UTC())
	}
	return where, args
}

// searchByTag is how a statement narrowed to a tag reads its posts: the
// tag's rows newest first (post_tags_kind, or post_tags_timeline for
// timeline posts of any kind), each joined to its post by id, so that only
// tagged posts are read and checked for the words. Walking the timeline
// instead read every post of the kind, tens of thousands, to find a rare
// tag's few hundred. kind narrows the rows ("" for any), timeline to the
// timeline's posts. It returns the joined tables, from post_tags AS t
// (join is the join that follows, such as "JOIN posts AS p ON …"), the
// conditions and the order to read them in.
func searchByTag(q SearchQuery, kind string, timeline bool, join string, where []string, args []any) (string, []string, []any, string) {
	where, args = append(where, "t.tag = ?"), append(args, q.Tag)
	if kind != "" {
		where, args = append(where, "t.kind = ?"), append(args, kind)
	}
	if timeline {
		where = append(where, "t.in_timeline")
	}
	return "post_tags AS t " + join, where, args, "t.published DESC, t.post_id DESC"
}

// tagJoinsByIndex runs a tag-narrowed search with the planner held to
// joins through an index, one way or the other: from the tag's rows to
// their posts when the word is common, from the word's few matches to
// their tags when it is rare. Left free, it guessed a rare word matched
// 5,000 posts and hashed all 300,000 rows of a common tag, in parallel
// workers, to find one post (EXPLAIN ANALYZE: 7,700 buffers against 15).
func tagJoinsByIndex(run func(context.Context, bun.IDB) error) func(context.Context, bun.IDB) error {
	return func(ctx context.Context, db bun.IDB) error {
		return db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
			_, err := tx.ExecContext(ctx, `SELECT set_config('enable_hashjoin', 'off', true),
    set_config('enable_mergejoin', 'off', true), set_config('max_parallel_workers_per_gather', '0', true)`)
			if err != nil {
				return err
			}
			return run(ctx, tx)
		})
	}
}

// searchPostgres ranks the newest SearchCandidates matches by ts_rank_cd.
// Each branch reads its matches newest first; then only the page's rows
// get a ts_headline.
func (s *Store) searchPostgres(ctx context.Context, q SearchQuery) ([]searchRow, error) {
	// The query is written out in each branch, not taken from sq: as a
	// constant the planner can weigh how many posts match it, and walk
	// posts_timeline for a common word but read posts_search for a rare
	// one; from a subquery it guessed, and read every match of a common
	// word through the GIN index.
	const tsquery = "websearch_to_tsquery('english', ?)"
	var branches []string
	var args []any
	// Each branch ranks the rows it returns while it has their tsvector
	// in hand, rather than reading them again to rank them.
	branch := func(from string, where []string, wargs []any, order string) {
		branches = append(branches, "(SELECT p.id, p.published, ts_rank_cd(p.search, "+tsquery+") AS rank FROM "+from+
			" WHERE "+strings.Join(where, " AND ")+
			fmt.Sprintf(" ORDER BY %s LIMIT %d)", order, SearchCandidates))
		args = append(append(args, q.Websearch), wargs...)
	}
	const newest = "p.published DESC, p.id DESC"
	if q.Kind != model.KindComment {
		where := []string{"p.search @@ " + tsquery, "p.in_timeline", "p.deleted_at IS NULL"}
		wargs := []any{q.Websearch}
		if q.Kind != "" {
			where, wargs = append(where, "p.kind = ?"), append(wargs, q.Kind)
		}
		where, wargs = searchFilters(q, "p", "p.author_id", where, wargs)
		from, order := "posts AS p", newest
		if q.Tag != "" {
			from, where, wargs, order = searchByTag(q, q.Kind, true, "JOIN posts AS p ON p.id = t.post_id", where, wargs)
		}
		branch(from, where, wargs, order)
	}
	if q.Kind == "" || q.Kind == model.KindComment {
		const roots = "JOIN posts AS r ON r.id = p.thread_root_id"
		where := []string{"p.search @@ " + tsquery, "p.kind = 'comment'", "p.deleted_at IS NULL",
			"r.in_timeline", "r.deleted_at IS NULL"}
		where, wargs := searchFilters(q, "p", "r.author_id", where, []any{q.Websearch})
		from, order := "posts AS p "+roots, newest
		if q.Tag != "" {
			from, where, wargs, order = searchByTag(q, model.KindComment, false, "JOIN posts AS p ON p.id = t.post_id "+roots, where, wargs)
		}
		branch(from, where, wargs, order)
	}
	stmt := `WITH sq AS MATERIALIZED (SELECT websearch_to_tsquery('english', ?) AS q),
hits AS (` + strings.Join(branches, " UNION ALL ") + `),
top AS (SELECT id, published, rank FROM hits ORDER BY published DESC, id DESC LIMIT ` + fmt.Sprint(SearchCandidates) + `),
ranked AS (SELECT id, rank, published FROM top ORDER BY rank DESC, published DESC, id DESC LIMIT ? OFFSET ?)
SELECT ranked.id, ts_headline('english',
    translate(regexp_replace(p.content_html, '<[^>]*>', ' ', 'g'), ?, ''),
    sq.q, ?) AS snippet
FROM ranked JOIN posts AS p ON p.id = ranked.id, sq
ORDER BY ranked.rank DESC, ranked.published DESC, ranked.id DESC`
	all := append([]any{q.Websearch}, args...)
	all = append(all, q.Limit+1, q.Offset, SnippetStart+SnippetEnd,
		`StartSel=`+SnippetStart+`, StopSel=`+SnippetEnd+`, MaxWords=35, MinWords=15`)
	var rows []searchRow
	run := func(ctx context.Context, db bun.IDB) error { return db.NewRaw(stmt, all...).Scan(ctx, &rows) }
	if q.Tag != "" {
		run = tagJoinsByIndex(run)
	}
	if err := run(ctx, s.DB); err != nil {
		return nil, err
	}
	// The snippet came from HTML with its tags cut out; its entities are
	// decoded here so the page escapes each character once.
	for i := range rows {
		rows[i].Snippet = html.UnescapeString(rows[i].Snippet)
	}
	return rows, nil
}

// searchSQLite ranks by bm25, title above summary above text, the newest
// SearchCandidates matches (newest by id, the order FTS5 reads a match's
// rows in, so it stops when it has them); then makes snippets for the
// page's rows only. CROSS JOIN keeps the FTS table outermost: planned the
// other way, a filter's index drove the join and ran the MATCH per post.
func (s *Store) searchSQLite(ctx context.Context, q SearchQuery) ([]searchRow, error) {
	where := []string{"post_search MATCH ?", "p.deleted_at IS NULL"}
	args := []any{q.FTS}
	switch q.Kind {
	case "":
		where = append(where, "(p.in_timeline OR (p.kind = 'comment' AND r.in_timeline AND r.deleted_at IS NULL))")
	case model.KindComment:
		where = append(where, "p.kind = 'comment'", "r.in_timeline", "r.deleted_at IS NULL")
	default:
		where, args = append(where, "p.in_timeline", "p.kind = ?"), append(args, q.Kind)
	}
	// A comment belongs to the organisation whose post it answers.
	where, args = searchFilters(q, "p", "CASE WHEN p.kind = 'comment' THEN r.author_id ELSE p.author_id END", where, args)
	var (
		ids []int64
		err error
	)
	if q.Tag != "" {
		ids, err = s.searchSQLiteTagged(ctx, q, where, args)
	} else {
		stmt := `SELECT id FROM (
  SELECT p.id, p.published, ` + sqliteRank + ` AS rank
  FROM post_search CROSS JOIN posts AS p ON p.id = post_search.rowid
  LEFT JOIN posts AS r ON r.id = p.thread_root_id
  WHERE ` + strings.Join(where, " AND ") + `
  ORDER BY post_search.rowid DESC LIMIT ` + fmt.Sprint(SearchCandidates) + `)
ORDER BY rank, published DESC, id DESC LIMIT ? OFFSET ?`
		err = s.DB.NewRaw(stmt, append(args, q.Limit+1, q.Offset)...).Scan(ctx, &ids)
	}
	if err != nil {
		return nil, err
	}
	if len(ids) == 0 {
		return nil, nil
	}
	var snips []searchRow
	err = s.DB.NewRaw(`SELECT rowid AS id, snippet(post_search, 2, ?, ?, ' … ', 24) AS snippet
FROM post_search WHERE post_search MATCH ? AND rowid IN (?)`, SnippetStart, SnippetEnd, q.FTS, bun.In(ids)).Scan(ctx, &snips)
	if err != nil {
		return nil, err
	}
	bySnippet := make(map[int64]string, len(snips))
	for _, r := range snips {
		bySnippet[r.ID] = r.Snippet
	}
	rows := make([]searchRow, len(ids))
	for i, id := range ids {
		rows[i] = searchRow{ID: id, Snippet: bySnippet[id]}
	}
	return rows, nil
}

// sqliteRank ranks by bm25, a title match above a summary's above the
// text's.
const sqliteRank = "bm25(post_search, 5.0, 2.0, 1.0)"

// searchSQLiteTagged is searchSQLite narrowed to a tag: the newest
// SearchCandidates tagged posts that match, each looked up in post_search
// by its rowid, then ranked in a second statement. Ranking in the first
// cost a full count of each word's matches per post, since bm25 works out
// how rare a word is afresh for every lookup; the second reads the
// matches once, in one pass, and ranks only the candidates among them.
func (s *Store) searchSQLiteTagged(ctx context.Context, q SearchQuery, where []string, args []any) ([]int64, error) {
	from, where, args, order := searchByTag(q, q.Kind, q.Kind != "" && q.Kind != model.KindComment,
		"CROSS JOIN posts AS p ON p.id = t.post_id CROSS JOIN post_search ON post_search.rowid = p.id", where, args)
	var ids []int64
	err := s.DB.NewRaw(`SELECT p.id FROM `+from+`
LEFT JOIN posts AS r ON r.id = p.thread_root_id
WHERE `+strings.Join(where, " AND ")+`
ORDER BY `+order+` LIMIT `+fmt.Sprint(SearchCandidates), args...).Scan(ctx, &ids)
	if err != nil || len(ids) == 0 {
		return nil, err
	}
	// The unary + keeps the ids from post_search, which would otherwise
	// look each one up, with bm25 again counting every match each time.
	var ranked []int64
	err = s.DB.NewRaw(`SELECT id FROM (
  SELECT p.id, p.published, `+sqliteRank+` AS rank
  FROM post_search CROSS JOIN posts AS p ON p.id = post_search.rowid
  WHERE post_search MATCH ? AND +post_search.rowid IN (?))
ORDER BY rank, published DESC, id DESC LIMIT ? OFFSET ?`, q.FTS, bun.In(ids), q.Limit+1, q.Offset).Scan(ctx, &ranked)
	return ranked, err
}

// SearchableOrgs lists the organisations whose posts a search can be
// narrowed to: this instance's, then the accounts elsewhere that they
// follow, each by name. Read from the local side, so accounts that only
// follow us (thousands, on a busy site) are never scanned.
func (s *Store) SearchableOrgs(ctx context.Context) ([]*model.Actor, error) {
	local, err := s.LocalActors(ctx, model.ActorOrganization)
	if err != nil {
		return nil, err
	}
	ids := make([]int64, len(local))
	for i, a := range local {
		ids[i] = a.ID
	}
	var followed []*model.Actor
	if len(ids) > 0 {
		err = s.DB.NewSelect().Model(&followed).
			Where("actor.id IN (?)", s.DB.NewSelect().TableExpr("follows AS f").ColumnExpr("f.followee_id").
				Where("f.follower_id IN (?)", bun.In(ids)).Where("f.state = ?", model.FollowAccepted)).
			Where("NOT actor.local").Scan(ctx)
		if err != nil {
			return nil, fmt.Errorf("list followed organisations: %w", err)
		}
	}
	byName := func(a, b *model.Actor) int {
		return cmp.Or(strings.Compare(strings.ToLower(displayName(a)), strings.ToLower(displayName(b))), cmp.Compare(a.ID, b.ID))
	}
	slices.SortFunc(local, byName)
	slices.SortFunc(followed, byName)
	return append(local, followed...), nil
}

func displayName(a *model.Actor) string { return cmp.Or(a.Name, a.Username) }
