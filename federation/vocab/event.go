package vocab

import (
	"fmt"
	"math"
	"net/url"
	"time"

	"github.com/go-fed/activity/streams"
	"github.com/go-fed/activity/streams/vocab"

	"github.com/commonplace-social/commonplace/internal/content"
)

// Events follow Mobilizon's shape, which FEP-8a8e adopts, with three choices
// made for Mobilizon's sake (its converter, lib/federation/activity_stream/
// converter/event.ex and utils.ex, as read in 2026):
//
//   - location is always a single Place, never FEP-8a8e's hybrid array:
//     Mobilizon's get_address has no clause for a list, so an array makes it
//     drop the event, and a lone VirtualLocation would be stored as a
//     physical address.
//   - OnlineURL is a Link attachment named "Website" with mediaType
//     text/html: the only place Mobilizon reads an online address from.
//     ParseObject also reads FEP-8a8e/Gancio VirtualLocations.
//   - The address is always a PostalAddress, never FEP-8a8e's plain string,
//     which Mobilizon cannot index into.
//
// joinMode is written only with a BookingURL ("external"). FEP-8a8e's "none"
// is not a value Mobilizon accepts, and without joinMode Mobilizon assumes
// "free": its users may send Join, which the inbox answers with Ignore.

// eventBuilder is the part of the builder only events use.
type eventBuilder interface {
	SetActivityStreamsStartTime(vocab.ActivityStreamsStartTimeProperty)
	SetActivityStreamsEndTime(vocab.ActivityStreamsEndTimeProperty)
	SetActivityStreamsLocation(vocab.ActivityStreamsLocationProperty)
	SetActivityStreamsAttachment(vocab.ActivityStreamsAttachmentProperty)
}

// onlineLinkName is the attachment name Mobilizon looks for.
const onlineLinkName = "Website"

func hasEventFields(p Post) bool {
	return !p.StartTime.IsZero() || !p.EndTime.IsZero() || p.Timezone != "" ||
		p.Location != nil || p.OnlineURL != "" || p.BookingURL != ""
}

// setEvent sets the event properties go-fed models: times in the event's own
// zone (a reader shows wall-clock time without a zone database), the Place,
// and the online Link.
func setEvent(b eventBuilder, p Post) error {
	if p.StartTime.IsZero() {
		return fmt.Errorf("%w: an Event needs a startTime", ErrInvalid)
	}
	if !p.EndTime.IsZero() && p.EndTime.Before(p.StartTime) {
		return fmt.Errorf("%w: endTime %s is before startTime %s", ErrInvalid, p.EndTime, p.StartTime)
	}
	loc, err := zone(p.Timezone)
	if err != nil {
		return fmt.Errorf("%w: timezone %q: %w", ErrInvalid, p.Timezone, err)
	}
	if p.BookingURL != "" && !isBookingURL(p.BookingURL) {
		return fmt.Errorf("%w: booking URL %q is not an http(s) or mailto URL", ErrInvalid, p.BookingURL)
	}
	st := streams.NewActivityStreamsStartTimeProperty()
	st.Set(p.StartTime.In(loc))
	b.SetActivityStreamsStartTime(st)
	if !p.EndTime.IsZero() {
		et := streams.NewActivityStreamsEndTimeProperty()
		et.Set(p.EndTime.In(loc))
		b.SetActivityStreamsEndTime(et)
	}
	if p.Location != nil {
		place, err := placeOut(*p.Location)
		if err != nil {
			return err
		}
		lp := streams.NewActivityStreamsLocationProperty()
		lp.AppendActivityStreamsPlace(place)
		b.SetActivityStreamsLocation(lp)
	}
	if p.OnlineURL != "" {
		u, ok := httpURL(p.OnlineURL)
		if !ok {
			return fmt.Errorf("%w: online URL %q is not an absolute http(s) URL", ErrInvalid, p.OnlineURL)
		}
		b.SetActivityStreamsAttachment(onlineLink(u))
	}
	return nil
}

