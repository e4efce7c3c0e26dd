package store_test

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/commonplace-social/commonplace/internal/model"
	"github.com/commonplace-social/commonplace/internal/store"
	"github.com/commonplace-social/commonplace/internal/store/storetest"
)

// pageQuery is one read a page makes, and the index its list must come from.
type pageQuery struct {
	name  string
	run   func() error
	index string // or several, "a|b": the planner may take either
	// seek: the read starts at a cursor, which must bound the index range
	// rather than filter the rows before it.
	seek bool
	// sort: the read may sort, because it sorts a short range (the
	// events not over yet) rather than the whole list.
	sort bool
	// most, when set, is the rows a scan may touch instead of maxTouched:
	// for a list Postgres reads whole because it judges that cheaper.
	most float64
}

// Every read the list pages make comes from an index in the page's order,
// starting at the page's cursor: no whole-table reads, no sorting the
// list, and a page deep in a list touches as few rows as the first. On
// Postgres each plan is run (EXPLAIN ANALYZE) and the rows each scan
// touched are counted; on SQLite, which reports no counts, the plan must
// name the index and, for a deep page, a range of it. SQLite is checked
// as a served instance leaves it, without statistics, and after ANALYZE.
func TestPagesUseIndexes(t *testing.T) {
	if testing.Short() {
		t.Skip("seeds 30,000 posts")
	}
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		queries := seedPagesForPlans(t, s)
		rec := &recorder{}
		s.DB.AddQueryHook(rec)
		check := func(t *testing.T) {
			for _, q := range queries {
				t.Run(q.name, func(t *testing.T) {
					sqls := rec.record(t, q.run)
					if len(sqls) == 0 {
						t.Fatal("no statement was recorded")
					}
					for i, sql := range sqls {
						checkPagePlan(t, s, sql, q, i == 0)
					}
				})
			}
		}
		if s.Dialect == store.Postgres {
			// As autovacuum leaves a table that has settled: analyzed, and
			// its pages marked all-visible, which index-only reads count on.
			if _, err := s.DB.ExecContext(ctx, "VACUUM ANALYZE actors, follows, posts, post_tags, network_members"); err != nil {
				t.Fatal(err)
			}
			check(t)
			return
		}
		t.Run("as served", check)
		if _, err := s.DB.ExecContext(ctx, "ANALYZE"); err != nil {
			t.Fatal(err)
		}
		t.Run("analyzed", check)
	})
}

