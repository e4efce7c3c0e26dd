package media

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/xml"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/aws/smithy-go/aws-http-auth/credentials"
	"github.com/aws/smithy-go/aws-http-auth/sigv4"
	v4 "github.com/aws/smithy-go/aws-http-auth/v4"
)

// S3Config says where an S3-compatible bucket is and how to sign for it.
type S3Config struct {
	Endpoint  string // host[:port], e.g. s3.eu-west-2.amazonaws.com or minio.internal:9000
	Bucket    string
	Region    string // empty: asked of the server (GetBucketLocation) on first use
	AccessKey string
	SecretKey string
	Insecure  bool // plain HTTP, for a server on a private network or in tests
	// PathStyle addresses the bucket as /bucket/key rather than as a
	// subdomain even on the cloud hosts that take subdomains (see bucketURL).
	PathStyle bool
}

// S3Storage keeps media files in an S3-compatible bucket. It makes four
// kinds of request (PUT, HEAD, ranged GET and DELETE of one object) with
// net/http, signed with Signature Version 4 by AWS's standalone signer: a
// full S3 client (minio-go and its dependencies) added 1.06 MB to the
// stripped binary for these.
// Files are still served through Commonplace (the pages' CSP allows images
// only from the instance itself), so the bucket can stay private.
type S3Storage struct {
	bucketURL string // ends in "/": object keys are appended
	bucket    string
	creds     credentials.Credentials
	signer    *sigv4.Signer
	client    *http.Client

	mu     sync.Mutex
	region string // found on first use when not configured
}

// s3DefaultRegion is what S3 calls a bucket with no location constraint,
// and the region a GetBucketLocation request is signed for.
const s3DefaultRegion = "us-east-1"

// NewS3Storage prepares requests to the bucket described by c. It does not
// contact the server; the first Put or Open does.
func NewS3Storage(c S3Config) (*S3Storage, error) {
	if c.Endpoint == "" || c.Bucket == "" {
		return nil, fmt.Errorf("media: S3 storage needs an endpoint and a bucket")
	}
	return &S3Storage{
		bucketURL: bucketURL(c),
		bucket:    c.Bucket,
		creds:     credentials.Credentials{AccessKeyID: c.AccessKey, SecretAccessKey: c.SecretKey},
		// S3 signs the path as sent and wants the payload's hash in a header.
		signer: sigv4.New(func(o *v4.SignerOptions) { o.DisableDoublePathEscape, o.AddPayloadHashHeader = true, true }),
		client: &http.Client{Timeout: 5 * time.Minute},
		region: c.Region,
	}, nil
}

// bucketURL addresses the bucket as a subdomain only where that is known
// to work, as minio-go chose before: on Amazon's, Google's and Aliyun's
// hosts, unless PathStyle is set or the bucket's dots would not match the
// TLS certificate. Anywhere else (a self-hosted server) it is /bucket/.
func bucketURL(c S3Config) string {
	scheme := "https://"
	if c.Insecure {
		scheme = "http://"
	}
	host := c.Endpoint
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	cloud := strings.HasSuffix(host, ".amazonaws.com") || strings.HasSuffix(host, ".amazonaws.com.cn") ||
		host == "storage.googleapis.com" || strings.HasSuffix(host, ".aliyuncs.com")
	if c.PathStyle || !cloud || (!c.Insecure && strings.Contains(c.Bucket, ".")) {
		return scheme + c.Endpoint + "/" + c.Bucket + "/"
	}
	return scheme + c.Bucket + "." + c.Endpoint + "/"
}

// Put uploads data under key with its content type and a cache lifetime
// matching how we serve it.
func (s *S3Storage) Put(ctx context.Context, key, contentType string, data []byte) error {
	if !ValidKey(key) {
		return fmt.Errorf("media: invalid key %q", key)
	}
	h := http.Header{"Content-Type": {contentType}, "Cache-Control": {CacheControl}}
	resp, err := s.do(ctx, http.MethodPut, s.bucketURL+key, data, h)
	if err != nil {
		return fmt.Errorf("media: upload %s to bucket %s: %w", key, s.bucket, err)
	}
	resp.Body.Close()
	return nil
}

// Open asks for the object's size first (HEAD), so a missing key is
// reported as ErrNotExist rather than on the first read; the bytes are read
// with ranged GETs as they are asked for.
func (s *S3Storage) Open(ctx context.Context, key string) (File, error) {
	if !ValidKey(key) {
		return nil, fmt.Errorf("media %q: %w", key, ErrNotExist)
	}
	resp, err := s.do(ctx, http.MethodHead, s.bucketURL+key, nil, nil)
	if err != nil {
		if se, ok := err.(*s3Error); ok && se.status == http.StatusNotFound {
			return nil, fmt.Errorf("media %s: %w", key, ErrNotExist)
		}
		return nil, fmt.Errorf("media: fetch %s: %w", key, err)
	}
	resp.Body.Close()
	if resp.ContentLength < 0 {
		return nil, fmt.Errorf("media: fetch %s: the server gave no size", key)
	}
	return &s3File{ctx: ctx, s: s, url: s.bucketURL + key, size: resp.ContentLength}, nil
}

