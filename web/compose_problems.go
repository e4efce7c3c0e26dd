package web

import (
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/commonplace-social/commonplace/internal/content"
	"github.com/commonplace-social/commonplace/internal/model"
	"github.com/commonplace-social/commonplace/internal/posts"
)

// formFields are the compose form's fields in the order they appear, so
// the summary of problems reads top to bottom like the form.
var formFields = []string{"org", "kind", "title", "body", "summary", "tags", "topic",
	"start", "end", "timezone", "venue", "address", "online_url", "booking_url",
	"image1", "alt1", "image2", "alt2", "image3", "alt3", "image4", "alt4", "publish_at"}

// problemView is one problem as the form shows it: Field is the id of the
// input it links to, "" for a problem with the form as a whole.
type problemView struct{ Field, Message string }

// checkForm reads the whole form and finds everything wrong with it at
// once: what cannot be read (a mistyped date), then what the use case would
// refuse, without repeating a field already reported. at is zero for "now".
func checkForm(f postForm, scheduling bool) (posts.Draft, time.Time, posts.Problems) {
	d, ps := f.draft()
	checked, err := posts.Check(d)
	var more posts.Problems
	if errors.As(err, &more) {
		for _, p := range more {
			if !ps.Has(p.Field) {
				ps = append(ps, p)
			}
		}
	} else if err == nil {
		d = checked
	}
	var at time.Time
	if scheduling {
		var p *posts.Problem
		at, p = f.publishAt()
		if p != nil {
			ps = append(ps, *p)
		}
	}
	return d, at, ps
}

// publishAt reads "publish at" in the form's time zone; zero means now.
func (f postForm) publishAt() (time.Time, *posts.Problem) {
	in := strings.TrimSpace(f.PublishAt)
	if in == "" {
		return time.Time{}, nil
	}
	tz := cmpOr(strings.TrimSpace(f.TimeZone), "Europe/London")
	loc, err := content.Zone(tz)
	if err != nil {
		return time.Time{}, &posts.Problem{Field: "publish_at", Message: "the time zone " + tz + " is not one like Europe/London, so the time to publish cannot be read"}
	}
	at, err := time.ParseInLocation(dateTimeLocal, in, loc)
	if err != nil {
		return time.Time{}, &posts.Problem{Field: "publish_at", Message: "the time to publish " + `"` + in + `"` + " is not a date and time like 2013-09-10T18:30"}
	}
	if !at.After(time.Now()) {
		return time.Time{}, &posts.Problem{Field: "publish_at", Message: "the time to publish has already passed; leave it empty to publish now"}
	}
	return at, nil
}

func cmpOr(s, fallback string) string {
	if s == "" {
		return fallback
	}
	return s
}

// setProblems puts problems on the form: a summary in form order, and the
// message by each field.
func (v *composeView) setProblems(ps posts.Problems) {
	ordered := slices.Clone(ps)
	slices.SortStableFunc(ordered, func(a, b posts.Problem) int {
		return fieldRank(a.Field) - fieldRank(b.Field)
	})
	v.Errs = map[string]string{}
	for _, p := range ordered {
		msg := sentence(p.Message)
		v.Problems = append(v.Problems, problemView{Field: p.Field, Message: msg})
		if p.Field != "" {
			if prev, ok := v.Errs[p.Field]; ok {
				msg = prev + " " + msg
			}
			v.Errs[p.Field] = msg
		}
	}
}

func fieldRank(f string) int {
	if i := slices.Index(formFields, f); i >= 0 {
		return i
	}
	return -1 // the form as a whole comes first
}

// problemsOf turns a use case's refusal into problems for the form; ok is
// false for a failure that is not the author's to fix.
func problemsOf(err error) (posts.Problems, bool) {
	var ps posts.Problems
	if errors.As(err, &ps) {
		return ps, true
	}
	switch model.ErrorCode(err) {
	case model.EInvalid, model.ENotFound, model.EConflict:
		return posts.Problems{{Message: model.ErrorMessage(err)}}, true
	}
	return nil, false
}
