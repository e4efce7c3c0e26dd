package federation

import (
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/commonplace-social/commonplace/internal/store"
)

var errBadPostCursor = errors.New("the before parameter must look like <unix seconds>.<id>")

// formatPostCursor writes a keyset position into a page URL.
func formatPostCursor(c *store.Cursor) string {
	return strconv.FormatInt(c.Published.Unix(), 10) + "." + strconv.FormatInt(c.ID, 10)
}

func postCursor(s string) (*store.Cursor, error) {
	if s == "" {
		return nil, nil
	}
	secs, id, ok := strings.Cut(s, ".")
	if !ok {
		return nil, errBadPostCursor
	}
	t, err1 := strconv.ParseInt(secs, 10, 64)
	n, err2 := strconv.ParseInt(id, 10, 64)
	if err1 != nil || err2 != nil || n < 1 {
		return nil, errBadPostCursor
	}
	return &store.Cursor{Published: time.Unix(t, 0).UTC(), ID: n}, nil
}
