package store

import (
	"time"

	"github.com/uptrace/bun"

	"github.com/commonplace-social/commonplace/internal/model"
)

// tagRow is a post_tags row as written; model.Tag is what is read back.
// Published and InTimeline copy the post's, for the tag pages' index
// (post_tags_timeline), and Kind for search's (post_tags_kind): a post's
// tags are written again whenever it is, and a deleted post loses them.
type tagRow struct {
	bun.BaseModel `bun:"table:post_tags"`

	PostID     int64     `bun:"post_id"`
	Tag        string    `bun:"tag"`
	Name       string    `bun:"name"`
	Published  time.Time `bun:"published"`
	InTimeline bool      `bun:"in_timeline"`
	Kind       string    `bun:"kind"`
}

// appendTagRows adds a post's tags to rows, each folded tag once.
func appendTagRows(rows []tagRow, p *model.Post) []tagRow {
	first := len(rows)
	for _, t := range p.Tags {
		if t.Tag == "" || hasTag(rows[first:], t.Tag) {
			continue
		}
		rows = append(rows, tagRow{PostID: p.ID, Tag: t.Tag, Name: t.Name, Published: p.Published, InTimeline: p.InTimeline, Kind: p.Kind})
	}
	return rows
}

func hasTag(rows []tagRow, tag string) bool {
	for _, r := range rows {
		if r.Tag == tag {
			return true
		}
	}
	return false
}
