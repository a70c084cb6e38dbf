package calendar

import (
	"net"
	"strings"
)

// IsLoopbackHost reports whether host (a URL's Hostname(), without brackets
// or port) names this machine: "localhost", any address in 127.0.0.0/8, or
// ::1. It is the one test of "plain http is allowed here, nothing leaves the
// machine", shared by the configuration and the sources.
func IsLoopbackHost(host string) bool {
	if strings.EqualFold(strings.TrimSuffix(host, "."), "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
