package media

import (
	"fmt"
	"os"
	"path/filepath"
)

// Environment variables that move media from the data directory to an
// S3-compatible bucket. With COMMONPLACE_S3_BUCKET unset, files go to
// DATA_DIR/media.
const (
	EnvS3Endpoint  = "COMMONPLACE_S3_ENDPOINT"
	EnvS3Bucket    = "COMMONPLACE_S3_BUCKET"
	EnvS3Region    = "COMMONPLACE_S3_REGION"
	EnvS3AccessKey = "COMMONPLACE_S3_ACCESS_KEY"
	EnvS3SecretKey = "COMMONPLACE_S3_SECRET_KEY"
	EnvS3Insecure  = "COMMONPLACE_S3_INSECURE"   // "1": plain HTTP
	EnvS3PathStyle = "COMMONPLACE_S3_PATH_STYLE" // "1": /bucket/key addressing
)

// StorageFromEnv chooses where media files live: the bucket named in the
// environment, or a directory under dataDir.
func StorageFromEnv(dataDir string) (Storage, error) {
	bucket := os.Getenv(EnvS3Bucket)
	if bucket == "" {
		if dataDir == "" {
			return nil, fmt.Errorf("media: no data directory for media files; set --data-dir or %s", EnvS3Bucket)
		}
		return DirStorage{Dir: filepath.Join(dataDir, "media")}, nil
	}
	if os.Getenv(EnvS3Endpoint) == "" {
		return nil, fmt.Errorf("media: %s is set but %s is not; say which S3 server holds the bucket", EnvS3Bucket, EnvS3Endpoint)
	}
	return NewS3Storage(S3Config{
		Endpoint:  os.Getenv(EnvS3Endpoint),
		Bucket:    bucket,
		Region:    os.Getenv(EnvS3Region),
		AccessKey: os.Getenv(EnvS3AccessKey),
		SecretKey: os.Getenv(EnvS3SecretKey),
		Insecure:  os.Getenv(EnvS3Insecure) == "1",
		PathStyle: os.Getenv(EnvS3PathStyle) == "1",
	})
}
