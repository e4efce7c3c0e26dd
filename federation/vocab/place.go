package vocab

import (
	"math"
	"strings"
)

// Place is an event's location, flattened from the shapes servers send:
// Mobilizon's Place{address: PostalAddress, geo: GeoCoordinates}, Gancio's
// Place{address: "text", latitude, longitude}, FEP-8a8e's variants.
type Place struct {
	Name string
	// Address is the whole address on one line: the plain string when the
	// server sent one, otherwise built from the PostalAddress parts.
	Address                                              string
	StreetAddress, Locality, Region, PostalCode, Country string
	// Latitude and Longitude are nil when absent or out of range. Mobilizon's
	// documented example swaps them; a swap that stays within range cannot be
	// detected and is returned as sent.
	Latitude, Longitude *float64
}

// placeOf reads location. For a hybrid event (an array of a Place and a
// VirtualLocation) the first entry with a name or an address wins. A
// VirtualLocation is never a Place: its url is read as Object.OnlineURL.
func placeOf(v any) *Place {
	switch t := v.(type) {
	case string:
		if s := strings.TrimSpace(clean(t)); s != "" {
			return &Place{Name: s}
		}
	case []any:
		for _, e := range t {
			if p := placeOf(e); p != nil && (p.Name != "" || p.Address != "") {
				return p
			}
		}
	case map[string]any:
		if typeName(t) == "VirtualLocation" {
			return nil
		}
		return placeFromMap(t)
	}
	return nil
}

func placeFromMap(m map[string]any) *Place {
	p := &Place{Name: strings.TrimSpace(langStr(m, "name"))}
	switch addr := m["address"].(type) {
	case string:
		p.Address = strings.TrimSpace(clean(addr))
	case map[string]any:
		p.StreetAddress = strings.TrimSpace(str(addr, "streetAddress"))
		p.Locality = strings.TrimSpace(str(addr, "addressLocality"))
		p.Region = strings.TrimSpace(str(addr, "addressRegion"))
		p.PostalCode = strings.TrimSpace(str(addr, "postalCode"))
		p.Country = strings.TrimSpace(str(addr, "addressCountry"))
		p.Address = joinNonEmpty(", ", p.StreetAddress,
			joinNonEmpty(" ", p.PostalCode, p.Locality), p.Region, p.Country)
	}
	// Coordinates sit on the Place (Gancio, FEP-8a8e) or in a geo object
	// (Mobilizon).
	geo, _ := m["geo"].(map[string]any)
	p.Latitude = coordinate(m, geo, "latitude", 90)
	p.Longitude = coordinate(m, geo, "longitude", 180)
	return p
}

func coordinate(place, geo map[string]any, key string, limit float64) *float64 {
	v, ok := number(place[key])
	if !ok {
		v, ok = number(geo[key])
	}
	if !ok || math.IsNaN(v) || v < -limit || v > limit {
		return nil
	}
	return &v
}

func joinNonEmpty(sep string, parts ...string) string {
	kept := parts[:0:0]
	for _, s := range parts {
		if s != "" {
			kept = append(kept, s)
		}
	}
	return strings.Join(kept, sep)
}
