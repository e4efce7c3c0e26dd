package web

import (
	"html/template"
	"net/http"
	"net/url"

	"github.com/gorilla/csrf"

	"github.com/commonplace-social/commonplace/internal/media"
	"github.com/commonplace-social/commonplace/internal/model"
)

// profilePicturesView is the page where an organisation's admins change
// its avatar and header, as `commonplace org edit --avatar --header` does.
type profilePicturesView struct {
	CSRF    template.HTML
	Org     *model.Actor
	Uploads bool
	Saved   bool
	Error   string
}

// managedOrg is the organisation named by ?org= (or the form's org) if the
// account is its admin or a site admin.
func (w *writing) managedOrg(rw http.ResponseWriter, r *http.Request) (*model.Actor, bool) {
	a, name := account(r), r.FormValue("org")
	if org := a.ManagedOrg(name); org != nil {
		return org, true
	}
	if a.IsSiteAdmin() {
		org, err := w.Orgs.Get(r.Context(), name)
		if err == nil {
			return org, true
		}
		if model.ErrorCode(err) != model.ENotFound {
			w.serverError(rw, r, err)
			return nil, false
		}
	}
	w.forbidden(rw, r, "Only an admin of that organisation can change its pictures.")
	return nil, false
}

func (w *writing) profilePictures(rw http.ResponseWriter, r *http.Request) {
	org, ok := w.managedOrg(rw, r)
	if !ok {
		return
	}
	w.showProfilePictures(rw, r, http.StatusOK, profilePicturesView{Org: org, Saved: r.URL.Query().Get("saved") == "1"})
}

func (w *writing) showProfilePictures(rw http.ResponseWriter, r *http.Request, status int, v profilePicturesView) {
	v.CSRF, v.Uploads = csrf.TemplateField(r), w.Media != nil
	w.render(rw, r, status, "admin_profile", page{Title: "Pictures of " + v.Org.Name, Data: v})
}

// saveProfilePictures makes the uploaded files the avatar and header. Each
// is processed as the CLI does it, the replaced picture's files are
// removed, and followers' servers are sent the updated profile.
func (w *writing) saveProfilePictures(rw http.ResponseWriter, r *http.Request) {
	org, ok := w.managedOrg(rw, r)
	if !ok {
		return
	}
	if w.Media == nil {
		w.showProfilePictures(rw, r, http.StatusUnprocessableEntity, profilePicturesView{Org: org, Error: noPictureStore})
		return
	}
	var problems, changed []string
	for _, img := range []struct{ field, kind, name string }{{"avatar", media.KindAvatar, "The avatar"}, {"header", media.KindHeader, "The header image"}} {
		updated, problem, err := w.saveProfileImage(r, org, img.field, img.kind, img.name)
		switch {
		case err != nil:
			w.serverError(rw, r, err)
			return
		case problem != "":
			problems = append(problems, problem)
		case updated != nil:
			org, changed = updated, append(changed, img.kind)
		}
	}
	if len(problems) == 0 && len(changed) == 0 {
		problems = append(problems, "Choose an avatar, a header image or both.")
	}
	if len(problems) > 0 {
		msg := ""
		for i, p := range problems {
			if i > 0 {
				msg += " "
			}
			msg += p
		}
		if len(changed) > 0 {
			msg = "Only part was saved. " + msg
		}
		w.showProfilePictures(rw, r, http.StatusUnprocessableEntity, profilePicturesView{Org: org, Error: msg})
		return
	}
	w.Log.Info("profile pictures changed", "org", org.Username, "changed", changed, "account", account(r).ID)
	http.Redirect(rw, r, "/admin/profile?"+url.Values{"org": {org.Username}, "saved": {"1"}}.Encode(), http.StatusSeeOther)
}

// saveProfileImage makes the file uploaded in field the actor's avatar or
// header (kind), processed and stored as every profile picture is. It
// returns the updated actor, or nil when no file was chosen; problem says,
// for the page, why the file was refused (name is what it is called there).
func (w *writing) saveProfileImage(r *http.Request, a *model.Actor, field, kind, name string) (updated *model.Actor, problem string, err error) {
	f, _, err := uploadedFile(r, field)
	if err != nil {
		return nil, name + " could not be read; choose it again.", nil
	}
	if f == nil {
		return nil, "", nil
	}
	defer f.Close()
	updated, err = w.Media.SetProfileImage(r.Context(), a, kind, f)
	if model.ErrorCode(err) == model.EInvalid {
		return nil, name + ": " + sentence(model.ErrorMessage(err)), nil
	}
	return updated, "", err
}
