package remoteurl

import (
	"fmt"
	"net/url"
)

// CheckID checks an id another server gave us (of an activity, an actor, a
// key) against how this instance runs. In production (secure) only https
// ids on a host name will do: an http id can be rewritten on the way and
// names no server that TLS has vouched for, and an IP address names a
// machine, not a server blocks and handles can refer to. Local testing
// runs every instance on http://127.0.0.1, so there both are allowed.
func CheckID(id string, secure bool) error {
	c, err := Canonical(id)
	if err != nil || !secure {
		return err
	}
	u, err := url.Parse(c)
	if err != nil {
		return fmt.Errorf("%w: %w", ErrInvalid, err)
	}
	if u.Scheme != "https" {
		return fmt.Errorf("%w: %s is not https", ErrInvalid, id)
	}
	if IsIP(u.Host) {
		return fmt.Errorf("%w: %s names an IP address, not a host", ErrInvalid, id)
	}
	return nil
}
