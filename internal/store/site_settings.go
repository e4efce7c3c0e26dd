package store

import (
	"context"
	"fmt"

	"github.com/uptrace/bun"

	"github.com/commonplace-social/commonplace/internal/model"
)

// SetSettings stores several instance settings in one transaction,
// replacing what was there, so a form's fields change together or not at
// all. An empty value removes the setting, which means "back to the
// default" to whoever reads it.
func (s *Store) SetSettings(ctx context.Context, values map[string]string) error {
	tx, err := s.DB.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("write settings: %w", err)
	}
	defer func() { _ = tx.Rollback() }()
	for key, value := range values {
		if value == "" {
			if _, err := tx.NewDelete().Model((*setting)(nil)).Where("key = ?", key).Exec(ctx); err != nil {
				return fmt.Errorf("clear setting %s: %w", key, err)
			}
			continue
		}
		row := setting{Key: key, Value: value}
		if _, err := tx.NewInsert().Model(&row).On("CONFLICT (key) DO UPDATE").Set("value = EXCLUDED.value").Exec(ctx); err != nil {
			return fmt.Errorf("write setting %s: %w", key, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("write settings: %w", err)
	}
	return nil
}

// Settings reads the named instance settings at once; keys never set are
// absent from the map.
func (s *Store) Settings(ctx context.Context, keys ...string) (map[string]string, error) {
	var rows []setting
	if err := s.DB.NewSelect().Model(&rows).Where("key IN (?)", bun.In(keys)).Scan(ctx); err != nil {
		return nil, fmt.Errorf("read settings: %w", err)
	}
	out := make(map[string]string, len(rows))
	for _, r := range rows {
		out[r.Key] = r.Value
	}
	return out, nil
}

// FirstLocalActor is this instance's oldest actor of the type, or
// ErrNotFound when it has none.
func (s *Store) FirstLocalActor(ctx context.Context, actorType string) (*model.Actor, error) {
	a := new(model.Actor)
	if err := s.DB.NewSelect().Model(a).Where("local").Where("type = ?", actorType).Order("id").Limit(1).Scan(ctx); err != nil {
		return nil, fmt.Errorf("first local %s: %w", actorType, notFound(err))
	}
	return a, nil
}
