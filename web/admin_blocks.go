package web

import (
	"net/http"
	"strings"

	"github.com/commonplace-social/commonplace/internal/model"
)

// changeBlock blocks or unblocks a remote account (by handle or address) or
// a whole domain. Blocks are instance-wide: any admin may set them.
func (w *writing) changeBlock(rw http.ResponseWriter, r *http.Request) {
	if w.Blocks == nil {
		w.forbidden(rw, r, "Blocking is not available on this server.")
		return
	}
	kind, value := r.PostFormValue("kind"), strings.TrimSpace(r.PostFormValue("value"))
	reason := strings.TrimSpace(r.PostFormValue("reason"))
	var err error
	switch {
	case r.PostFormValue("action") == "unblock":
		err = w.Blocks.Unblock(r.Context(), kind, value)
	case kind == "domain":
		_, err = w.Blocks.BlockDomain(r.Context(), value, reason)
	case kind == "account":
		id := value
		if !strings.HasPrefix(value, "https://") && !strings.HasPrefix(value, "http://") {
			target, rerr := w.Resolve(r.Context(), value)
			if rerr != nil {
				w.adminRefused(rw, r, rerr)
				return
			}
			id = target.IRI
		}
		_, err = w.Blocks.BlockAccount(r.Context(), id, reason)
	default:
		err = model.Errorf(model.EInvalid, "say whether to block an account or a domain")
	}
	if err != nil {
		w.adminRefused(rw, r, err)
		return
	}
	done := "blocked"
	if r.PostFormValue("action") == "unblock" {
		done = "unblocked"
	}
	http.Redirect(rw, r, "/admin?done="+done, http.StatusSeeOther)
}
