package web

import (
	"time"

	"github.com/commonplace-social/commonplace/internal/model"
)

func init() {
	// eventEnded says whether an event is over, so its page can say so
	// rather than read like an invitation (Mastodon links land there long after).
	funcs["eventEnded"] = func(p *model.Post) bool {
		return p != nil && p.Kind == model.KindEvent && !p.EndTime.IsZero() && p.EndTime.Before(time.Now())
	}
}