// zone loads an event's time zone (UTC when it names none) from the
// shared cache: loading one from disk was a fifth of MarshalPost's time for
// an event.
func zone(name string) (*time.Location, error) {
	if name == "" {
		return time.UTC, nil
	}
	return content.Zone(name)
}

// addEventTerms adds what go-fed v1.0.0 does not model: timezone, joinMode,
// externalParticipationUrl and the Place's schema.org address.
func addEventTerms(m map[string]any, p Post) {
	if p.Timezone != "" {
		m["timezone"] = p.Timezone
	}
	if p.BookingURL != "" {
		m["joinMode"] = "external"
		m["externalParticipationUrl"] = p.BookingURL
	}
	if place, ok := m["location"].(map[string]any); ok && p.Location != nil {
		if addr := postalAddress(*p.Location); addr != nil {
			place["address"] = addr
		}
	}
}

func placeOut(pl Place) (vocab.ActivityStreamsPlace, error) {
	place := streams.NewActivityStreamsPlace()
	if pl.Name != "" {
		n := streams.NewActivityStreamsNameProperty()
		n.AppendXMLSchemaString(pl.Name)
		place.SetActivityStreamsName(n)
	}
	if pl.Latitude != nil || pl.Longitude != nil {
		if pl.Latitude == nil || pl.Longitude == nil || !inRange(*pl.Latitude, 90) || !inRange(*pl.Longitude, 180) {
			return nil, fmt.Errorf("%w: place %q needs both coordinates, in range", ErrInvalid, pl.Name)
		}
		lat := streams.NewActivityStreamsLatitudeProperty()
		lat.Set(*pl.Latitude)
		place.SetActivityStreamsLatitude(lat)
		long := streams.NewActivityStreamsLongitudeProperty()
		long.Set(*pl.Longitude)
		place.SetActivityStreamsLongitude(long)
	}
	return place, nil
}

func inRange(v, limit float64) bool {
	return !math.IsNaN(v) && v >= -limit && v <= limit
}

// postalAddress writes the address parts; a Place with only the one-line
// Address gets it as streetAddress. nil when there is no address at all.
func postalAddress(pl Place) map[string]any {
	parts := map[string]string{
		"streetAddress": pl.StreetAddress, "addressLocality": pl.Locality,
		"postalCode": pl.PostalCode, "addressRegion": pl.Region, "addressCountry": pl.Country,
	}
	if joinNonEmpty("", pl.StreetAddress, pl.Locality, pl.PostalCode, pl.Region, pl.Country) == "" {
		if pl.Address == "" {
			return nil
		}
		parts["streetAddress"] = pl.Address
	}
	addr := map[string]any{"type": "PostalAddress"}
	for k, v := range parts {
		if v != "" {
			addr[k] = v
		}
	}
	return addr
}

func onlineLink(u *url.URL) vocab.ActivityStreamsAttachmentProperty {
	l := streams.NewActivityStreamsLink()
	h := streams.NewActivityStreamsHrefProperty()
	h.Set(u)
	l.SetActivityStreamsHref(h)
	n := streams.NewActivityStreamsNameProperty()
	n.AppendXMLSchemaString(onlineLinkName)
	l.SetActivityStreamsName(n)
	mt := streams.NewActivityStreamsMediaTypeProperty()
	mt.Set("text/html")
	l.SetActivityStreamsMediaType(mt)
	p := streams.NewActivityStreamsAttachmentProperty()
	p.AppendActivityStreamsLink(l)
	return p
}

// isBookingURL accepts http(s), and mailto which FEP-8a8e allows for
// organisers who take bookings by e-mail.
func isBookingURL(s string) bool {
	if isHTTPURL(s) {
		return true
	}
	u, err := url.Parse(s)
	return err == nil && u.Scheme == "mailto" && u.Opaque != ""
}
