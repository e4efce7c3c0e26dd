package main

import (
	"time"

	"github.com/commonplace-social/commonplace/internal/model"
	"github.com/commonplace-social/commonplace/internal/orgs"
	"github.com/commonplace-social/commonplace/internal/posts"
)

// demoOrgs are the organisations of the seed's #HSCLeeds network, one per
// instance, so that the demo shows federation rather than one shared site.
// The first one gets the demo login.
var demoOrgs = []orgs.NewOrg{
	{Username: "leedsth", Name: "Leeds Teaching Hospitals NHS Trust",
		Summary: "The city's hospital trust. Here our staff share what they learn about using social media well, with partners across Leeds."},
	{Username: "stgemmas", Name: "St Gemma's Hospice",
		Summary: "A Leeds hospice caring for people at the end of life and for those close to them. New to #HSCLeeds and glad to be here."},
	{Username: "volition", Name: "Volition",
		Summary: "A mental-health charity in Leeds, bringing the voluntary sector's voice to the city's health and care conversations."},
	{Username: "sociable", Name: "The Sociable Organisation",
		Summary: "A blog about organisations learning to be social. It is where the #HSCLeeds network keeps its notes, links and guidance."},
}

// demoPost is one post and the organisation that publishes it. Key names
// it for the demo's conversation (demo_conversation.go).
type demoPost struct {
	Key   string
	Org   string
	Draft posts.Draft
}

// demoPosts is the demo's content: the facts of the seed's third Tweet Meet,
// told afresh. Event dates are computed from now so that they always show as
// upcoming, in Europe/London like the network itself.
func demoPosts(now time.Time, london *time.Location) []demoPost {
	day := func(offset, hour, minute int) time.Time {
		t := now.In(london)
		return time.Date(t.Year(), t.Month(), t.Day()+offset, hour, minute, 0, 0, london)
	}
	// The Tweet Meet is on a Tuesday at least a week away.
	offset := 7
	for day(offset, 12, 0).Weekday() != time.Tuesday {
		offset++
	}
	meetStart := day(offset, 18, 30)
	// The last one was on a Friday lunchtime, some five weeks before.
	back := -35
	for day(back, 12, 0).Weekday() != time.Friday {
		back--
	}
	pastStart := day(back, 12, 30)
	festYear := now.In(london).Year()
	if !now.Before(time.Date(festYear, time.October, 1, 0, 0, 0, 0, london)) {
		festYear++
	}
	return []demoPost{
		{"meetup", "sociable", posts.Draft{Kind: model.KindMeetupNote, Tags: []string{"HSCLeeds"},
			Title: "Tweet Meet number three: cake, new faces and the case for one shared site",
			Body:  meetupNote}},
		{"toolkit", "sociable", posts.Draft{Kind: model.KindGuidance, Topic: "Social media toolkit", Tags: []string{"HSCLeeds"},
			Title: "Social media at work: a toolkit we share",
			Body:  toolkitGuidance}},
		{"next-meet", "sociable", posts.Draft{Kind: model.KindEvent, Tags: []string{"HSCLeeds"},
			Title: "Next #HSCLeeds Tweet Meet",
			Body: "The fourth get-together for anyone using social media in health and social care in Leeds. " +
				"Whichever organisation you are from, bring your questions and your ideas; cake is, by now, expected.",
			Event: model.Event{StartTime: meetStart, EndTime: meetStart.Add(2 * time.Hour), TimeZone: london.String(),
				Venue: "Tech North", Address: "Chapel Allerton, Leeds"}}},
		{"curry", "sociable", posts.Draft{Kind: model.KindEvent, Tags: []string{"TrulySocial", "HSCLeeds"},
			Title: "Social Care Curry",
			Body: "A relaxed evening meal for people who work in social care, or care about it. " +
				"News comes from @SocialCareCurry; tag what you post about the night #TrulySocial.",
			Event: model.Event{StartTime: day(14, 19, 0), EndTime: day(14, 22, 0), TimeZone: london.String(),
				Venue: "the Mumtaz", Address: "Leeds"}}},
		{"festival", "sociable", posts.Draft{Kind: model.KindEvent, Tags: []string{"HSCLeeds"},
			Title: "Leeds Digital Festival",
			Body: "Several days of talks, workshops and open doors about digital life across the city (@LDSDigital). " +
				"We agreed that #HSCLeeds should take part: reply here if you would like to help put something on.",
			Event: model.Event{
				StartTime: time.Date(festYear, time.October, 1, 9, 0, 0, 0, london),
				EndTime:   time.Date(festYear, time.October, 10, 18, 0, 0, 0, london),
				TimeZone:  london.String(), Venue: "Venues across the city", Address: "Leeds"}}},
		{"past-meet", "sociable", posts.Draft{Kind: model.KindEvent, Tags: []string{"HSCLeeds"},
			Title: "Tweet Meet number three",
			Body: "The third time people from across health and social care in Leeds met to talk about social media. " +
				"The write-up is in the meetup notes; the next one is already on the events page.",
			Event: model.Event{StartTime: pastStart, EndTime: pastStart.Add(90 * time.Minute), TimeZone: london.String(),
				Venue: "Leeds Teaching Hospitals NHS Trust", Address: "Leeds"}}},
		{"leedsth-staff", "leedsth", posts.Draft{Kind: model.KindUpdate, Tags: []string{"HSCLeeds"},
			Body: "More and more of our staff ask what they may and may not post. From now on we point them to the " +
				"shared #HSCLeeds toolkit, and we will add our own answers there so every organisation gains from them."}},
		{"stgemmas-hello", "stgemmas", posts.Draft{Kind: model.KindUpdate, Tags: []string{"HSCLeeds"},
			Body: "Hello from St Gemma's! We joined #HSCLeeds at the last Tweet Meet. Our Facebook page now has more than " +
				"6,000 followers, and we are happy to talk about what that means for keeping up with messages."}},
		{"volition-joins", "volition", posts.Draft{Kind: model.KindUpdate, Tags: []string{"HSCLeeds"},
			Body: "Volition is now part of #HSCLeeds. Charities and community groups are a big part of care in this city; " +
				"if yours would like to join in, come to the next Tweet Meet and find us."}},
	}
}