// seedPagesForPlans stores 30,000 timeline posts over ten years through
// the store's bulk insert, 5,000 remote accounts, a thread of 1,000
// comments and follows, and returns the reads to check, with cursors deep
// enough that reading up to them would touch thousands of rows.
func seedPagesForPlans(t *testing.T, s *store.Store) []pageQuery {
	t.Helper()
	const n = 30_000
	org := localOrg("plans")
	if err := s.CreateActor(ctx, org); err != nil {
		t.Fatal(err)
	}
	var people []*model.Actor
	for i := range 5_000 {
		a := remote(i)
		a.CreatedAt, a.UpdatedAt = time.Now().UTC(), time.Now().UTC()
		people = append(people, a)
	}
	for start := 0; start < len(people); start += 1000 {
		batch := people[start : start+1000]
		if _, err := s.DB.NewInsert().Model(&batch).Returning("id").Exec(ctx); err != nil {
			t.Fatal(err)
		}
	}
	now := time.Date(2027, 6, 1, 12, 0, 0, 0, time.UTC)
	topics := []string{"Social media toolkit", "consent", "Consent", "Accessibility", ""}
	var batch []*model.Post
	for i := range n {
		p := &model.Post{AuthorID: org.ID, Local: true, Token: fmt.Sprint("p", i), Kind: model.KindUpdate, APType: "Note",
			Title: fmt.Sprint("Post ", i), ContentHTML: "<p>words</p>", InTimeline: true,
			Published: now.Add(-time.Duration(n-i) * 3 * time.Hour)}
		if i%2 == 0 {
			p.AuthorID = people[i%500].ID
			p.Local, p.Token, p.IRI = false, "", fmt.Sprintf("%s/statuses/%d", people[i%500].IRI, i)
		}
		switch i % 20 {
		case 0:
			p.Kind, p.APType = model.KindEvent, "Event"
			start := p.Published.Add(time.Duration(i%40) * 24 * time.Hour)
			p.Event = model.Event{StartTime: start, EndTime: start.Add(2 * time.Hour), TimeZone: "Europe/London"}
		case 1:
			p.Kind, p.APType, p.Topic = model.KindGuidance, "Article", topics[(i/20)%len(topics)]
		case 2, 3, 4, 5:
			p.Kind, p.APType = model.KindMeetupNote, "Article"
		}
		if i%3 == 0 {
			p.Tags = append(p.Tags, model.Tag{Tag: "hscleeds", Name: "HSCLeeds"})
		}
		if i%100 == 7 {
			p.Tags = append(p.Tags, model.Tag{Tag: "tweetmeet", Name: "TweetMeet"})
		}
		if batch = append(batch, p); len(batch) == 1000 {
			if err := s.InsertPosts(ctx, s.DB, batch); err != nil {
				t.Fatal(err)
			}
			batch = nil
		}
	}
	root, err := s.PostByToken(ctx, "p29001")
	if err != nil {
		t.Fatal(err)
	}
	var comments []*model.Post
	for j := range 1000 {
		a := people[1000+j]
		comments = append(comments, &model.Post{AuthorID: a.ID, IRI: a.IRI + "/statuses/c", Kind: model.KindComment, APType: "Note",
			ContentHTML: "<p>reply</p>", ThreadRootID: root.ID, Published: root.Published.Add(time.Duration(j/2) * time.Minute)})
	}
	if err := s.InsertPosts(ctx, s.DB, comments); err != nil {
		t.Fatal(err)
	}
	other := localOrg("other")
	if err := s.CreateActor(ctx, other); err != nil {
		t.Fatal(err)
	}
	var follows []*model.Follow
	for i, a := range people[:2000] {
		f := &model.Follow{FollowerID: a.ID, FolloweeID: other.ID, ActivityIRI: a.IRI + "/follows/1", State: model.FollowAccepted,
			CreatedAt: now, UpdatedAt: now}
		if i < 50 {
			f.FolloweeID = org.ID
		}
		follows = append(follows, f)
	}
	if _, err := s.DB.NewInsert().Model(&follows).Exec(ctx); err != nil {
		t.Fatal(err)
	}
	// A network of the local organisation and half the remote authors: three
	// posts in four are its members'.
	net := localOrg("network")
	net.Type = model.ActorGroup
	if err := s.CreateActor(ctx, net); err != nil {
		t.Fatal(err)
	}
	for _, a := range append([]*model.Actor{org}, people[:250]...) {
		if _, err := s.AddNetworkMember(ctx, s.DB, net.ID, a.ID, model.NetworkStateMember); err != nil {
			t.Fatal(err)
		}
	}
	// A cursor deep in each list, as the page before would link to it.
	at := func(offset int, where, column string, args ...any) *store.Cursor {
		var c struct {
			At time.Time `bun:"at"`
			ID int64     `bun:"id"`
		}
		q := "SELECT " + column + " AS at, id FROM posts WHERE " + where + " ORDER BY " + column + " DESC, id DESC LIMIT 1 OFFSET ?"
		if err := s.DB.NewRaw(q, append(args, offset)...).Scan(ctx, &c); err != nil {
			t.Fatalf("cursor for %s: %v", where, err)
		}
		return &store.Cursor{Published: c.At, ID: c.ID}
	}
	live := "in_timeline AND deleted_at IS NULL"
	tagged := func(tag string) string {
		return live + " AND EXISTS (SELECT 1 FROM post_tags WHERE post_id = posts.id AND tag = '" + tag + "')"
	}
	deep := at(20_000, live, "published")
	deepUpdate := at(15_000, live+" AND kind = 'update'", "published")
	deepTag := at(8_000, tagged("hscleeds"), "published")
	deepOrg := at(10_000, "author_id = ? AND deleted_at IS NULL", "published", org.ID)
	deepNetwork := at(15_000, live+" AND author_id IN (SELECT member_id FROM network_members WHERE network_id = ? AND state = 'member')",
		"published", net.ID)
	pastWhere := live + " AND kind = 'event' AND COALESCE(end_time, start_time) <= ?"
	deepPast := at(1_000, pastWhere, "start_time", now)
	var rare *store.Cursor
	if page, err := s.Timeline(ctx, store.TimelineFilter{Tag: "tweetmeet"}, nil, 200); err != nil || page.Next == nil {
		t.Fatalf("rare tag: %v", err)
	} else {
		rare = page.Next
	}
	var mid *store.GuidanceCursor
	if page, err := s.GuidanceByTopic(ctx, nil, 250); err != nil || page.Next == nil {
		t.Fatalf("guidance: %v", err)
	} else {
		mid = page.Next
	}
	thread, err := s.Comments(ctx, root.ID, nil, 500)
	if err != nil || thread.Newer == nil {
		t.Fatalf("thread: %v", err)
	}
	list := func(f store.TimelineFilter, c *store.Cursor) func() error {
		return func() error { _, err := s.Timeline(ctx, f, c, 20); return err }
	}
	return []pageQuery{
		{name: "timeline", run: list(store.TimelineFilter{}, nil), index: "posts_timeline"},
		{name: "timeline deep", run: list(store.TimelineFilter{}, deep), index: "posts_timeline", seek: true},
		// A common kind may be read from the whole timeline's index, skipping
		// the few posts of other kinds; the rows touched stay bounded.
		{name: "kind tab", run: list(store.TimelineFilter{Kind: model.KindUpdate}, nil), index: "posts_timeline_kind|posts_timeline"},
		{name: "kind tab deep", run: list(store.TimelineFilter{Kind: model.KindUpdate}, deepUpdate),
			index: "posts_timeline_kind|posts_timeline", seek: true},
		{name: "rare kind tab", run: list(store.TimelineFilter{Kind: model.KindEvent}, nil), index: "posts_timeline_kind"},
		{name: "tag", run: list(store.TimelineFilter{Tag: "hscleeds"}, nil), index: "post_tags_timeline"},
		{name: "tag deep", run: list(store.TimelineFilter{Tag: "hscleeds"}, deepTag), index: "post_tags_timeline", seek: true},
		{name: "rare tag deep", run: list(store.TimelineFilter{Tag: "tweetmeet"}, rare), index: "post_tags_timeline", seek: true},
		{name: "organisation", run: func() error { _, err := s.OutboxPosts(ctx, org.ID, nil, 20); return err }, index: "posts_author"},
		{name: "organisation deep", run: func() error { _, err := s.OutboxPosts(ctx, org.ID, deepOrg, 20); return err },
			index: "posts_author", seek: true},
		{name: "past events", run: func() error { _, err := s.PastEvents(ctx, now, nil, 20); return err }, index: "posts_events"},
		{name: "past events deep", run: func() error { _, err := s.PastEvents(ctx, now, deepPast, 20); return err },
			index: "posts_events", seek: true},
		{name: "upcoming events", run: func() error { _, err := s.UpcomingEvents(ctx, now, 200); return err },
			index: "posts_events_end", sort: true},
		{name: "guidance", run: func() error { _, err := s.GuidanceByTopic(ctx, nil, 100); return err }, index: "posts_guidance"},
		{name: "guidance further", run: func() error { _, err := s.GuidanceByTopic(ctx, mid, 100); return err }, index: "posts_guidance"},
		{name: "network timeline", run: func() error { _, err := s.NetworkTimeline(ctx, net.ID, "", nil, 20); return err },
			index: "posts_timeline"},
		{name: "network timeline deep", run: func() error { _, err := s.NetworkTimeline(ctx, net.ID, "", deepNetwork, 20); return err },
			index: "posts_timeline", seek: true},
		{name: "network upcoming events", run: func() error { _, err := s.NetworkUpcomingEvents(ctx, net.ID, now, nil, 200); return err },
			index: "posts_events_end", sort: true},
		// Postgres reads a network's whole shelf (its members' guidance, one
		// post in twenty here) and sorts it, rather than walk the library's
		// index testing each author: it costs that as cheaper, and the
		// shelf grows only with guidance written. SQLite walks the index.
		{name: "network guidance", run: func() error { _, err := s.NetworkGuidanceByTopic(ctx, net.ID, nil, 100); return err },
			index: "posts_guidance|posts_timeline_kind", most: 1500},
		{name: "thread", run: func() error { _, err := s.Comments(ctx, root.ID, nil, 50); return err }, index: "posts_thread"},
		{name: "thread further", run: func() error { _, err := s.Comments(ctx, root.ID, thread.Newer, 50); return err },
			index: "posts_thread", seek: true},
		{name: "organisations", run: func() error { _, err := s.LocalActors(ctx, model.ActorOrganization); return err },
			index: "actors_local"},
		{name: "follow counts", run: func() error { _, err := s.CountFollows(ctx, org.ID); return err }, index: "follows_followee"},
	}
}