// Delete removes the object under key; S3 reports success for a missing one.
func (s *S3Storage) Delete(ctx context.Context, key string) error {
	if !ValidKey(key) {
		return fmt.Errorf("media: invalid key %q", key)
	}
	resp, err := s.do(ctx, http.MethodDelete, s.bucketURL+key, nil, nil)
	if err != nil {
		if se, ok := err.(*s3Error); ok && se.status == http.StatusNotFound {
			return nil
		}
		return fmt.Errorf("media: delete %s: %w", key, err)
	}
	resp.Body.Close()
	return nil
}

// do sends one signed request and returns the response of a 2xx answer;
// any other status is an *s3Error carrying S3's error code.
func (s *S3Storage) do(ctx context.Context, method, url string, body []byte, h http.Header) (*http.Response, error) {
	region, err := s.bucketRegion(ctx)
	if err != nil {
		return nil, err
	}
	return s.send(ctx, method, url, region, body, h)
}

func (s *S3Storage) send(ctx context.Context, method, url, region string, body []byte, h http.Header) (*http.Response, error) {
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, url, rd)
	if err != nil {
		return nil, err
	}
	for k, v := range h {
		req.Header[k] = v
	}
	sum := sha256.Sum256(body)
	if err := s.signer.SignRequest(&sigv4.SignRequestInput{
		Request: req, PayloadHash: sum[:], Credentials: s.creds, Service: "s3", Region: region,
	}); err != nil {
		return nil, fmt.Errorf("sign %s request: %w", method, err)
	}
	resp, err := s.client.Do(req)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode/100 != 2 {
		defer resp.Body.Close()
		return nil, readS3Error(resp)
	}
	return resp, nil
}

// bucketRegion is the configured region, or the one the server names for
// the bucket (GetBucketLocation, signed for us-east-1 as S3 expects).
func (s *S3Storage) bucketRegion(ctx context.Context) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.region != "" {
		return s.region, nil
	}
	resp, err := s.send(ctx, http.MethodGet, s.bucketURL+"?location", s3DefaultRegion, nil, nil)
	if err != nil {
		return "", fmt.Errorf("ask for bucket %s's region: %w", s.bucket, err)
	}
	defer resp.Body.Close()
	var loc struct {
		Region string `xml:",chardata"`
	}
	if err := xml.NewDecoder(io.LimitReader(resp.Body, 4096)).Decode(&loc); err != nil {
		return "", fmt.Errorf("read bucket %s's region: %w", s.bucket, err)
	}
	s.region = loc.Region
	if s.region == "" {
		s.region = s3DefaultRegion
	}
	return s.region, nil
}

// s3Error is a non-2xx answer, with the code from S3's XML error body
// when there is one (a HEAD answer has none).
type s3Error struct {
	status  int
	Code    string `xml:"Code"`
	Message string `xml:"Message"`
}

func (e *s3Error) Error() string {
	if e.Code == "" {
		return "S3 answered " + strconv.Itoa(e.status)
	}
	return fmt.Sprintf("S3 answered %d %s: %s", e.status, e.Code, e.Message)
}

func readS3Error(resp *http.Response) error {
	e := &s3Error{status: resp.StatusCode}
	_ = xml.NewDecoder(io.LimitReader(resp.Body, 16<<10)).Decode(e) // the status alone still says what went wrong
	return e
}

// s3File reads an object from its current offset with one ranged GET,
// kept open until a Seek moves elsewhere, so http.ServeContent's size
// probe and range requests cost no more than the bytes they send.
type s3File struct {
	ctx  context.Context
	s    *S3Storage
	url  string
	size int64
	off  int64
	body io.ReadCloser
}

func (f *s3File) Size() int64 { return f.size }

func (f *s3File) Read(p []byte) (int, error) {
	if f.off >= f.size {
		return 0, io.EOF
	}
	if f.body == nil {
		resp, err := f.s.do(f.ctx, http.MethodGet, f.url, nil, http.Header{"Range": {"bytes=" + strconv.FormatInt(f.off, 10) + "-"}})
		if err != nil {
			return 0, fmt.Errorf("media: read %s from %d: %w", f.url, f.off, err)
		}
		if f.off > 0 && resp.StatusCode != http.StatusPartialContent {
			resp.Body.Close()
			return 0, fmt.Errorf("media: read %s from %d: the server ignored the range (%d)", f.url, f.off, resp.StatusCode)
		}
		f.body = resp.Body
	}
	n, err := f.body.Read(p)
	f.off += int64(n)
	return n, err
}

func (f *s3File) Seek(offset int64, whence int) (int64, error) {
	switch whence {
	case io.SeekCurrent:
		offset += f.off
	case io.SeekEnd:
		offset += f.size
	}
	if offset < 0 {
		return 0, fmt.Errorf("media: seek to %d", offset)
	}
	if offset != f.off {
		f.Close()
		f.off = offset
	}
	return offset, nil
}

func (f *s3File) Close() error {
	if f.body == nil {
		return nil
	}
	err := f.body.Close()
	f.body = nil
	return err
}
