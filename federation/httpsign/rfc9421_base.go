package httpsign

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
)

// message is what RFC 9421 component values are taken from: a request as
// it was addressed, in its wire form.
type message struct {
	method    string
	scheme    string // lowercase
	authority string // lowercase host[:port], default port dropped
	target    string // @request-target, as on the request line
	path      string // escaped, never empty
	query     string // without '?'
	hasQuery  bool
	header    http.Header
	host      string // the Host field, which net/http keeps out of header
}

// newMessage reads r as the server saw it. scheme is the one the sender
// used, which a TLS-terminating proxy hides from r.
func newMessage(r *http.Request, scheme string) (message, error) {
	m := message{method: r.Method, scheme: strings.ToLower(scheme), header: r.Header, host: r.Host}
	if r.Host == "" {
		return m, fmt.Errorf("%w: the request has no Host", ErrMalformedSignature)
	}
	m.authority = normalizeAuthority(r.Host, m.scheme)
	m.target = r.RequestURI
	switch {
	case strings.HasPrefix(m.target, "/"):
		// Origin form: path and query exactly as sent.
		m.path, m.query, m.hasQuery = strings.Cut(m.target, "?")
	case m.target == "":
		// Built in-process rather than read from the wire.
		m.target = r.URL.RequestURI()
		m.path, m.query, m.hasQuery = strings.Cut(m.target, "?")
	default:
		// Absolute form; net/http has parsed it into r.URL.
		m.path, m.query, m.hasQuery = r.URL.EscapedPath(), r.URL.RawQuery, r.URL.RawQuery != "" || r.URL.ForceQuery
	}
	if m.path == "" {
		m.path = "/"
	}
	return m, nil
}

// normalizeAuthority lowercases host[:port] and drops the scheme's default
// port (RFC 9110 §4.2.3).
func normalizeAuthority(hostport, scheme string) string {
	a := strings.ToLower(hostport)
	switch {
	case scheme == "https" && strings.HasSuffix(a, ":443"):
		return strings.TrimSuffix(a, ":443")
	case scheme == "http" && strings.HasSuffix(a, ":80"):
		return strings.TrimSuffix(a, ":80")
	}
	return a
}

// signatureBase builds the signature base of RFC 9421 §2.5: one line per
// covered component, then the "@signature-params" line, with no final
// newline. Any component it cannot resolve is an error.
func signatureBase(m message, components []component, params string) (string, error) {
	var b strings.Builder
	for _, c := range components {
		v, err := m.value(c)
		if err != nil {
			return "", err
		}
		b.WriteString(c.ident)
		b.WriteString(": ")
		b.WriteString(v)
		b.WriteByte('\n')
	}
	b.WriteString(`"@signature-params": `)
	b.WriteString(params)
	base := b.String()
	for i := 0; i < len(base); i++ {
		if c := base[i]; c >= 0x7f || (c < ' ' && c != '\n' && c != '\t') {
			return "", fmt.Errorf("%w: the signature base would contain byte %#x", ErrMalformedSignature, c)
		}
	}
	return base, nil
}

// value is a component's canonical value (RFC 9421 §2.1 and §2.2).
func (m message) value(c component) (string, error) {
	switch c.name {
	case "@method":
		return m.method, nil
	case "@target-uri":
		u := m.scheme + "://" + m.authority + m.path
		if m.hasQuery {
			u += "?" + m.query
		}
		return u, nil
	case "@authority":
		return m.authority, nil
	case "@scheme":
		return m.scheme, nil
	case "@request-target":
		return m.target, nil
	case "@path":
		return m.path, nil
	case "@query":
		return "?" + m.query, nil
	case "@query-param":
		return queryParam(m.query, c.queryName)
	}
	var lines []string
	if c.name == "host" {
		lines = []string{m.host}
	} else {
		lines = m.header.Values(c.name)
	}
	if len(lines) == 0 {
		return "", fmt.Errorf("%w: covered field %q is absent", ErrMalformedSignature, c.name)
	}
	vals := make([]string, len(lines))
	for i, l := range lines {
		vals[i] = strings.Trim(l, " \t")
	}
	return strings.Join(vals, ", "), nil
}

// queryParam is the value of "@query-param";name=... (RFC 9421 §2.2.8):
// the query parsed as application/x-www-form-urlencoded, names and values
// re-encoded, and the one parameter whose encoded name is name. A missing or
// repeated parameter is an error.
func queryParam(rawQuery, name string) (string, error) {
	found, value := 0, ""
	for pair := range strings.SplitSeq(rawQuery, "&") {
		if pair == "" {
			continue
		}
		k, v, _ := strings.Cut(pair, "=")
		dk, err1 := url.QueryUnescape(k)
		dv, err2 := url.QueryUnescape(v)
		if err1 != nil || err2 != nil {
			return "", fmt.Errorf("%w: the query is not form-encoded", ErrMalformedSignature)
		}
		if formEncode(dk) == name {
			found++
			value = formEncode(dv)
		}
	}
	switch found {
	case 0:
		return "", fmt.Errorf("%w: covered query parameter %q is absent", ErrMalformedSignature, name)
	case 1:
		return value, nil
	}
	return "", fmt.Errorf("%w: covered query parameter %q occurs %d times", ErrMalformedSignature, name, found)
}

// formEncode percent-encodes every byte but ASCII alphanumerics and "*-._",
// the application/x-www-form-urlencoded set, with a space as %20 as RFC 9421
// §2.2.8 shows (not '+').
func formEncode(s string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9', strings.IndexByte("*-._", c) >= 0:
			b.WriteByte(c)
		default:
			b.WriteByte('%')
			b.WriteByte(hex[c>>4])
			b.WriteByte(hex[c&15])
		}
	}
	return b.String()
}
