package vocab

import (
	"bytes"
	"encoding/json"
	"fmt"
)

// arrayProps are written as arrays even with a single value. go-fed collapses
// one-element properties to a scalar; some consumers only look for arrays
// (INTEROP §7), and Mastodon itself always writes these as arrays.
var arrayProps = map[string]bool{
	"to": true, "cc": true, "tag": true, "attachment": true, "orderedItems": true, "items": true,
}

// finish turns a map produced by streams.Serialize (plus our additions) into
// the bytes we serve: our @context replaces go-fed's, and array properties are
// arrays at every depth.
func finish(m map[string]any) ([]byte, error) {
	normaliseArrays(m)
	m["@context"] = contextJSON
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	// HTML in content and & in page IRIs stay readable; JSON does not need
	// the \u003c escapes json.Marshal would add.
	enc.SetEscapeHTML(false)
	if err := enc.Encode(m); err != nil {
		return nil, fmt.Errorf("vocab: encode document: %w", err)
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}

func normaliseArrays(v any) {
	switch t := v.(type) {
	case map[string]any:
		for k, child := range t {
			if arrayProps[k] {
				if _, isArr := child.([]any); !isArr && child != nil {
					child = []any{child}
					t[k] = child
				}
			}
			normaliseArrays(child)
		}
	case []any:
		for _, child := range t {
			normaliseArrays(child)
		}
	}
}