// checkPagePlan checks one statement: list says whether it is the read
// of the list itself (the first a store call sends) or a follow-up such
// as loading the listed posts' tags.
func checkPagePlan(t *testing.T, s *store.Store, sql string, q pageQuery, list bool) {
	t.Helper()
	if s.Dialect == store.Postgres {
		checkPostgresPagePlan(t, s, sql, q, list)
		return
	}
	rows, err := s.DB.DB.QueryContext(ctx, "EXPLAIN QUERY PLAN "+sql)
	if err != nil {
		t.Fatalf("explain %s: %v", oneLine(sql), err)
	}
	defer rows.Close()
	var lines []string
	for rows.Next() {
		var id, parent, unused int
		var detail string
		if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
			t.Fatal(err)
		}
		lines = append(lines, detail)
	}
	plan := strings.Join(lines, "; ")
	t.Logf("%s\n    plan: %s", oneLine(sql), plan)
	for _, l := range lines {
		if fullScan.MatchString(l) {
			t.Errorf("reads a whole table (%s): %s", l, oneLine(sql))
		}
		if strings.Contains(l, "TEMP B-TREE") && !q.sort {
			t.Errorf("sorts (%s): %s", l, oneLine(sql))
		}
	}
	if !list {
		return
	}
	if !regexp.MustCompile(`INDEX (` + q.index + `)\b`).MatchString(plan) {
		t.Errorf("does not read %s: %s", q.index, plan)
	}
	if q.seek && !regexp.MustCompile(`SEARCH \S+ USING (COVERING )?INDEX (`+q.index+`) \([^;]*[<>]`).MatchString(plan) {
		t.Errorf("the cursor is not a range of %s: %s", q.index, plan)
	}
}

