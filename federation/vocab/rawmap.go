package vocab

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/commonplace-social/commonplace/internal/remoteurl"
)

// Helpers that read values out of a decoded JSON map. They never panic and
// never fail: a value of an unexpected shape reads as empty. Every string they
// return has NUL bytes removed, because Postgres (and so bun) rejects them.

// decodeObject decodes raw as a JSON object; what is not one is ErrMalformed.
func decodeObject(raw []byte) (map[string]any, error) {
	if err := checkObject(raw); err != nil {
		return nil, err
	}
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrMalformed, err)
	}
	return m, nil
}

// checkObject rejects input that is not a JSON object before decoding it, so
// that "null", an array or a string get a clear ErrMalformed.
func checkObject(raw []byte) error {
	trimmed := bytes.TrimLeft(raw, " \t\r\n")
	if len(trimmed) == 0 || trimmed[0] != '{' {
		return fmt.Errorf("%w: not a JSON object", ErrMalformed)
	}
	return nil
}

func clean(s string) string {
	if strings.IndexByte(s, 0) < 0 {
		return s
	}
	return strings.ReplaceAll(s, "\x00", "")
}

// str reads a string property.
func str(m map[string]any, key string) string {
	s, _ := m[key].(string)
	return clean(s)
}

// langStr reads a natural-language property: key, or else its key+"Map"
// form (Mastodon and GoToSocial send contentMap next to content; some servers
// send only the map). The "en" value wins, then the first language in order.
func langStr(m map[string]any, key string) string {
	if s := str(m, key); s != "" {
		return s
	}
	byLang, _ := m[key+"Map"].(map[string]any)
	if s, ok := byLang["en"].(string); ok {
		return clean(s)
	}
	langs := make([]string, 0, len(byLang))
	for k := range byLang {
		langs = append(langs, k)
	}
	sort.Strings(langs)
	for _, k := range langs {
		if s, ok := byLang[k].(string); ok {
			return clean(s)
		}
	}
	return ""
}

// typeName reads "type", which JSON-LD allows to be an array: the first
// string wins.
func typeName(m map[string]any) string {
	switch t := m["type"].(type) {
	case string:
		return clean(t)
	case []any:
		for _, v := range t {
			if s, ok := v.(string); ok {
				return clean(s)
			}
		}
	}
	return ""
}

// ref reads a property that holds a reference: an IRI string, an embedded
// object (its id), or an array of either (the first usable one).
func ref(v any) string {
	switch t := v.(type) {
	case string:
		return clean(t)
	case map[string]any:
		return str(t, "id")
	case []any:
		for _, e := range t {
			if s := ref(e); s != "" {
				return s
			}
		}
	}
	return ""
}

// refs reads an addressing property (to, cc) as a slice, whether it came as
// a single value or an array. It never returns nil.
func refs(v any) []string {
	switch t := v.(type) {
	case []any:
		out := make([]string, 0, len(t))
		for _, e := range t {
			if s := ref(e); s != "" {
				out = append(out, s)
			}
		}
		return out
	case nil:
		return []string{}
	}
	if s := ref(v); s != "" {
		return []string{s}
	}
	return []string{}
}

// maps reads a property that holds one object or an array of objects (tag,
// attachment). Non-object entries are skipped.
func maps(v any) []map[string]any {
	switch t := v.(type) {
	case map[string]any:
		return []map[string]any{t}
	case []any:
		out := make([]map[string]any, 0, len(t))
		for _, e := range t {
			if o, ok := e.(map[string]any); ok {
				out = append(out, o)
			}
		}
		return out
	}
	return nil
}

// link reads a url-like property: an IRI, a Link object (its href), or an
// array of them (the first usable one). PeerTube sends arrays of Links.
func link(v any) string {
	switch t := v.(type) {
	case string:
		return clean(t)
	case map[string]any:
		if s := str(t, "href"); s != "" {
			return s
		}
		if s := link(t["url"]); s != "" {
			return s
		}
		return str(t, "id")
	case []any:
		for _, e := range t {
			if s := link(e); s != "" {
				return s
			}
		}
	}
	return ""
}

// timeLayouts are tried in order; the last two cover servers that omit the
// zone (read as UTC).
var timeLayouts = []string{time.RFC3339Nano, "2006-01-02T15:04:05", "2006-01-02T15:04"}

// timeOf reads an xsd:dateTime. An unreadable value is the zero time.
func timeOf(m map[string]any, key string) time.Time {
	s, _ := m[key].(string)
	for _, layout := range timeLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC()
		}
	}
	return time.Time{}
}

func boolOf(m map[string]any, key string) bool {
	b, _ := m[key].(bool)
	return b
}

// number reads a JSON number, or a string holding one (seen in the wild).
func number(v any) (float64, bool) {
	switch t := v.(type) {
	case float64:
		return t, true
	case string:
		f, err := strconv.ParseFloat(strings.TrimSpace(t), 64)
		return f, err == nil
	}
	return 0, false
}

// httpURL parses s and accepts it only as an absolute http(s) URL with a host.
func httpURL(s string) (*url.URL, bool) {
	u, err := url.Parse(s)
	if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		return nil, false
	}
	return u, true
}

// isHTTPURL reports whether s is a URL we accept from another server (see
// remoteurl.Canonical).
func isHTTPURL(s string) bool {
	_, err := remoteurl.Canonical(s)
	return err == nil
}

// dimension reads an image's width or height: a positive whole number of
// pixels below a bound no real picture reaches, else 0.
func dimension(v any) int {
	f, ok := number(v)
	if !ok || f < 1 || f > 1<<20 {
		return 0
	}
	return int(f)
}
