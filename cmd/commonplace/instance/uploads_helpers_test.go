package instance_test

import (
	"regexp"
	"testing"

	"github.com/commonplace-social/commonplace/cmd/commonplace/instance/instancetest"
)

// pngPicture is a w×h opaque PNG with a gradient, as an upload.
func pngPicture(t testing.TB, w, h int) []byte {
	t.Helper()
	return instancetest.PNGPicture(t, w, h)
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
