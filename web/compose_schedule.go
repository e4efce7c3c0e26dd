package web

import (
	"net/http"
	"net/url"

	"github.com/commonplace-social/commonplace/internal/accounts"
	"github.com/commonplace-social/commonplace/internal/content"
	"github.com/commonplace-social/commonplace/internal/model"
	"github.com/commonplace-social/commonplace/internal/posts"
)

// scheduledItem is a scheduled post as listed on the compose page.
type scheduledItem struct {
	Token, Title, OrgName, When, Datetime string
}

// readableAt shows a time to publish in the zone it was given in.
const readableAt = "Monday 2 January 2006, 3:04pm (MST)"

func (w *writing) scheduledItems(r *http.Request, a *accounts.Account) ([]scheduledItem, error) {
	scs, err := w.Posts.ScheduledOf(r.Context(), a.Orgs)
	if err != nil {
		return nil, err
	}
	items := make([]scheduledItem, 0, len(scs))
	for _, sc := range scs {
		title := sc.Draft.Title
		if title == "" {
			title = firstWords(sc.Draft.Body, 8)
		}
		items = append(items, scheduledItem{Token: sc.Token, Title: title, OrgName: sc.Org.Name,
			When: sc.PublishAt.Format(readableAt), Datetime: sc.PublishAt.Format("2006-01-02T15:04:05Z07:00")})
	}
	return items, nil
}

// ownScheduled finds the scheduled post a request names and checks that
// the account writes for its organisation.
func (w *writing) ownScheduled(rw http.ResponseWriter, r *http.Request, token string) (*posts.Scheduled, bool) {
	sc, err := w.Posts.FindScheduled(r.Context(), token)
	if model.ErrorCode(err) == model.ENotFound {
		w.render(rw, r, http.StatusNotFound, "error", page{Title: "Not scheduled",
			Data: map[string]string{"Heading": "This post is no longer scheduled", "Text": "It was published or cancelled. Your posts are listed on your organisation's page."}})
		return nil, false
	}
	if err != nil {
		w.serverError(rw, r, err)
		return nil, false
	}
	if !account(r).Writes(sc.Org.ID) {
		w.forbidden(rw, r, "You can only change posts of your own organisations.")
		return nil, false
	}
	return sc, true
}

// formOfScheduled fills the form from a scheduled post, for changing it.
func formOfScheduled(sc *posts.Scheduled) postForm {
	d := sc.Draft
	p := &model.Post{Author: sc.Org, Kind: d.Kind, Title: d.Title, Source: d.Body, Summary: d.Summary, Topic: d.Topic, Event: d.Event}
	for _, t := range d.Tags {
		p.Tags = append(p.Tags, model.Tag{Name: t})
	}
	f := formOf(p)
	f.Scheduled = sc.Token
	at := sc.PublishAt
	if d.Kind != model.KindEvent {
		// The form reads the time to publish in its time zone field.
		if f.TimeZone = at.Location().String(); f.TimeZone == "" || f.TimeZone == "Local" {
			f.TimeZone, at = "UTC", at.UTC()
		}
	} else if loc, err := content.Zone(f.TimeZone); err == nil {
		at = at.In(loc)
	}
	f.PublishAt = at.Format(dateTimeLocal)
	return f
}

// cancelScheduled drops a scheduled post before it is published.
func (w *writing) cancelScheduled(rw http.ResponseWriter, r *http.Request) {
	sc, ok := w.ownScheduled(rw, r, r.PostFormValue("scheduled"))
	if !ok {
		return
	}
	if err := w.Posts.CancelScheduled(r.Context(), sc); err != nil && model.ErrorCode(err) != model.ENotFound {
		w.serverError(rw, r, err)
		return
	}
	w.Log.Info("scheduled post cancelled", "scheduled", sc.Token, "account", account(r).ID)
	http.Redirect(rw, r, "/compose?"+url.Values{"notice": {"cancelled"}}.Encode(), http.StatusSeeOther)
}
