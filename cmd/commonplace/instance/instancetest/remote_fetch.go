package instancetest

import (
	"io"
	"net/http"
	"testing"
)

// Fetch GETs url as ActivityStreams JSON, signed as this remote actor the
// way servers sign their fetches; tamper, when set, may change the signed
// request before it goes out (to forge it, or strip the signature).
func (r *Remote) Fetch(t testing.TB, url string, tamper func(*http.Request)) (int, []byte) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Accept", "application/activity+json")
	r.sign(t, req, nil)
	if tamper != nil {
		tamper(req)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	return resp.StatusCode, body
}
