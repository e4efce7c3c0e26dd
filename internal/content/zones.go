package content

import (
	"sync"
	"time"
)

// zones caches loaded time zones: time.LoadLocation reads and parses the
// zone database file on every call, and event pages, the calendar feed and
// federation's event documents need one per event. Only names the zone
// database knows are stored, so it stays small.
var zones sync.Map // IANA name -> *time.Location

// Zone is time.LoadLocation, remembered.
func Zone(name string) (*time.Location, error) {
	if loc, ok := zones.Load(name); ok {
		return loc.(*time.Location), nil
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, err
	}
	zones.Store(name, loc)
	return loc, nil
}
