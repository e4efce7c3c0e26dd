package web

import (
	"context"
	"errors"
	"html/template"
	"net/http"
	"net/url"
	"time"

	"github.com/gorilla/csrf"

	"github.com/commonplace-social/commonplace/internal/accounts"
	"github.com/commonplace-social/commonplace/internal/model"
	"github.com/commonplace-social/commonplace/internal/posts"
	"github.com/commonplace-social/commonplace/internal/store"
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
	// Draft is the form's signed draft token (see compose_drafts.go).
	Draft string
	// Problems is everything wrong with the form as sent, in form order;
	// Errs is the same by field id, for the message beside each field.
	Problems []problemView
	Errs     map[string]string
	Notice   string
	// Preview is the post as it will be published, shown by the same
	// template fragment as the post page.
	Preview *postView
	// Drafts and Scheduled list the account's drafts and its
	// organisations' scheduled posts, on the compose page.
	Drafts    []draftItem
	Scheduled []scheduledItem
	// Slots are the image fields of a new post; Uploads is false when the
	// server has nowhere to keep pictures (compose_images.go).
	Slots   []imageSlot
	Uploads bool
}

// notices are the short confirmations a redirect back to the form shows.
var notices = map[string]string{
	"saved":     "Draft saved. It is listed under Your drafts until you publish or discard it.",
	"kept":      "Nothing was sent, because your session had ended or the form had expired. Here is what you wrote: check it and send it again.",
	"discarded": "Draft discarded.",
	"scheduled": "Your post is scheduled. It is listed under Scheduled posts until it is published.",
	"cancelled": "The scheduled post was cancelled; it will not be published.",
}

func (w *writing) showCompose(rw http.ResponseWriter, r *http.Request, status int, v composeView) {
	a := account(r)
	v.CSRF = csrf.TemplateField(r)
	v.Orgs = a.Orgs
	if err := w.composeImages(r.Context(), &v); err != nil {
		w.serverError(rw, r, err)
		return
	}
	for _, k := range model.PublishedKinds {
		v.Kinds = append(v.Kinds, kindOption{k, kindNames[k]})
	}
	v.TimeZones = timeZones
	if v.Form.TimeZone == "" {
		v.Form.TimeZone = "Europe/London"
	}
	if v.Draft == "" {
		signed, err := w.signDraft(r.Context(), a.ID, newDraftName())
		if err != nil {
			w.serverError(rw, r, err)
			return
		}
		v.Draft = signed
	}
	if v.Action == "/compose" {
		var err error
		if v.Drafts, err = w.draftItems(r.Context(), a); err == nil {
			v.Scheduled, err = w.scheduledItems(r, a)
		}
		if err != nil {
			w.serverError(rw, r, err)
			return
		}
	}
	title := "Write a post"
	if v.PostURL != "" {
		title = "Edit a post"
	}
	if len(v.Problems) > 0 {
		title = "Problems: " + title
	}
	w.render(rw, r, status, "compose", page{Title: title, Data: v})
}

// composeForm shows a new form, or brings back a draft (?draft=) or a
// scheduled post (?scheduled=) to carry on with.
func (w *writing) composeForm(rw http.ResponseWriter, r *http.Request) {
	a := account(r)
	if len(a.Orgs) == 0 {
		w.forbidden(rw, r, "Your account does not belong to any organisation yet; ask the instance's operator to add you.")
		return
	}
	q := r.URL.Query()
	v := composeView{Action: "/compose", Form: postForm{Org: a.Orgs[0].Username, Kind: kindParam(q.Get("kind"))}, Notice: notices[q.Get("notice")]}
	switch {
	case q.Get("draft") != "":
		w.openDraftForm(rw, r, a, q.Get("draft"), v)
		return
	case q.Get("scheduled") != "":
		sc, ok := w.ownScheduled(rw, r, q.Get("scheduled"))
		if !ok {
			return
		}
		v.Form = formOfScheduled(sc)
	}
	w.showCompose(rw, r, http.StatusOK, v)
}

