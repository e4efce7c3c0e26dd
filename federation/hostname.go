package federation

import "net"

// hostname is a host[:port] without its port, as a domain is compared.
func hostname(hostport string) string {
	if h, _, err := net.SplitHostPort(hostport); err == nil {
		return h
	}
	return hostport
}
