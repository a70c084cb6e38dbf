package auth

import (
	"net"
	"net/url"
	"path"
	"strings"
)

// ServerKey is the one spelling of an EWS (or Graph) address under which
// Frontdesk remembers what the server said: a rejected password, a
// Retry-After. Spellings that reach the same endpoint are one key, so an
// operator (or a tester) cannot buy another try by writing the URL
// differently:
//   - scheme and host lower-cased, a trailing dot of the host dropped;
//   - the scheme's default port dropped (https://host:443/ is https://host/);
//   - every loopback name (localhost, *.localhost, 127.0.0.0/8, ::1) is
//     "localhost": RFC 6761 reserves the name for this machine, so all of
//     them reach the same server on the same account. Other names are not
//     resolved: two names of one address may be two virtual hosts;
//   - the path cleaned ("//EWS/", "/./", a trailing "/." or "/") and
//     lower-cased, as IIS matches it without regard to case;
//   - an empty query ("…/Exchange.asmx?") and any fragment dropped; a
//     non-empty query is kept.
//
// A value that is not an absolute URL is only trimmed and lower-cased.
func ServerKey(raw string) string {
	raw = strings.TrimSpace(raw)
	u, err := url.Parse(raw)
	if err != nil || u.Scheme == "" || u.Host == "" {
		return strings.ToLower(strings.TrimRight(raw, "/"))
	}
	scheme := strings.ToLower(u.Scheme)
	host, port := u.Hostname(), u.Port()
	host = strings.TrimSuffix(strings.ToLower(host), ".")
	if isLoopbackName(host) {
		host = "localhost"
	}
	if (scheme == "https" && port == "443") || (scheme == "http" && port == "80") {
		port = ""
	}
	if port != "" {
		host = net.JoinHostPort(host, port)
	} else if strings.Contains(host, ":") {
		host = "[" + host + "]"
	}
	p := strings.ToLower(u.EscapedPath())
	if p != "" {
		p = path.Clean("/" + p)
	}
	p = strings.TrimSuffix(p, "/")
	key := scheme + "://" + host + p
	if u.RawQuery != "" {
		key += "?" + u.RawQuery
	}
	return key
}

func isLoopbackName(host string) bool {
	if host == "localhost" || strings.HasSuffix(host, ".localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