// fullScan is a SQLite plan step reading a table whole: a SCAN with no
// index in order (a SCAN of an index in order stops at the page's LIMIT).
var fullScan = regexp.MustCompile(`^SCAN \S+$`)

// maxTouched bounds the rows a page's read may touch in any one scan of
// the lists (posts, post_tags): a page of 20 to 100, and the few rows a
// filter skips. Reading up to a deep cursor would touch thousands.
const maxTouched = 300

func checkPostgresPagePlan(t *testing.T, s *store.Store, sql string, q pageQuery, list bool) {
	t.Helper()
	var raw string
	if err := s.DB.DB.QueryRowContext(ctx, "EXPLAIN (ANALYZE, FORMAT JSON) "+sql).Scan(&raw); err != nil {
		t.Fatalf("explain %s: %v", oneLine(sql), err)
	}
	var plans []struct{ Plan planNode }
	if err := json.Unmarshal([]byte(raw), &plans); err != nil || len(plans) != 1 {
		t.Fatalf("explain %s: %v", oneLine(sql), err)
	}
	var shape []string
	usesIndex := false
	index := regexp.MustCompile(`^(` + q.index + `)$`)
	plans[0].Plan.walk(func(n planNode) {
		step := n.NodeType
		if n.Relation != "" {
			step += " on " + n.Relation
		}
		if n.Index != "" {
			step += " using " + n.Index
		}
		touched := (n.ActualRows + n.RemovedByFilter) * n.ActualLoops
		if n.Relation != "" || n.Index != "" {
			step += fmt.Sprintf(" (%.0f rows)", touched)
		}
		shape = append(shape, step)
		usesIndex = usesIndex || index.MatchString(n.Index)
		list := n.Relation == "posts" || n.Relation == "post_tags" || index.MatchString(n.Index)
		switch {
		case n.NodeType == "Seq Scan" && (watched[n.Relation] || n.Relation == "post_tags"):
			t.Errorf("reads all of %s: %s", n.Relation, oneLine(sql))
		case list && touched > max(maxTouched, q.most):
			t.Errorf("%s touches %.0f rows: %s", step, touched, oneLine(sql))
		}
	})
	t.Logf("%s\n    plan: %s", oneLine(sql), strings.Join(shape, " > "))
	if list && !usesIndex {
		t.Errorf("does not read %s", q.index)
	}
}
