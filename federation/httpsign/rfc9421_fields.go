package httpsign

import (
	"errors"
	"fmt"
	"strings"

	"github.com/dunglas/httpsfv"
)

// labelled is one signature read from the Signature-Input and Signature
// fields (RFC 9421 §4), structurally valid but not yet checked against any
// policy.
type labelled struct {
	label      string
	components []component
	// params is the serialized Inner List, the value of the
	// "@signature-params" line. RFC 9421 §3.2 step 7 has the verifier
	// re-serialize it rather than copy the received text.
	params     string
	created    int64
	hasCreated bool
	expires    int64
	hasExpires bool
	keyID      string
	alg        string // "" when the parameter is absent
	signature  []byte
}

// component is one covered component identifier.
type component struct {
	name string
	// queryName is the name parameter of "@query-param", the only component
	// parameter accepted: sf, key, bs, req and tr have no use on an inbox.
	queryName string
	// ident is the identifier as it opens its signature base line, e.g.
	// `"@query-param";name="Pet"`.
	ident string
}

// derivedNames are the request components of RFC 9421 §2.2. @status is a
// response component and @signature-params may not be listed.
var derivedNames = map[string]bool{
	"@method": true, "@target-uri": true, "@authority": true, "@scheme": true,
	"@request-target": true, "@path": true, "@query": true, "@query-param": true,
}

// parseSignatureFields parses the Signature-Input and Signature field lines
// strictly, as RFC 8941 Dictionaries, and pairs their members by label. A
// repeated label or parameter, which RFC 8941 would silently resolve to the
// last one, is refused, as is a label present in only one of the fields.
// The result is in Signature-Input order.
func parseSignatureFields(input, signature []string) ([]labelled, error) {
	inputs, err := parseDict(input)
	if err != nil {
		return nil, fmt.Errorf("%w: Signature-Input: %w", ErrMalformedSignature, err)
	}
	sigs, err := parseDict(signature)
	if err != nil {
		return nil, fmt.Errorf("%w: Signature: %w", ErrMalformedSignature, err)
	}
	if len(inputs.Names()) == 0 {
		return nil, fmt.Errorf("%w: Signature-Input is empty", ErrMalformedSignature)
	}
	if len(inputs.Names()) != len(sigs.Names()) {
		return nil, fmt.Errorf("%w: %d labels in Signature-Input but %d in Signature", ErrMalformedSignature, len(inputs.Names()), len(sigs.Names()))
	}
	out := make([]labelled, 0, len(inputs.Names()))
	for _, label := range inputs.Names() {
		in, _ := inputs.Get(label)
		sig, ok := sigs.Get(label)
		if !ok {
			return nil, fmt.Errorf("%w: label %q is in Signature-Input but not in Signature", ErrMalformedSignature, label)
		}
		l, err := parseLabelled(label, in, sig)
		if err != nil {
			return nil, fmt.Errorf("%w: label %q: %w", ErrMalformedSignature, label, err)
		}
		out = append(out, l)
	}
	return out, nil
}

// parseDict parses a Dictionary field and refuses duplicate keys at any
// level. The library keeps only the last of a repeated key; since every ','
// and ';' outside a String starts exactly one member or parameter in a
// valid field, counting them shows whether anything was dropped.
func parseDict(lines []string) (*httpsfv.Dictionary, error) {
	d, err := httpsfv.UnmarshalDictionary(lines)
	if err != nil {
		return nil, fmt.Errorf("not a structured Dictionary: %w", err)
	}
	params := 0
	for _, name := range d.Names() {
		m, _ := d.Get(name)
		params += countParams(m)
	}
	commas, semicolons := countOutsideStrings(strings.Join(lines, ", "))
	if len(d.Names()) > 0 && commas+1 != len(d.Names()) {
		return nil, errors.New("a key is given twice")
	}
	if semicolons != params {
		return nil, errors.New("a parameter is given twice")
	}
	return d, nil
}

// countParams counts the parameters a parsed member holds, its own and its
// items'.
func countParams(m httpsfv.Member) int {
	switch v := m.(type) {
	case httpsfv.Item:
		return len(v.Params.Names())
	case httpsfv.InnerList:
		n := len(v.Params.Names())
		for _, it := range v.Items {
			n += len(it.Params.Names())
		}
		return n
	}
	return 0
}

