package media

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"

	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"
)

// Both storages pass the same suite; the S3 one talks real S3 over HTTP to
// gofakes3 on loopback (MinIO's server is not a Go module that can be
// built from the proxy in reasonable time: it has no semver releases and
// several hundred dependencies).
func TestStorage(t *testing.T) {
	t.Run("dir", func(t *testing.T) { storageSuite(t, DirStorage{Dir: t.TempDir()}) })
	t.Run("s3", func(t *testing.T) { storageSuite(t, fakeS3(t, "us-east-1")) })
	// With no region configured it is asked of the server first, as
	// GetBucketLocation (gofakes3 names none: us-east-1).
	t.Run("s3 region asked", func(t *testing.T) {
		s := fakeS3(t, "")
		storageSuite(t, s)
		if s.region != s3DefaultRegion {
			t.Errorf("region %q, want %q", s.region, s3DefaultRegion)
		}
	})
}

// fakeS3 starts an S3-compatible server on loopback with one empty bucket
// and returns a storage that uses it.
func fakeS3(t *testing.T, region string) *S3Storage {
	t.Helper()
	srv := httptest.NewServer(gofakes3.New(s3mem.New()).Server())
	t.Cleanup(srv.Close)
	u, err := url.Parse(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	s, err := NewS3Storage(S3Config{
		Endpoint: u.Host, Bucket: "commonplace-media", Region: region,
		AccessKey: "test", SecretKey: "test-secret", Insecure: true, PathStyle: true,
	})
	if err != nil {
		t.Fatal(err)
	}
	resp, err := s.send(context.Background(), http.MethodPut, s.bucketURL, s3DefaultRegion, nil, nil)
	if err != nil {
		t.Fatalf("make bucket: %v", err)
	}
	resp.Body.Close()
	return s
}

func storageSuite(t *testing.T, s Storage) {
	ctx := context.Background()
	data := []byte("\x89PNG pretend picture bytes")
	key := Key(data, ".png")

	if _, err := s.Open(ctx, key); !errors.Is(err, ErrNotExist) {
		t.Fatalf("open before put: got %v, want ErrNotExist", err)
	}
	if err := s.Put(ctx, key, "image/png", data); err != nil {
		t.Fatal(err)
	}
	// Same content, same key: a second put is harmless.
	if err := s.Put(ctx, key, "image/png", data); err != nil {
		t.Fatalf("second put: %v", err)
	}
	f, err := s.Open(ctx, key)
	if err != nil {
		t.Fatal(err)
	}
	if f.Size() != int64(len(data)) {
		t.Errorf("size %d, want %d", f.Size(), len(data))
	}
	if _, err := f.Seek(5, io.SeekStart); err != nil {
		t.Fatalf("seek: %v", err)
	}
	got, err := io.ReadAll(f)
	f.Close()
	if err != nil || !bytes.Equal(got, data[5:]) {
		t.Fatalf("read after seek: %q, %v; want %q", got, err, data[5:])
	}

	if err := s.Put(ctx, "../../etc/passwd", "image/png", data); err == nil {
		t.Error("a key that is not a content hash was accepted")
	}
	if _, err := s.Open(ctx, "../"+key); !errors.Is(err, ErrNotExist) {
		t.Errorf("open of a path outside the store: got %v, want ErrNotExist", err)
	}

	if err := s.Delete(ctx, key); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Open(ctx, key); !errors.Is(err, ErrNotExist) {
		t.Fatalf("open after delete: got %v, want ErrNotExist", err)
	}
	if err := s.Delete(ctx, key); err != nil {
		t.Fatalf("deleting a missing file: %v", err)
	}
}

// The bucket is a subdomain only on the cloud hosts known to take one.
func TestS3BucketAddressing(t *testing.T) {
	for _, tc := range []struct {
		c    S3Config
		want string
	}{
		{S3Config{Endpoint: "s3.eu-west-2.amazonaws.com", Bucket: "media"}, "https://media.s3.eu-west-2.amazonaws.com/"},
		{S3Config{Endpoint: "s3.eu-west-2.amazonaws.com", Bucket: "media", PathStyle: true}, "https://s3.eu-west-2.amazonaws.com/media/"},
		{S3Config{Endpoint: "s3.amazonaws.com", Bucket: "media.example.org"}, "https://s3.amazonaws.com/media.example.org/"},
		{S3Config{Endpoint: "minio.internal:9000", Bucket: "media", Insecure: true}, "http://minio.internal:9000/media/"},
		{S3Config{Endpoint: "storage.googleapis.com", Bucket: "media"}, "https://media.storage.googleapis.com/"},
	} {
		if got := bucketURL(tc.c); got != tc.want {
			t.Errorf("%+v: %s, want %s", tc.c, got, tc.want)
		}
	}
}
