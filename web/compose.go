package web

import (
	"html/template"
	"net/http"

	"github.com/gorilla/csrf"

	"github.com/commonplace-social/commonplace/internal/content"
	"github.com/commonplace-social/commonplace/internal/model"
)

type kindOption struct{ Value, Name string }

type composeView struct {
	CSRF      template.HTML
	Action    string // /compose or /edit
	PostURL   string // when editing
	Form      postForm
	Orgs      []*model.Actor
	Kinds     []kindOption
	TimeZones []string
	Error     string
	Preview   template.HTML
}

func (w *writing) showCompose(rw http.ResponseWriter, r *http.Request, status int, v composeView) {
	v.CSRF = csrf.TemplateField(r)
	v.Orgs = account(r).Orgs
	for _, k := range model.PublishedKinds {
		v.Kinds = append(v.Kinds, kindOption{k, kindNames[k]})
	}
	v.TimeZones = timeZones
	if v.Form.TimeZone == "" {
		v.Form.TimeZone = "Europe/London"
	}
	title := "Write a post"
	if v.PostURL != "" {
		title = "Edit a post"
	}
	w.render(rw, r, status, "compose", page{Title: title, Data: v})
}

func (w *writing) composeForm(rw http.ResponseWriter, r *http.Request) {
	a := account(r)
	if len(a.Orgs) == 0 {
		w.forbidden(rw, r, "Your account does not belong to any organisation yet; ask the instance's operator to add you.")
		return
	}
	w.showCompose(rw, r, http.StatusOK, composeView{Action: "/compose", Form: postForm{Org: a.Orgs[0].Username, Kind: kindParam(r.URL.Query().Get("kind"))}})
}

// compose previews or publishes. A refused draft comes back with its
// message and every field as typed (422).
func (w *writing) compose(rw http.ResponseWriter, r *http.Request) {
	f := readPostForm(r)
	v := composeView{Action: "/compose", Form: f}
	org := account(r).Org(f.Org)
	if org == nil {
		w.forbidden(rw, r, "You cannot write as that organisation.")
		return
	}
	d, err := f.draft()
	if err == nil && r.PostFormValue("action") == "preview" {
		w.preview(rw, r, v)
		return
	}
	if err == nil {
		p, perr := w.Posts.Publish(r.Context(), org, d)
		if perr == nil {
			w.Log.Info("published from the web", "post", p.Token, "account", account(r).ID)
			http.Redirect(rw, r, w.Layout.Post(org.Username, p.Token), http.StatusSeeOther)
			return
		}
		err = perr
	}
	w.refuse(rw, r, v, err)
}

// preview renders the Markdown as it will appear, publishing nothing.
func (w *writing) preview(rw http.ResponseWriter, r *http.Request, v composeView) {
	out, err := content.Render(v.Form.Body, nil)
	if err != nil {
		w.refuse(rw, r, v, err)
		return
	}
	v.Preview = template.HTML(out.HTML) // sanitised by content.Render
	w.showCompose(rw, r, http.StatusOK, v)
}

func (w *writing) refuse(rw http.ResponseWriter, r *http.Request, v composeView, err error) {
	if model.ErrorCode(err) != model.EInvalid {
		w.serverError(rw, r, err)
		return
	}
	v.Error = model.ErrorMessage(err)
	w.showCompose(rw, r, http.StatusUnprocessableEntity, v)
}

// ownPost finds the post named by ?post= (or the form's post field) and
// checks that the account writes for its organisation.
func (w *writing) ownPost(rw http.ResponseWriter, r *http.Request) (*model.Post, bool) {
	ref := r.FormValue("post")
	p, err := w.Posts.Find(r.Context(), ref)
	if model.ErrorCode(err) == model.ENotFound || (err == nil && (p.Deleted() || !p.Local)) {
		w.notFound(rw, r)
		return nil, false
	}
	if err != nil {
		w.serverError(rw, r, err)
		return nil, false
	}
	if !account(r).Writes(p.AuthorID) {
		w.forbidden(rw, r, "You can only change posts of your own organisations.")
		return nil, false
	}
	return p, true
}

func (w *writing) editForm(rw http.ResponseWriter, r *http.Request) {
	p, ok := w.ownPost(rw, r)
	if !ok {
		return
	}
	w.showCompose(rw, r, http.StatusOK, composeView{Action: "/edit", PostURL: w.Layout.Post(p.Author.Username, p.Token), Form: formOf(p)})
}

func (w *writing) edit(rw http.ResponseWriter, r *http.Request) {
	p, ok := w.ownPost(rw, r)
	if !ok {
		return
	}
	postURL := w.Layout.Post(p.Author.Username, p.Token)
	f := readPostForm(r)
	f.Org, f.Kind = p.Author.Username, p.Kind // neither changes on edit
	v := composeView{Action: "/edit", PostURL: postURL, Form: f}
	d, err := f.draft()
	if err == nil && r.PostFormValue("action") == "preview" {
		w.preview(rw, r, v)
		return
	}
	if err == nil {
		if _, err = w.Posts.Edit(r.Context(), p, d); err == nil {
			http.Redirect(rw, r, postURL, http.StatusSeeOther)
			return
		}
	}
	w.refuse(rw, r, v, err)
}

type deleteView struct {
	CSRF    template.HTML
	Post    *model.Post
	PostURL string
	Name    string
}

// deleteForm asks for confirmation: deleting federates and cannot be undone.
func (w *writing) deleteForm(rw http.ResponseWriter, r *http.Request) {
	p, ok := w.ownPost(rw, r)
	if !ok {
		return
	}
	name := p.Title
	if name == "" {
		name = kindNames[p.Kind]
	}
	w.render(rw, r, http.StatusOK, "delete", page{Title: "Delete a post", Data: deleteView{CSRF: csrf.TemplateField(r),
		Post: p, PostURL: w.Layout.Post(p.Author.Username, p.Token), Name: name}})
}

func (w *writing) delete(rw http.ResponseWriter, r *http.Request) {
	p, ok := w.ownPost(rw, r)
	if !ok {
		return
	}
	if err := w.Posts.Delete(r.Context(), p); err != nil && model.ErrorCode(err) != model.ENotFound {
		w.serverError(rw, r, err)
		return
	}
	http.Redirect(rw, r, w.Layout.Profile(p.Author.Username), http.StatusSeeOther)
}