// countOutsideStrings counts ',' and ';' that are not inside a String or a
// Display String. Byte Sequences hold only base64, which has neither.
func countOutsideStrings(s string) (commas, semicolons int) {
	inString := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case inString && c == '\\':
			i++ // the escaped character, which cannot end the string
		case c == '"':
			inString = !inString
		case inString:
		case c == ',':
			commas++
		case c == ';':
			semicolons++
		}
	}
	return commas, semicolons
}

// parseLabelled reads one Signature-Input member and its Signature member.
func parseLabelled(label string, in, sig httpsfv.Member) (labelled, error) {
	l := labelled{label: label}
	list, ok := in.(httpsfv.InnerList)
	if !ok {
		return l, errors.New("Signature-Input value is not an Inner List")
	}
	seen := make(map[string]bool, len(list.Items))
	for _, it := range list.Items {
		c, err := parseComponent(it)
		if err != nil {
			return l, err
		}
		if seen[c.ident] {
			return l, fmt.Errorf("component %s is covered twice", c.ident)
		}
		seen[c.ident] = true
		l.components = append(l.components, c)
	}
	for _, name := range list.Params.Names() {
		v, _ := list.Params.Get(name)
		if err := l.setParam(name, v); err != nil {
			return l, err
		}
	}
	var err error
	if l.params, err = httpsfv.Marshal(list); err != nil {
		return l, fmt.Errorf("signature parameters do not serialize: %w", err)
	}
	item, ok := sig.(httpsfv.Item)
	if !ok {
		return l, errors.New("Signature value is not a Byte Sequence")
	}
	b, ok := item.Value.([]byte)
	if !ok || len(b) == 0 {
		return l, errors.New("Signature value is not a non-empty Byte Sequence")
	}
	if len(item.Params.Names()) > 0 {
		return l, errors.New("Signature value has parameters")
	}
	l.signature = b
	return l, nil
}

// setParam records a signature parameter, checking the type RFC 9421 §2.3
// gives it. Unknown parameters are kept only in the serialization: they are
// covered by the signature and mean nothing to us.
func (l *labelled) setParam(name string, v any) error {
	wantInt := func() (int64, error) {
		n, ok := v.(int64)
		if !ok {
			return 0, fmt.Errorf("parameter %s is not an Integer", name)
		}
		return n, nil
	}
	wantString := func() (string, error) {
		s, ok := v.(string)
		if !ok {
			return "", fmt.Errorf("parameter %s is not a String", name)
		}
		return s, nil
	}
	var err error
	switch name {
	case "created":
		l.created, err = wantInt()
		l.hasCreated = err == nil
	case "expires":
		l.expires, err = wantInt()
		l.hasExpires = err == nil
	case "keyid":
		l.keyID, err = wantString()
	case "alg":
		l.alg, err = wantString()
		if err == nil && l.alg == "" {
			err = errors.New("parameter alg is empty")
		}
	case "nonce", "tag":
		_, err = wantString()
	}
	return err
}

// parseComponent reads one covered component identifier.
func parseComponent(it httpsfv.Item) (component, error) {
	name, ok := it.Value.(string)
	if !ok {
		return component{}, fmt.Errorf("covered component %v is not a String", it.Value)
	}
	c := component{name: name}
	if strings.HasPrefix(name, "@") {
		if !derivedNames[name] {
			return c, fmt.Errorf("unknown or misplaced derived component %q", name)
		}
	} else if !isFieldName(name) {
		return c, fmt.Errorf("covered component %q is not a lowercase field name", name)
	}
	for _, p := range it.Params.Names() {
		v, _ := it.Params.Get(p)
		s, isString := v.(string)
		if name != "@query-param" || p != "name" || !isString {
			return c, fmt.Errorf("unsupported parameter %q on component %q", p, name)
		}
		c.queryName = s
	}
	if name == "@query-param" && c.queryName == "" {
		return c, errors.New(`component "@query-param" has no name`)
	}
	ident, err := httpsfv.Marshal(it)
	if err != nil {
		return c, fmt.Errorf("component %q does not serialize: %w", name, err)
	}
	c.ident = ident
	return c, nil
}

// isFieldName reports whether s is a lowercase HTTP field name (a token).
func isFieldName(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9':
		case strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0:
		default:
			return false
		}
	}
	return true
}
