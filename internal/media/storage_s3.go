package media

import (
	"bytes"
	"context"
	"fmt"
	"net/http"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"
)

// S3Config says where an S3-compatible bucket is and how to sign for it.
type S3Config struct {
	Endpoint  string // host[:port], e.g. s3.eu-west-2.amazonaws.com or minio.internal:9000
	Bucket    string
	Region    string // empty lets the client ask the server
	AccessKey string
	SecretKey string
	Insecure  bool // plain HTTP, for a server on a private network or in tests
	// PathStyle addresses the bucket as /bucket/key rather than as a
	// subdomain, which most self-hosted servers need.
	PathStyle bool
}

// S3Storage keeps media files in an S3-compatible bucket through minio-go.
// Files are still served through Commonplace (the pages' CSP allows images
// only from the instance itself), so the bucket can stay private.
type S3Storage struct {
	client *minio.Client
	bucket string
}

// NewS3Storage connects to the bucket described by c. It does not contact
// the server; the first Put or Open does.
func NewS3Storage(c S3Config) (*S3Storage, error) {
	if c.Endpoint == "" || c.Bucket == "" {
		return nil, fmt.Errorf("media: S3 storage needs an endpoint and a bucket")
	}
	opts := &minio.Options{
		Creds:  credentials.NewStaticV4(c.AccessKey, c.SecretKey, ""),
		Secure: !c.Insecure,
		Region: c.Region,
	}
	if c.PathStyle {
		opts.BucketLookup = minio.BucketLookupPath
	}
	client, err := minio.New(c.Endpoint, opts)
	if err != nil {
		return nil, fmt.Errorf("media: S3 client for %s: %w", c.Endpoint, err)
	}
	return &S3Storage{client: client, bucket: c.Bucket}, nil
}

// Put uploads data under key with its content type and a cache lifetime
// matching how we serve it.
func (s *S3Storage) Put(ctx context.Context, key, contentType string, data []byte) error {
	if !ValidKey(key) {
		return fmt.Errorf("media: invalid key %q", key)
	}
	_, err := s.client.PutObject(ctx, s.bucket, key, bytes.NewReader(data), int64(len(data)), minio.PutObjectOptions{
		ContentType: contentType, CacheControl: CacheControl,
	})
	if err != nil {
		return fmt.Errorf("media: upload %s to bucket %s: %w", key, s.bucket, err)
	}
	return nil
}

// Open stats the object first, so a missing key is reported as ErrNotExist
// rather than on the first read.
func (s *S3Storage) Open(ctx context.Context, key string) (File, error) {
	if !ValidKey(key) {
		return nil, fmt.Errorf("media %q: %w", key, ErrNotExist)
	}
	obj, err := s.client.GetObject(ctx, s.bucket, key, minio.GetObjectOptions{})
	if err != nil {
		return nil, fmt.Errorf("media: fetch %s: %w", key, err)
	}
	info, err := obj.Stat()
	if err != nil {
		obj.Close()
		if minio.ToErrorResponse(err).StatusCode == http.StatusNotFound {
			return nil, fmt.Errorf("media %s: %w", key, ErrNotExist)
		}
		return nil, fmt.Errorf("media: fetch %s: %w", key, err)
	}
	return s3File{Object: obj, size: info.Size}, nil
}

// Delete removes the object under key; S3 reports success for a missing one.
func (s *S3Storage) Delete(ctx context.Context, key string) error {
	if !ValidKey(key) {
		return fmt.Errorf("media: invalid key %q", key)
	}
	if err := s.client.RemoveObject(ctx, s.bucket, key, minio.RemoveObjectOptions{}); err != nil {
		return fmt.Errorf("media: delete %s: %w", key, err)
	}
	return nil
}

type s3File struct {
	*minio.Object
	size int64
}

func (f s3File) Size() int64 { return f.size }