// openDraftForm shows a draft in the form it came from: a new post, or the
// edit of a post the account may still edit.
func (w *writing) openDraftForm(rw http.ResponseWriter, r *http.Request, a *accounts.Account, name string, v composeView) {
	d, f, err := w.loadDraft(r.Context(), a, name)
	if errors.Is(err, store.ErrNotFound) {
		w.render(rw, r, http.StatusNotFound, "error", page{Title: "No such draft",
			Data: map[string]string{"Heading": "No such draft", "Text": "This draft was published, discarded or has expired, or it belongs to another account."}})
		return
	}
	if err != nil {
		w.serverError(rw, r, err)
		return
	}
	signed, err := w.signDraft(r.Context(), a.ID, name)
	if err != nil {
		w.serverError(rw, r, err)
		return
	}
	v.Form, v.Draft = f, signed
	if !d.ExpiresAt.IsZero() && v.Notice == "" {
		v.Notice = notices["kept"]
	}
	if d.EditOf != "" {
		p, err := w.postOfDraft(r.Context(), a, d.EditOf)
		if err != nil {
			w.forbidden(rw, r, "The post this draft edits was deleted or is no longer yours to edit.")
			return
		}
		v.Action, v.PostURL = "/edit", w.Layout.Post(p.Author.Username, p.Token)
		v.Form.Org, v.Form.Kind = p.Author.Username, p.Kind
	}
	w.showCompose(rw, r, http.StatusOK, v)
}

// compose saves a draft, previews, publishes or schedules. A refused form
// comes back (422) with every problem listed and every field as typed, and
// its text is kept as a draft.
func (w *writing) compose(rw http.ResponseWriter, r *http.Request) {
	a := account(r)
	f := readPostForm(r)
	var imageProblems posts.Problems
	f.Images, imageProblems = w.readImages(r)
	name, signed, err := w.formDraft(r, a)
	if err != nil {
		w.serverError(rw, r, err)
		return
	}
	v := composeView{Action: "/compose", Form: f, Draft: signed}
	org := a.Org(f.Org)
	if org == nil {
		w.forbidden(rw, r, "You cannot write as that organisation.")
		return
	}
	action := r.PostFormValue("action")
	if action == "save" {
		w.saveDraft(rw, r, a, name, "", f)
		return
	}
	d, at, ps := checkForm(f, true)
	d.Images, ps = formMedia(f.Images), append(ps, imageProblems...)
	ps = append(ps, scheduledImages(d, at)...)
	if action == "preview" {
		w.preview(rw, r, org, v, d, ps)
		return
	}
	if len(ps) > 0 {
		w.refuse(rw, r, v, name, "", ps)
		return
	}
	dest, err := w.publishOrSchedule(r, a, org, f, d, at)
	if err != nil {
		w.refuse(rw, r, v, name, "", err)
		return
	}
	w.forgetDraft(r.Context(), a, name)
	http.Redirect(rw, r, dest, http.StatusSeeOther)
}

// publishOrSchedule does what the form asked and says where to go next:
// publish now, schedule for later, or change (or publish at once) a post
// already scheduled.
func (w *writing) publishOrSchedule(r *http.Request, a *accounts.Account, org *model.Actor, f postForm, d posts.Draft, at time.Time) (string, error) {
	ctx := r.Context()
	scheduledDone := "/compose?" + url.Values{"notice": {"scheduled"}}.Encode()
	if f.Scheduled != "" {
		sc, err := w.Posts.FindScheduled(ctx, f.Scheduled)
		if err != nil {
			return "", err
		}
		if !a.Writes(sc.Org.ID) || sc.Org.ID != org.ID {
			return "", model.Errorf(model.EInvalid, "a scheduled post stays with its organisation; cancel it and write a new one")
		}
		if !at.IsZero() {
			return scheduledDone, w.Posts.Reschedule(ctx, sc, d, at)
		}
		// No time any more: publish it now, once.
		if err := w.Posts.CancelScheduled(ctx, sc); err != nil {
			return "", err
		}
	}
	if !at.IsZero() {
		sc, err := w.Posts.Schedule(ctx, org, a.ID, d, at)
		if err != nil {
			return "", err
		}
		w.Log.Info("scheduled from the web", "scheduled", sc.Token, "at", sc.PublishAt, "account", a.ID)
		return scheduledDone, nil
	}
	p, err := w.Posts.Publish(ctx, org, d)
	if err != nil {
		return "", err
	}
	w.Log.Info("published from the web", "post", p.Token, "account", a.ID)
	return w.Layout.Post(org.Username, p.Token), nil
}

