package store

import (
	"context"
	"fmt"

	"github.com/commonplace-social/commonplace/internal/model"
)

// GuidanceTopic is one shelf of the guidance library.
type GuidanceTopic struct {
	Topic string // "" for guidance filed under no topic
	Posts []*model.Post
}

// maxGuidance bounds the library page; guidance is revised rather than
// piled up, so the whole network's set is small.
const maxGuidance = 1000

// GuidanceByTopic lists every visible guidance post, grouped by topic in
// alphabetical order with the untopicked group last, and within a topic the
// most recently revised first.
func (s *Store) GuidanceByTopic(ctx context.Context) ([]GuidanceTopic, error) {
	var posts []*model.Post
	err := s.DB.NewSelect().Model(&posts).Relation("Author").Relation("Tags").
		Where("?TableAlias.kind = ?", model.KindGuidance).
		Where("?TableAlias.in_timeline").Where("?TableAlias.deleted_at IS NULL").
		OrderExpr("CASE WHEN ?TableAlias.topic = '' THEN 1 ELSE 0 END, LOWER(?TableAlias.topic), ?TableAlias.topic").
		OrderExpr("COALESCE(?TableAlias.updated, ?TableAlias.published) DESC, ?TableAlias.id DESC").
		Limit(maxGuidance).Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("guidance library: %w", err)
	}
	var topics []GuidanceTopic
	for _, p := range posts {
		if n := len(topics); n == 0 || topics[n-1].Topic != p.Topic {
			topics = append(topics, GuidanceTopic{Topic: p.Topic})
		}
		topics[len(topics)-1].Posts = append(topics[len(topics)-1].Posts, p)
	}
	return topics, nil
}
