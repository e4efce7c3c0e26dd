package transport

import (
	"fmt"
	"net"
	"net/netip"
	"syscall"
	"time"
)

// dialer connects only to public addresses unless AllowPrivate is set. The
// check runs in Control, after DNS resolution and before connect, once per
// address tried: names that resolve to internal addresses, DNS rebinding and
// redirects into internal addresses are all caught, because what is checked
// is exactly what is connected to. (The resolver's own connections to the
// DNS server use a different dialer and are not affected.)
func (c *Client) dialer() *net.Dialer {
	d := &net.Dialer{Timeout: c.opts.ConnectTimeout, KeepAlive: 30 * time.Second}
	if !c.opts.AllowPrivate {
		d.Control = c.checkDial
	}
	return d
}

func (c *Client) checkDial(_, address string, _ syscall.RawConn) error {
	ap, err := netip.ParseAddrPort(address)
	if err != nil {
		return fmt.Errorf("%w: cannot parse %q", ErrPrivateAddress, address)
	}
	if c.permit != nil && c.permit(ap) {
		return nil
	}
	if !c.policy.public(ap.Addr()) {
		return fmt.Errorf("%w: %s", ErrPrivateAddress, ap.Addr())
	}
	return nil
}
