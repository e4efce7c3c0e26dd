package instancetest

import (
	"bytes"
	"mime/multipart"
	"net/http"
	"net/url"
)

// Upload is a file sent in a multipart form field.
type Upload struct {
	Field, Name string
	Data        []byte
}

// PostMultipart submits a form as multipart/form-data, the way a browser
// sends one with file inputs, with the fields and files given.
func (b *Browser) PostMultipart(path string, form url.Values, files ...Upload) (*http.Response, string) {
	b.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, vs := range form {
		for _, v := range vs {
			if err := mw.WriteField(k, v); err != nil {
				b.t.Fatal(err)
			}
		}
	}
	for _, f := range files {
		w, err := mw.CreateFormFile(f.Field, f.Name)
		if err != nil {
			b.t.Fatal(err)
		}
		if _, err := w.Write(f.Data); err != nil {
			b.t.Fatal(err)
		}
	}
	if err := mw.Close(); err != nil {
		b.t.Fatal(err)
	}
	req, _ := http.NewRequest(http.MethodPost, b.base+path, &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Origin", b.base)
	resp, err := b.c.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	return resp, ReadBody(b.t, resp)
}
