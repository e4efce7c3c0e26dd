package model

import (
	"errors"
	"fmt"
)

// Error codes name what kind of failure a use case hit, so that the CLI and
// the HTTP handlers can each turn it into the right exit status or response
// without matching on message text.
const (
	EInvalid  = "invalid"   // the caller's input is wrong
	EConflict = "conflict"  // it clashes with what already exists
	ENotFound = "not_found" // the thing asked for does not exist
	EInternal = "internal"  // anything else: a bug or an outage
)

// Error is a failure meant for the person who caused it: Message is written
// to be shown to them as it is.
type Error struct {
	Code    string
	Message string
}

func (e *Error) Error() string { return e.Message }

// Errorf builds an Error with a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode reports the code of the first *Error in err's chain: "" for no
// error, EInternal for an error that is not ours.
func ErrorCode(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return EInternal
}

// ErrorMessage reports the message of the first *Error in err's chain, or a
// generic sentence that leaks no internals.
func ErrorMessage(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Message
	}
	return "internal error"
}
