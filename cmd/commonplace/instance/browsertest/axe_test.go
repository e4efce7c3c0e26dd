package browsertest

import (
	"net/http"
	"net/http/httptest"
	"slices"
	"testing"

	"github.com/chromedp/chromedp"
)

// The site's Content-Security-Policy forbids every script; axe still runs,
// and finds what a page does wrong: an image without text, an unlabelled
// field, faint text and buttons too small and close to tap.
func TestAxeFindsViolationsDespiteCSP(t *testing.T) {
	NeedAxe(t)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Security-Policy", "default-src 'none'; style-src 'self'; form-action 'self'; base-uri 'none'")
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = w.Write([]byte(`<!doctype html><html lang="en"><head><title>Faults</title></head><body><main><h1>Faults</h1>
<img src="/x.png">
<p><input name="q"></p>
<p><font color="#bbbbbb">Faint text on white.</font></p>
<p><button type="submit" style="font-size:8px;padding:0;margin:0;border:0">a</button><button type="submit" style="font-size:8px;padding:0;margin:0;border:0">b</button></p>
</main></body></html>`))
	}))
	defer srv.Close()
	ctx := Session(t, New(t))
	Do(t, ctx, chromedp.Navigate(srv.URL))
	var ids []string
	for _, v := range AxeViolations(t, ctx) {
		ids = append(ids, v.ID)
		if len(v.Nodes) == 0 || v.String() == "" {
			t.Errorf("violation %s names no element", v.ID)
		}
	}
	for _, want := range []string{"image-alt", "label", "color-contrast", "target-size"} {
		if !slices.Contains(ids, want) {
			t.Errorf("axe did not report %s; it reported %v", want, ids)
		}
	}
}
