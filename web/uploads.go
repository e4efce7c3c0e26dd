package web

import (
	"errors"
	"fmt"
	"mime/multipart"
	"net/http"

	"github.com/commonplace-social/commonplace/internal/media"
	"github.com/commonplace-social/commonplace/internal/posts"
)

// maxFormBody bounds every form request, read before the CSRF check parses
// it: room for a post's four largest images and its text, no more.
const maxFormBody = posts.MaxImages*media.MaxBytes + 1<<20

// limitBody refuses a form body larger than maxFormBody, so an upload form
// (multipart, which gorilla/csrf parses to find its token) cannot be used
// to fill the disk with temporary files.
func limitBody(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Body != nil {
			r.Body = http.MaxBytesReader(w, r.Body, maxFormBody)
		}
		h.ServeHTTP(w, r)
	})
}

// uploadedFile is the file sent in a form's field, or nil when none was
// chosen (browsers send an empty part for an empty file input) or the form
// was not sent as multipart at all.
func uploadedFile(r *http.Request, field string) (multipart.File, *multipart.FileHeader, error) {
	f, h, err := r.FormFile(field)
	if errors.Is(err, http.ErrMissingFile) || errors.Is(err, http.ErrNotMultipart) || (err == nil && h.Size == 0 && h.Filename == "") {
		if f != nil {
			f.Close()
		}
		return nil, nil, nil
	}
	if err != nil {
		return nil, nil, fmt.Errorf("read the uploaded %s: %w", field, err)
	}
	return f, h, nil
}
