package main

import (
	"context"
	"fmt"
	"net/url"
	"strconv"
	"time"

	"github.com/uptrace/bun"

	"github.com/commonplace-social/commonplace/internal/model"
	"github.com/commonplace-social/commonplace/internal/store"
)

// pageKind is one page to time, with what it must show.
type pageKind struct {
	name  string
	depth int    // items before the first one shown
	path  string // with the cursor a reader would have followed
	want  string // text of the first item shown
	// nextKey and next are the parameter and cursor of the page's link to
	// the following page, which must be exactly the cursor of the item a
	// page later: the check that constructed cursors are the ones readers
	// reach by following links.
	nextKey, next string
}

// listOrder is one ordered list a page walks, as plain SQL over the same
// rows and in the same order as the page's own query. Its OFFSET reads are
// slow on purpose and untimed: they only find where a reader would be.
type listOrder struct {
	where string // over posts AS p
	args  []any
	at    string // the cursor's time: p.published, p.start_time, or a guidance's last change
	desc  bool
	// byTopic puts topics first, as the guidance library does; its
	// cursors name the topic too.
	byTopic bool
}

type listItem struct {
	At    time.Time `bun:"at"`
	ID    int64     `bun:"id"`
	Title string    `bun:"title"`
	Body  string    `bun:"body"`
	Topic string    `bun:"topic"`
}

// guidanceTopicOrder is the library's topic order (store.GuidanceByTopic).
const guidanceTopicOrder = "CASE WHEN p.topic = '' THEN 1 ELSE 0 END, LOWER(p.topic), p.topic, "

func (o listOrder) item(ctx context.Context, s *store.Store, pos int) (listItem, error) {
	dir := "ASC"
	if o.desc {
		dir = "DESC"
	}
	order := o.at + " " + dir + ", p.id " + dir
	if o.byTopic {
		order = guidanceTopicOrder + order
	}
	q := "SELECT " + o.at + " AS at, p.id AS id, p.title AS title, p.content_html AS body, p.topic AS topic FROM posts AS p WHERE " +
		o.where + " ORDER BY " + order + " LIMIT 1 OFFSET ?"
	var it listItem
	err := s.DB.NewRaw(q, append(o.args, pos)...).Scan(ctx, &it)
	if err != nil {
		return it, fmt.Errorf("item %d of %s: %w", pos, o.where, err)
	}
	return it, nil
}

func (o listOrder) count(ctx context.Context, s *store.Store) (int, error) {
	var n int
	if err := s.DB.NewRaw("SELECT count(*) FROM posts AS p WHERE "+o.where, o.args...).Scan(ctx, &n); err != nil {
		return 0, fmt.Errorf("count %s: %w", o.where, err)
	}
	return n, nil
}

// cursorOf is a cursor as the site writes it (web.formatCursor).
func cursorOf(it listItem) string {
	return strconv.FormatInt(it.At.Unix(), 10) + "." + strconv.FormatInt(it.ID, 10)
}

// pagedAt is the page of a list starting depth items in, reached with the
// cursor of the item before it, as the "older" link of the page before
// gives it.
func pagedAt(ctx context.Context, s *store.Store, name, base string, extra url.Values, o listOrder, depth, per int, key string) (pageKind, error) {
	pk := pageKind{name: name, depth: depth, nextKey: key}
	v := url.Values{}
	for k, vs := range extra {
		v[k] = vs
	}
	if depth > 0 {
		prev, err := o.item(ctx, s, depth-1)
		if err != nil {
			return pk, err
		}
		v.Set(key, cursorOf(prev))
		if o.byTopic {
			v.Set("topic", prev.Topic)
		}
	}
	pk.path = base
	if len(v) > 0 {
		pk.path += "?" + v.Encode()
	}
	first, err := o.item(ctx, s, depth)
	if err != nil {
		return pk, err
	}
	pk.want = first.Title
	if pk.want == "" {
		pk.want = first.Body[:min(len(first.Body), 40)]
	}
	if last, err := o.item(ctx, s, depth+per-1); err == nil {
		if next, err := o.item(ctx, s, depth+per); err == nil && next.ID != 0 {
			pk.next = cursorOf(last)
		}
	}
	return pk, nil
}

const (
	timelineWhere = "p.in_timeline AND p.deleted_at IS NULL"
	tagWhere      = timelineWhere + " AND EXISTS (SELECT 1 FROM post_tags AS t WHERE t.post_id = p.id AND t.tag = ?)"
	perPage       = 20  // web.pageSize
	perComments   = 50  // web.commentsPerPage
	perGuidance   = 100 // web.guidancePerPage
)

