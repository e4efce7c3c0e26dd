// Package vocab is the one place where Commonplace converts between its own
// Go types and ActivityStreams 2.0 JSON. Other packages see only the plain
// structs defined here; go-fed/activity stays behind this package.
//
// Output is built with go-fed's streams constructors and streams.Serialize,
// then corrected: go-fed v1.0.0 writes a @context that defines no extension
// terms, collapses one-element arrays to scalars, and has no
// manuallyApprovesFollowers, indexable, endpoints or PropertyValue. Every
// document gets Context() and array properties stay arrays (normalise.go).
//
// Input is read from the decoded JSON map; go-fed types only the core of an
// activity (@context, type, id) to tell activities from other objects.
// Typing whole documents was rejected because real payloads trip it (a
// missing @context on embedded and fetched documents, Hashtag or
// PropertyValue entries it cannot expose, contentMap dropped when content is
// present) and because it is slow: on the Mastodon Create(Note) fixture a
// full streams.ToType took ~377 µs and 1,253 allocations on the 2-core
// reference machine, while ParseActivity takes ~80 µs and 372 allocations,
// of which typing the core is about a sixth.
//
// The parsers are tolerant: single values or arrays, unknown properties,
// null where a string was expected and unknown types are all accepted; only
// input we cannot act on is refused, with an error wrapping ErrMalformed,
// ErrInvalid or ErrUnsupportedType. Strings come back without NUL bytes.
package vocab
