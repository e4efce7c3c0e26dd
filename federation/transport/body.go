package transport

import (
	"fmt"
	"io"
	"net/http"
)

// readLimited reads the whole body or fails: a truncated JSON document is
// worse than none, and an oversized one is a peer we should not be feeding
// into the parser. Content-Length is checked first to fail without reading.
func readLimited(resp *http.Response, limit int64) ([]byte, error) {
	if resp.ContentLength > limit {
		return nil, fmt.Errorf("%w: Content-Length %d exceeds %d bytes", ErrBodyTooLarge, resp.ContentLength, limit)
	}
	b, err := io.ReadAll(io.LimitReader(resp.Body, limit+1))
	if err != nil {
		return nil, fmt.Errorf("read body: %w", err)
	}
	if int64(len(b)) > limit {
		return nil, fmt.Errorf("%w: more than %d bytes", ErrBodyTooLarge, limit)
	}
	return b, nil
}

// drain reads and discards a little of an unwanted body, so the connection
// can be reused without letting a peer make us read forever.
func drain(resp *http.Response) {
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
}
