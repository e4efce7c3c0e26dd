package web

import (
	"errors"
	"html/template"
	"net/http"

	"github.com/gorilla/csrf"
	"github.com/gorilla/mux"

	"github.com/commonplace-social/commonplace/internal/accounts"
	"github.com/commonplace-social/commonplace/internal/model"
)

type inviteView struct {
	CSRF  template.HTML
	Email string
	Reset bool
	Done  bool
	Error string
	// Broken is true when the link itself cannot be used: the page then
	// says why instead of showing the form.
	Broken bool
}

// inviteForm shows the form for setting a password from an invitation or
// reset link, or says why the link cannot be used.
func (w *writing) inviteForm(rw http.ResponseWriter, r *http.Request) {
	l, err := w.accounts.OpenLink(r.Context(), mux.Vars(r)["token"])
	if err != nil {
		w.brokenLink(rw, r, err)
		return
	}
	w.renderInvite(rw, r, http.StatusOK, inviteView{Email: l.Email, Reset: l.Purpose == "reset"})
}

// acceptInvite sets the password. The person then logs in as anyone does,
// which also proves to them that the password works.
func (w *writing) acceptInvite(rw http.ResponseWriter, r *http.Request) {
	token := mux.Vars(r)["token"]
	l, err := w.accounts.OpenLink(r.Context(), token)
	if err != nil {
		w.brokenLink(rw, r, err)
		return
	}
	v := inviteView{Email: l.Email, Reset: l.Purpose == "reset"}
	password := r.PostFormValue("password")
	if password != r.PostFormValue("confirm") {
		v.Error = "The two passwords differ. Type the same password twice."
		w.renderInvite(rw, r, http.StatusUnprocessableEntity, v)
		return
	}
	a, err := w.accounts.UseLink(r.Context(), token, password)
	switch {
	case errors.Is(err, accounts.ErrLinkUnknown), errors.Is(err, accounts.ErrLinkUsed), errors.Is(err, accounts.ErrLinkExpired):
		w.brokenLink(rw, r, err)
		return
	case model.ErrorCode(err) == model.EInvalid:
		v.Error = sentence(model.ErrorMessage(err))
		w.renderInvite(rw, r, http.StatusUnprocessableEntity, v)
		return
	case err != nil:
		w.serverError(rw, r, err)
		return
	}
	w.Log.Info("password set from link", "account", a.ID, "purpose", l.Purpose)
	w.renderInvite(rw, r, http.StatusOK, inviteView{Email: a.Email, Done: true})
}

func (w *writing) brokenLink(rw http.ResponseWriter, r *http.Request, err error) {
	status := http.StatusNotFound
	switch {
	case errors.Is(err, accounts.ErrLinkUsed), errors.Is(err, accounts.ErrLinkExpired):
		status = http.StatusGone
	case !errors.Is(err, accounts.ErrLinkUnknown):
		w.serverError(rw, r, err)
		return
	}
	w.renderInvite(rw, r, status, inviteView{Broken: true, Error: sentence(model.ErrorMessage(err))})
}

func (w *writing) renderInvite(rw http.ResponseWriter, r *http.Request, status int, v inviteView) {
	v.CSRF = csrf.TemplateField(r)
	title := "Set your password"
	if v.Done {
		title = "Password set"
	}
	w.render(rw, r, status, "invite", page{Title: title, Data: v})
}
