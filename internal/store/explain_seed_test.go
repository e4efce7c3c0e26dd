package store_test

import (
	"testing"

	"github.com/commonplace-social/commonplace/internal/model"
	"github.com/commonplace-social/commonplace/internal/store"
	"github.com/commonplace-social/commonplace/internal/store/storetest"
)

// seedRows is how many rows each big table gets: enough that the planner
// prefers an index wherever one fits, as it will on a busy instance.
const seedRows = 50_000

// seedRealistic fills a Postgres store the way a busy instance looks: one
// organisation with a thousand posts, seedRows remote accounts each
// following it, commenting once, liking and boosting once, with a recorded
// activity each; and the organisation's own follows of 5,000 of them,
// pending. Remote account i is https://r{i}.example/users/u.
func seedRealistic(t *testing.T, s *store.Store, orgID int64) {
	t.Helper()
	steps := []string{
		`INSERT INTO actors (local, username, host, iri, type, inbox, public_key_id, public_key_pem, created_at, updated_at)
		 SELECT false, 'u', 'r' || i || '.example', 'https://r' || i || '.example/users/u', 'Person',
		        'https://r' || i || '.example/users/u/inbox', 'https://r' || i || '.example/users/u#main-key', 'pub', now(), now()
		 FROM generate_series(1, ?) AS i`,
		`INSERT INTO follows (follower_id, followee_id, activity_iri, state, created_at, updated_at)
		 SELECT a.id, ?, a.iri || '/follows/1', 'accepted', now(), now() FROM actors a WHERE NOT a.local`,
		`INSERT INTO follows (follower_id, followee_id, activity_iri, state, created_at, updated_at)
		 SELECT ?, a.id, 'https://hsc.example/activities/f' || a.id, 'pending', now(), now()
		 FROM actors a WHERE NOT a.local ORDER BY a.id LIMIT 5000`,
		`INSERT INTO posts (author_id, local, token, kind, ap_type, content_html, in_timeline, published, created_at)
		 SELECT ?, true, 't' || i, 'update', 'Note', '<p>post</p>', true, now() - i * interval '1 hour', now()
		 FROM generate_series(1, 1000) AS i`,
		`INSERT INTO posts (author_id, local, iri, kind, ap_type, content_html, in_reply_to, thread_root_id, reply_count, published, created_at)
		 SELECT a.id, false, a.iri || '/statuses/1', 'comment', 'Note', '<p>reply</p>', '',
		        (SELECT min(id) FROM posts WHERE local) + a.id % 1000, 0, now() - a.id * interval '1 minute', now()
		 FROM actors a WHERE NOT a.local`,
		`INSERT INTO interactions (post_id, actor_id, type, activity_iri, created_at)
		 SELECT (SELECT min(id) FROM posts WHERE local) + a.id % 1000, a.id, t.type, a.iri || '/' || t.type || '/1', now()
		 FROM actors a, (VALUES ('like'), ('announce')) AS t(type) WHERE NOT a.local`,
		`UPDATE posts p SET reply_count = c.n FROM (SELECT thread_root_id, count(*) AS n FROM posts
		 WHERE thread_root_id IS NOT NULL GROUP BY thread_root_id) c WHERE p.id = c.thread_root_id`,
		`INSERT INTO inbox_activities (activity_iri, type, actor_iri, raw, received_at, processed_at, outcome)
		 SELECT a.iri || '/activities/' || a.id, 'Like', a.iri, '{}', now(), now(), 'applied' FROM actors a WHERE NOT a.local`,
		// Only this schema's tables (search_path): a bare ANALYZE walks the
		// whole database, where other tests drop their schemas meanwhile.
		`ANALYZE actors, follows, posts, interactions, inbox_activities`,
	}
	args := [][]any{{seedRows}, {orgID}, {orgID}, {orgID}, nil, nil, nil, nil, nil}
	for i, q := range steps {
		if _, err := s.DB.ExecContext(ctx, q, args[i]...); err != nil {
			t.Fatalf("seed step %d: %v", i, err)
		}
	}
}

// planPath is one path of statements whose plans are checked.
type planPath struct {
	name string
	run  func() error
}

// realisticStore is a PostgreSQL store seeded as a busy instance (see
// seedRealistic) around a local organisation, with every statement sent
// from now on recorded for its plan to be checked.
func realisticStore(t *testing.T) (*store.Store, *model.Actor, *recorder) {
	t.Helper()
	s := storetest.Open(t, store.Postgres)
	org := localOrg("hscleeds")
	if err := s.CreateActor(ctx, org); err != nil {
		t.Fatal(err)
	}
	seedRealistic(t, s, org.ID)
	rec := &recorder{}
	s.DB.AddQueryHook(rec)
	return s, org, rec
}

// checkPaths runs each path and checks the plan of every statement it sent.
func checkPaths(t *testing.T, s *store.Store, rec *recorder, paths []planPath) {
	t.Helper()
	for _, p := range paths {
		t.Run(p.name, func(t *testing.T) {
			for _, q := range rec.record(t, p.run) {
				checkPlan(t, s, q)
			}
		})
	}
}
