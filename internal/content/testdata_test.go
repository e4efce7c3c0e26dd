package content

import (
	"net/url"
	"strings"
)

// tagURL is how the web layer is expected to link tags.
func tagURL(tag string) string {
	return "https://hscleeds.example/tags/" + url.PathEscape(NormaliseTag(tag))
}

// writeUp is a meetup write-up of the kind organisations post, about 4 KB,
// used by the benchmark and the concurrency test. The facts come from the
// project's seed; the sentences are ours.
var writeUp = strings.TrimSpace(`
# Notes from the August #HSCLeeds Tweet Meet

The third city-wide **Tweet Meet** for health and social care in Leeds met over
lunch, and once again the table was mostly cake: a jostaberry sponge, a sesame
loaf and a tray of baklava. Nobody minded. Thanks to everyone who baked.

## Who came

- The teaching hospitals trust, who host these notes for now
- St Gemma's Hospice, for the first time
- Volition, the network of mental-health charities
- A few people who simply live in the city and wanted to know what is going on

No single organisation runs this. It grows from what the people who turn up
bring, and it was good to see the circle widen. We went round the table and
said what each group does and where we could help one another.

## What we talked about

### Names and followers

The hospice told us what happens when a page passes *six thousand* followers,
and why it pays to claim your organisation's name on every network early,
before someone else does. Search for #HSCLeeds to find the thread.

### Guidance for staff

We looked at two good social-media toolkits written for NHS staff, for example
https://toolkit.example.nhs.uk/social-media and
[another trust's guide](https://guide.example.org/staff "Staff guide"). Rather
than each of us copying them, we could keep **one** shared set of guidance that
several organisations edit together. None of it is secret: it is about using
social media sensibly, and it must keep up as new networks arrive.

> We agreed to pool what we know, and to keep the notes, links and guidance in
> one place that newcomers can read from the beginning.

| What                | Who                  | When          |
|:--------------------|:---------------------|--------------:|
| Draft shared guide  | Trust comms team     | end of August |
| List local groups   | Volition             | September     |
| Book the next room  | Network blog         | this week     |

### Coming up

1. The Leeds Digital Festival in October; #HSCLeeds should have a slot.
2. The Social Care Curry at the Mumtaz on 5 September; follow
   @SocialCareCurry and use #TrulySocial.
3. The next Tweet Meet: Tuesday 10 September, 6:30pm, Tech North, Chapel
   Allerton.

September is turning into social media month in Leeds. #trulysocial

## How this started, for newcomers

Earlier this year a handful of communications and risk people from around the
city started meeting to compare notes on Twitter. The first meeting was small
and mostly questions: who answers the account at weekends, what to do when a
patient posts about their care in public, how to help staff who want to share
their work without breaking confidentiality. The second brought more people
and more answers. By the third, the group had a name (#HSCLeeds), a rhythm
and, it seems, a catering rota.

The notes from each meeting live here so that anyone can catch up. If your
organisation works in health or social care in Leeds, you are welcome: come
along, or just follow along online and join in with the tag.

## Next steps

Before the September meet, each organisation will bring one thing that worked
on social media this summer and one thing that did not. We will also start a
short list of accounts worth following: the festival (@LDSDigital), the curry
(@SocialCareCurry), and the hospice and charity pages. If you tweet from the
meet, please add #HSCLeeds so that people who could not come can follow it,
and say hello to anyone new.

## Housekeeping

Code for the tag widget, for anyone who asked:

` + "```html" + `
<a href="https://hscleeds.example/tags/hscleeds">#HSCLeeds</a>
` + "```" + `

Use ` + "`#HSCLeeds`" + ` on every post, and \#notATag when you want a hash
sign on its own. Raw HTML such as <b>this</b> is shown as typed.

![The cake table at the August meet](https://img.example/cakes.jpg)

---

Written up by the risk team at the trust. Corrections welcome: reply to this
post from wherever your account lives, or email notes@trust.example.
`)
