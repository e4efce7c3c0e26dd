package media

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// DirStorage keeps media files in a directory, two hex digits deep so that
// no single directory grows to hundreds of thousands of entries.
type DirStorage struct {
	Dir string
}

func (d DirStorage) path(key string) (string, error) {
	if !ValidKey(key) {
		return "", fmt.Errorf("media: invalid key %q", key)
	}
	return filepath.Join(d.Dir, key[:2], key), nil
}

// Put writes to a temporary file and renames it into place, so a reader
// never sees half a file and a crash leaves no truncated one behind.
func (d DirStorage) Put(_ context.Context, key, _ string, data []byte) error {
	path, err := d.path(key)
	if err != nil {
		return err
	}
	if _, err := os.Stat(path); err == nil {
		return nil
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return fmt.Errorf("media: create directory: %w", err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".upload-*")
	if err != nil {
		return fmt.Errorf("media: create file: %w", err)
	}
	defer os.Remove(tmp.Name()) // a no-op once renamed
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return fmt.Errorf("media: write %s: %w", key, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("media: write %s: %w", key, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("media: store %s: %w", key, err)
	}
	return nil
}

// Open opens the file under key.
func (d DirStorage) Open(_ context.Context, key string) (File, error) {
	path, err := d.path(key)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrNotExist, err)
	}
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("media %s: %w", key, ErrNotExist)
	}
	if err != nil {
		return nil, fmt.Errorf("media: open %s: %w", key, err)
	}
	info, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("media: stat %s: %w", key, err)
	}
	return dirFile{File: f, size: info.Size()}, nil
}

// Delete removes the file under key.
func (d DirStorage) Delete(_ context.Context, key string) error {
	path, err := d.path(key)
	if err != nil {
		return err
	}
	if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("media: delete %s: %w", key, err)
	}
	return nil
}

type dirFile struct {
	*os.File
	size int64
}

func (f dirFile) Size() int64 { return f.size }
