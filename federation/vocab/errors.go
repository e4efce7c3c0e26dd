package vocab

import "errors"

// Sentinel errors. Every error this package returns wraps one of them, so
// callers can map a bad payload to an HTTP status with errors.Is and still log
// the detail carried by the wrapping message.
var (
	// ErrMalformed: the bytes are not JSON, or the JSON is not an object.
	ErrMalformed = errors.New("malformed ActivityStreams document")
	// ErrInvalid: the document is an object but lacks something we cannot do
	// without (an absolute http(s) id or actor, an inbox, a key PEM...).
	ErrInvalid = errors.New("invalid ActivityStreams document")
	// ErrUnsupportedType: the document's type is known to be of the wrong kind
	// for the call (a Note given to ParseActivity, a Note given to ParseActor).
	ErrUnsupportedType = errors.New("unsupported ActivityStreams type")
)