// saveDraft keeps the form as typed, with no expiry, and shows it again.
func (w *writing) saveDraft(rw http.ResponseWriter, r *http.Request, a *accounts.Account, name, editOf string, f postForm) {
	if err := w.keepDraft(r.Context(), a.ID, name, editOf, f, time.Time{}); err != nil {
		w.serverError(rw, r, err)
		return
	}
	http.Redirect(rw, r, "/compose?"+url.Values{"draft": {name}, "notice": {"saved"}}.Encode(), http.StatusSeeOther)
}

// forgetDraft drops the draft a form was published from.
func (w *writing) forgetDraft(ctx context.Context, a *accounts.Account, name string) {
	if err := w.Store.DeleteDraft(ctx, a.ID, name); err != nil {
		w.Log.Warn("deleting a published draft failed", "err", err)
	}
}

// preview shows the post exactly as it will be published, with whatever is
// still wrong with it listed above; it publishes nothing.
func (w *writing) preview(rw http.ResponseWriter, r *http.Request, org *model.Actor, v composeView, d posts.Draft, ps posts.Problems) {
	p, err := w.Posts.Preview(org, d)
	if err != nil {
		w.serverError(rw, r, err)
		return
	}
	pv := w.postViewOf(p)
	pv.Preview = true
	pv.Images = w.previewImages(v.Form.Images)
	v.Preview = &pv
	if len(ps) > 0 {
		v.setProblems(ps)
	}
	w.showCompose(rw, r, http.StatusOK, v)
}

// refuse shows the form again with every problem, keeping the text as a
// draft so that leaving the page loses nothing.
func (w *writing) refuse(rw http.ResponseWriter, r *http.Request, v composeView, name, editOf string, err error) {
	ps, ok := problemsOf(err)
	if !ok {
		w.serverError(rw, r, err)
		return
	}
	v.setProblems(ps)
	if err := w.keepDraft(r.Context(), account(r).ID, name, editOf, v.Form, time.Time{}); err != nil {
		w.Log.Warn("keeping a refused form as a draft failed", "err", err)
	}
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
	a := account(r)
	postURL := w.Layout.Post(p.Author.Username, p.Token)
	f := readPostForm(r)
	f.Org, f.Kind = p.Author.Username, p.Kind // neither changes on edit
	f.PublishAt, f.Scheduled = "", ""         // a published post stays published
	name, signed, err := w.formDraft(r, a)
	if err != nil {
		w.serverError(rw, r, err)
		return
	}
	v := composeView{Action: "/edit", PostURL: postURL, Form: f, Draft: signed}
	action := r.PostFormValue("action")
	if action == "save" {
		w.saveDraft(rw, r, a, name, p.Token, f)
		return
	}
	d, _, ps := checkForm(f, false)
	if action == "preview" {
		w.preview(rw, r, p.Author, v, d, ps)
		return
	}
	if len(ps) > 0 {
		w.refuse(rw, r, v, name, p.Token, ps)
		return
	}
	if _, err := w.Posts.Edit(r.Context(), p, d); err != nil {
		w.refuse(rw, r, v, name, p.Token, err)
		return
	}
	w.forgetDraft(r.Context(), a, name)
	http.Redirect(rw, r, postURL, http.StatusSeeOther)
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
