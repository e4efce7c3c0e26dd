package httpsign

import (
	"fmt"
	"strings"
)

// httpsigParams are the parameters httpsig reads. verifierHeader hands them
// on, so their values must survive httpsig's naive parse (split on every
// comma, trim every quote) unchanged; the others are dropped there.
var httpsigParams = map[string]bool{
	"keyId": true, "algorithm": true, "headers": true, "signature": true, "created": true, "expires": true,
}

// parseParams splits a Signature header value into its parameters. It is
// stricter than httpsig's own parser about structure (quoting, duplicates)
// and looser about optional whitespace after commas, which some servers send
// and httpsig would silently misread. A value httpsig would read differently
// (a stray quote, or a comma in a parameter it reads) is refused, so the two
// parsers can never disagree about what was signed.
func parseParams(s string) (map[string]string, error) {
	params := make(map[string]string)
	for {
		s = strings.TrimLeft(s, " \t")
		if s == "" {
			return params, nil
		}
		eq := strings.IndexByte(s, '=')
		if eq <= 0 {
			return nil, fmt.Errorf("%w: parameter without a value", ErrMalformedSignature)
		}
		name := strings.TrimSpace(s[:eq])
		if name == "" || strings.ContainsAny(name, " \t,\"") {
			return nil, fmt.Errorf("%w: bad parameter name %q", ErrMalformedSignature, name)
		}
		s = strings.TrimLeft(s[eq+1:], " \t")
		var val string
		if strings.HasPrefix(s, `"`) {
			end := strings.IndexByte(s[1:], '"')
			if end < 0 {
				return nil, fmt.Errorf("%w: unterminated value of %q", ErrMalformedSignature, name)
			}
			val, s = s[1:1+end], s[2+end:]
		} else {
			end := strings.IndexByte(s, ',')
			if end < 0 {
				end = len(s)
			}
			val, s = strings.TrimSpace(s[:end]), s[end:]
		}
		if strings.ContainsRune(val, '"') || (httpsigParams[name] && strings.ContainsRune(val, ',')) {
			return nil, fmt.Errorf("%w: value of %q holds a quote or comma", ErrMalformedSignature, name)
		}
		if _, dup := params[name]; dup {
			return nil, fmt.Errorf("%w: parameter %q given twice", ErrMalformedSignature, name)
		}
		params[name] = val
		s = strings.TrimLeft(s, " \t")
		if s == "" {
			return params, nil
		}
		if s[0] != ',' {
			return nil, fmt.Errorf("%w: expected ',' after %q", ErrMalformedSignature, name)
		}
		s = s[1:]
	}
}
