package federation

import (
	"fmt"
	"html"
	"net/http"
)

// hostMeta points older clients at WebFinger (RFC 6415). Mastodon only falls
// back to it when WebFinger itself fails, but some software still starts here.
func (s *Server) hostMeta(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/xrd+xml; charset=utf-8")
	w.Header().Set("Access-Control-Allow-Origin", "*")
	if r.Method == http.MethodHead {
		return
	}
	fmt.Fprintf(w, `<?xml version="1.0" encoding="UTF-8"?>
<XRD xmlns="http://docs.oasis-open.org/ns/xri/xrd-1.0">
  <Link rel="lrdd" type="application/jrd+json" template="%s?resource={uri}"/>
</XRD>
`, html.EscapeString(s.Layout.WebFinger()))
}
