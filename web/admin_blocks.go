package web

import (
	"net/http"
	"strings"

	"github.com/commonplace-social/commonplace/internal/model"
	"github.com/commonplace-social/commonplace/internal/store"
)

type blockRow struct {
	Kind, Value, Reason string
	Date                string
	DateTime            string // for <time datetime>
}

type blocksView struct {
	adminBase
	Blocks []blockRow
}

// requireSiteAdmin lets only site admins through: blocks and the site's
// settings concern every organisation on the instance.
func (w *writing) requireSiteAdmin(h http.HandlerFunc) http.HandlerFunc {
	return w.requireLogin(func(rw http.ResponseWriter, r *http.Request) {
		if !account(r).IsSiteAdmin() {
			w.forbidden(rw, r, "Only a site admin can manage blocks: they apply to every organisation here.")
			return
		}
		h(rw, r)
	})
}

// blocks lists what is blocked, with the reason given and when, and the
// form to block more.
func (w *writing) blocks(rw http.ResponseWriter, r *http.Request) {
	w.showBlocks(rw, r, http.StatusOK, doneText(r.URL.Query().Get("done")), "")
}

func (w *writing) showBlocks(rw http.ResponseWriter, r *http.Request, status int, msg, errMsg string) {
	v := blocksView{adminBase: w.adminBase(r, "/admin/blocks", msg, errMsg)}
	if w.Blocks != nil {
		list, err := w.Blocks.List(r.Context())
		if err != nil {
			w.serverError(rw, r, err)
			return
		}
		for _, b := range list {
			v.Blocks = append(v.Blocks, blockRow{Kind: b.Kind, Value: b.Value, Reason: b.Reason,
				Date: b.CreatedAt.Format("2 January 2006"), DateTime: b.CreatedAt.UTC().Format("2006-01-02T15:04:05Z")})
		}
	}
	w.render(rw, r, status, "admin_blocks", page{Title: "Blocks", Data: v})
}

// changeBlock blocks or unblocks a remote account (by handle or address) or
// a whole domain.
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
	case kind == store.BlockDomain:
		_, err = w.Blocks.BlockDomain(r.Context(), value, reason)
	case kind == store.BlockAccount:
		id := value
		if !strings.HasPrefix(value, "https://") && !strings.HasPrefix(value, "http://") {
			target, rerr := w.Resolve(r.Context(), value)
			if rerr != nil {
				w.refusedOn(rw, r, rerr, w.showBlocks)
				return
			}
			id = target.IRI
		}
		_, err = w.Blocks.BlockAccount(r.Context(), id, reason)
	default:
		err = model.Errorf(model.EInvalid, "say whether to block an account or a domain")
	}
	if err != nil {
		w.refusedOn(rw, r, err, w.showBlocks)
		return
	}
	done := "blocked"
	if r.PostFormValue("action") == "unblock" {
		done = "unblocked"
	}
	http.Redirect(rw, r, "/admin/blocks?done="+done, http.StatusSeeOther)
}
