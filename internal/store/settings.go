package store

import (
	"context"
	"fmt"

	"github.com/uptrace/bun"
)

type setting struct {
	bun.BaseModel `bun:"table:instance_settings"`

	Key   string `bun:"key,pk"`
	Value string `bun:"value"`
}

// Setting reads an instance setting; ok is false when it was never set.
func (s *Store) Setting(ctx context.Context, key string) (value string, ok bool, err error) {
	var row setting
	err = s.DB.NewSelect().Model(&row).Where("key = ?", key).Scan(ctx)
	if err != nil {
		if notFound(err) == ErrNotFound {
			return "", false, nil
		}
		return "", false, fmt.Errorf("read setting %s: %w", key, err)
	}
	return row.Value, true, nil
}

// SetSettingOnce stores a setting unless one is already there, and returns
// the value now stored: the first writer wins, so concurrent starts agree.
func (s *Store) SetSettingOnce(ctx context.Context, key, value string) (string, error) {
	row := setting{Key: key, Value: value}
	_, err := s.DB.NewInsert().Model(&row).
		On("CONFLICT (key) DO NOTHING").Exec(ctx)
	if err != nil {
		return "", fmt.Errorf("write setting %s: %w", key, err)
	}
	stored, _, err := s.Setting(ctx, key)
	return stored, err
}
