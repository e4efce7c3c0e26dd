package instance_test

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"regexp"
	"testing"
)

// pngPicture is a w×h opaque PNG with a gradient, as an upload.
func pngPicture(t testing.TB, w, h int) []byte {
	t.Helper()
	m := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			m.Set(x, y, color.NRGBA{uint8(x), uint8(y), 120, 255})
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, m); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// fetchStatus is the status a GET of path answers with.
func fetchStatus(t *testing.T, b *browser, path string) (int, string) {
	t.Helper()
	resp, _ := b.get(path)
	return resp.StatusCode, resp.Header.Get("Content-Type")
}

var headerLogo = regexp.MustCompile(`<a class="brand" href="/"><img class="logo" src="(/media/[^"]+)"`)

// logoIn is the header logo's path on a page, or "".
func logoIn(body string) string {
	if m := headerLogo.FindStringSubmatch(body); m != nil {
		return m[1]
	}
	return ""
}