// Depths given as marks rather than counts, worked out from the list's length.
const (
	deepMark   = -1 // 100,000 items back, or a tenth of a list shorter than 200,000
	ninetyMark = -9 // 90% of the way back
)

// buildPageKinds lists the pages of goal 4: each list's first page and
// pages deep into it.
func buildPageKinds(ctx context.Context, site *pagesSite, seed *pagesSeed) ([]pageKind, error) {
	s := site.store()
	var pages []pageKind
	add := func(label, word, base string, extra url.Values, o listOrder, key string, per int, depths ...int) error {
		total, err := o.count(ctx, s)
		if err != nil {
			return err
		}
		for _, d := range depths {
			switch {
			case d == deepMark && total >= 200_000:
				d = 100_000
			case d == deepMark:
				d = total / 10
			case d == ninetyMark:
				d = total * 9 / 10
			}
			name := label + ", first page"
			if d > 0 {
				name = fmt.Sprintf("%s, %s %s", label, thousands(d), word)
			}
			pk, err := pagedAt(ctx, s, name, base, extra, o, d, per, key)
			if err != nil {
				return err
			}
			pages = append(pages, pk)
		}
		return nil
	}
	timeline := listOrder{where: timelineWhere, at: "p.published", desc: true}
	common := listOrder{where: tagWhere, args: []any{seed.commonTag}, at: "p.published", desc: true}
	rare := listOrder{where: tagWhere, args: []any{seed.rareTag}, at: "p.published", desc: true}
	org := seed.orgs[0]
	outbox := listOrder{where: "p.author_id = ? AND p.deleted_at IS NULL AND p.kind IN (?)",
		args: []any{org.ID, bun.In(model.PublishedKinds)}, at: "p.published", desc: true}
	events := listOrder{where: timelineWhere + " AND p.kind = 'event'", at: "p.published", desc: true}
	updates := listOrder{where: timelineWhere + " AND p.kind = 'update'", at: "p.published", desc: true}
	past := listOrder{where: timelineWhere + " AND p.kind = 'event' AND COALESCE(p.end_time, p.start_time) <= ?",
		args: []any{seed.now}, at: "p.start_time", desc: true}
	guidance := listOrder{where: timelineWhere + " AND p.kind = 'guidance'", at: "COALESCE(p.updated, p.published)", desc: true, byTopic: true}
	thread := listOrder{where: "p.thread_root_id = ? AND p.deleted_at IS NULL", args: []any{seed.thread.ID}, at: "p.published"}
	threadPath := "/users/" + org.Username + "/posts/" + seed.thread.Token
	steps := []func() error{
		func() error {
			return add("timeline", "back", "/", nil, timeline, "before", perPage, 0, seed.posts/10, seed.posts*9/10)
		},
		func() error {
			return add("timeline ?kind=update", "back", "/", url.Values{"kind": {"update"}}, updates, "before", perPage, 0, ninetyMark)
		},
		func() error {
			return add("timeline ?kind=event", "back", "/", url.Values{"kind": {"event"}}, events, "before", perPage, 0, ninetyMark)
		},
		func() error {
			return add("tag #"+seed.commonTag, "back", "/tags/"+seed.commonTag, nil, common, "before", perPage, 0, deepMark, ninetyMark)
		},
		func() error {
			return add("tag #"+seed.rareTag, "back", "/tags/"+seed.rareTag, nil, rare, "before", perPage, 0, ninetyMark)
		},
		func() error {
			return add("organisation /@"+org.Username, "back", "/@"+org.Username, nil, outbox, "before", perPage, 0, deepMark, ninetyMark)
		},
		func() error {
			return add("past events", "back", "/events/past", nil, past, "before", perPage, 0, ninetyMark)
		},
		func() error {
			return add("guidance library", "in", "/guidance", nil, guidance, "before", perGuidance, 0, perGuidance, ninetyMark)
		},
		func() error {
			return add("post with 1,000 comments", "in", threadPath, nil, thread, "after", perComments, 0, 500, seedComments-perComments)
		},
	}
	for _, step := range steps {
		if err := step(); err != nil {
			return nil, err
		}
	}
	pages = append(pages, pageKind{name: "upcoming events", path: "/events", want: "Upcoming events"})
	return pages, nil
}

// thousands writes 100000 as 100,000.
func thousands(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