const meetupNote = `Home baking has become part of how we meet: this time there was jostaberry cake,
sweet sesame cake and baklava, and the agenda has grown to match.

Two organisations came for the first time: **St Gemma's Hospice** and **Volition**. No single
organisation runs this work; it grows from what each of us brings, and it was good to see the
circle widen beyond the hospitals.

## What we talked about

- How many groups, large and small, make up health and social care in Leeds, and how we might help one another.
- What the hospice has learned: claim good account names early, and expect things to change once a
  Facebook page has over 6,000 followers.
- Guidance for staff. Some trusts publish excellent social-media advice for their people. Rather than
  each of us copying it, we could run one site for all of us: none of it needs to be secret, and
  sharing the work means it can keep up as new platforms and new colleagues arrive.

## A home for the notes

People new to the network keep asking how it began. From now on the notes, links and guidance live
here, on The Sociable Organisation, under #HSCLeeds.

## Coming up

- **Leeds Digital Festival** in October: #HSCLeeds will be there.
- **Social Care Curry** at the Mumtaz (#TrulySocial).
- **The next Tweet Meet**, at Tech North in Chapel Allerton.

Dates and times are on the events page.`

const toolkitGuidance = `This is the advice our organisations give staff about social media, kept in one place so
that nobody has to write it alone. It is open to all: sensible posting needs no login.

## Why one toolkit

Several NHS trusts already publish toolkits for their staff; the one from South Staffordshire and
Shropshire Healthcare NHS Foundation Trust impressed us most. For the kind of page we mean, see
[an example toolkit](https://example.org/toolkit) (a placeholder address in this demo).

## The basics

- Speak as yourself. Mention where you work only if you are comfortable speaking in that role.
- Never post anything that could identify a patient or someone who uses a service.
- Register your organisation's names on each platform early, before someone else takes them.
- Talk to your communications team before opening an account for a service.

## Keeping it current

New platforms will keep arriving, and new colleagues will often know them first. Any organisation in
the network can suggest a change; each edit shows here with its date.`
