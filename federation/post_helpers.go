package federation

import (
	"net/url"
	"time"

	"github.com/commonplace-social/commonplace/internal/content"
	"github.com/commonplace-social/commonplace/internal/sanitize"
)

func clip(s string, n int) string { return sanitize.Truncate(sanitize.Text(s), n) }

func cleanText(s string) string { return sanitize.Text(s) }

// sanitizeHTML bounds remote HTML before cleaning it, so a huge body cannot
// make the sanitiser the bottleneck.
func sanitizeHTML(s string) string { return sanitize.HTML(sanitize.Truncate(s, 200_000)) }

// plainText is a remote summary as text: Mastodon sends HTML in summary.
func plainText(s string) string { return sanitize.PlainText(s) }

func normaliseTag(s string) string { return content.NormaliseTag(s) }

func httpOnly(s string) string {
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return ""
	}
	return clip(s, 2000)
}

func nowUTC() time.Time { return time.Now().UTC().Truncate(time.Second) }
