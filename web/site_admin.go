package web

import (
	"html/template"
	"net/http"

	"github.com/gorilla/csrf"

	"github.com/commonplace-social/commonplace/internal/model"
	"github.com/commonplace-social/commonplace/internal/site"
)

type siteAdminView struct {
	CSRF           template.HTML
	Form           site.Settings
	DefaultName    string
	MaxName        int
	MaxDescription int
	Saved          bool
	Error          string
	// Uploads is true when pictures can be stored, so the form offers a
	// logo file as well as an address.
	Uploads bool
}

// siteForm shows the site's identity settings to an admin.
func (w *writing) siteForm(rw http.ResponseWriter, r *http.Request) {
	set, err := w.identity().site.Stored(r.Context())
	if err != nil {
		w.serverError(rw, r, err)
		return
	}
	w.showSiteForm(rw, r, http.StatusOK, siteAdminView{Form: set, Saved: r.URL.Query().Get("saved") == "1"})
}

func (w *writing) showSiteForm(rw http.ResponseWriter, r *http.Request, status int, v siteAdminView) {
	v.CSRF, v.MaxName, v.MaxDescription = csrf.TemplateField(r), site.MaxName, site.MaxDescription
	v.DefaultName = "the first organisation's name"
	v.Uploads = w.Media != nil
	w.render(rw, r, status, "site_admin", page{Title: "Site settings", Data: v})
}

// saveSite stores every field of the form at once; a refused field leaves
// all of them as they were and shows the form again with what was typed.
func (w *writing) saveSite(rw http.ResponseWriter, r *http.Request) {
	set := site.Settings{
		Name: r.PostFormValue("name"), Description: r.PostFormValue("description"),
		ContactEmail: r.PostFormValue("contact"), LogoURL: r.PostFormValue("logo"),
		About: r.PostFormValue("about"), Privacy: r.PostFormValue("privacy"), Accessibility: r.PostFormValue("accessibility"),
	}
	if r.PostFormValue("logo_remove") == "1" {
		set.LogoURL = ""
	}
	logo, err := w.uploadLogo(r)
	if err != nil {
		if model.ErrorCode(err) == model.EInvalid {
			w.showSiteForm(rw, r, http.StatusUnprocessableEntity, siteAdminView{Form: set, Error: "The logo: " + model.ErrorMessage(err)})
			return
		}
		w.serverError(rw, r, err)
		return
	}
	if logo != "" {
		set.LogoURL = logo
	}
	if err := w.identity().site.Update(r.Context(), site.All(set)); err != nil {
		if model.ErrorCode(err) == model.EInvalid {
			w.showSiteForm(rw, r, http.StatusUnprocessableEntity, siteAdminView{Form: set, Error: model.ErrorMessage(err)})
			return
		}
		w.serverError(rw, r, err)
		return
	}
	if w.Media != nil {
		if err := w.identity().site.PruneLogos(r.Context(), w.Media); err != nil {
			w.Log.Warn("replaced logo left behind", "err", err)
		}
	}
	w.Log.Info("site settings changed", "account", account(r).ID)
	http.Redirect(rw, r, "/admin/site?saved=1", http.StatusSeeOther)
}
