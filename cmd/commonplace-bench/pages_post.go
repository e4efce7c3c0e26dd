package main

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/commonplace-social/commonplace/internal/model"
)

// seedWords make up the synthetic text: a million posts need text of a
// realistic length, not real prose.
var seedWords = strings.Fields(`meetup notes guidance event update patients carers staff hospice hospital
	council charity volunteers training session social media toolkit consent privacy policy community
	wellbeing mental health service team network leeds city digital festival evening dinner venue
	agenda speakers questions answers feedback survey accessible online booking share follow reply
	listen learn together practice examples story photo video blog link week month year plan`)

var seedTopics = []string{"Social media toolkit", "Consent and privacy", "Accessibility", "Crisis communication",
	"Photography", "Moderation", "Recruitment", "Volunteers", "Campaigns", "Evaluation", "Branding", "Training"}

// sentence is n seeded words with a capital and a full stop.
func sentence(rng *rand.Rand, n int) string {
	w := make([]string, n)
	for i := range w {
		w[i] = seedWords[rng.IntN(len(seedWords))]
	}
	w[0] = strings.ToUpper(w[0][:1]) + w[0][1:]
	return strings.Join(w, " ") + "."
}

// seedPost makes timeline post i (0 is the newest): 40% by the
// organisations here (half of those by the first), 60% copies of the remote
// organisations' posts; 5% events, 5% guidance, 20% meetup notes, the rest
// updates; 30% tagged with the common tag, 1% with the rare one.
func seedPost(rng *rand.Rand, seed *pagesSeed, remotes []*model.Actor, i int, published time.Time) *model.Post {
	p := &model.Post{InTimeline: true, Published: published, CreatedAt: published}
	switch r := rng.IntN(10); {
	case r < 2:
		p.Author = seed.orgs[0]
	case r < 4:
		p.Author = seed.orgs[1+rng.IntN(len(seed.orgs)-1)]
	default:
		p.Author = remotes[rng.IntN(len(remotes))]
	}
	p.AuthorID, p.Local = p.Author.ID, p.Author.Local
	switch r := rng.IntN(20); {
	case r == 0:
		p.Kind, p.APType = model.KindEvent, "Event"
	case r == 1:
		p.Kind, p.APType = model.KindGuidance, "Article"
		if t := rng.IntN(len(seedTopics) + 1); t < len(seedTopics) {
			p.Topic = seedTopics[t]
		}
	case r < 6:
		p.Kind, p.APType = model.KindMeetupNote, "Article"
	default:
		p.Kind, p.APType = model.KindUpdate, "Note"
	}
	body := fmt.Sprintf("<p>%s</p><p>%s</p><p>%s</p>", sentence(rng, 30), sentence(rng, 40), sentence(rng, 25))
	if p.Kind == model.KindUpdate {
		p.ContentHTML = fmt.Sprintf("<p>Post %d.</p>", i) + body
	} else {
		p.Title = fmt.Sprintf("Post %d: %s", i, strings.TrimSuffix(sentence(rng, 5), "."))
		p.Summary = sentence(rng, 20)
		p.ContentHTML = body
	}
	if p.Kind == model.KindEvent {
		start := published.Truncate(24 * time.Hour).Add(time.Duration(1+rng.IntN(60))*24*time.Hour + 18*time.Hour)
		p.Event = model.Event{StartTime: start, TimeZone: "Europe/London", Venue: "Tech North", Address: "Leeds LS1"}
		if rng.IntN(10) > 0 {
			p.EndTime = start.Add(2 * time.Hour)
		}
	}
	if rng.IntN(10) < 3 {
		p.Tags = append(p.Tags, model.Tag{Tag: seed.commonTag, Name: "HSCLeeds"})
	}
	if rng.IntN(100) == 0 {
		p.Tags = append(p.Tags, model.Tag{Tag: seed.rareTag, Name: "TweetMeet"})
	}
	if rng.IntN(10) == 0 {
		p.Tags = append(p.Tags, model.Tag{Tag: "socialmedia", Name: "SocialMedia"})
	}
	if p.Local {
		p.Token = fmt.Sprintf("p%07d", i)
		p.Source = p.ContentHTML
	} else {
		p.IRI = fmt.Sprintf("%s/statuses/%d", p.Author.IRI, i)
		p.URL = fmt.Sprintf("https://%s/@org/%d", p.Author.Host, i)
		p.Raw = `{"type":"` + p.APType + `","id":"` + p.IRI + `","content":"` + p.ContentHTML + `"}`
	}
	return p
}
