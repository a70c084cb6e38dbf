package app

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"syscall"
	"time"

	"github.com/frontdesk-app/frontdesk/auth"
	"github.com/frontdesk-app/frontdesk/calendar"
	"github.com/frontdesk-app/frontdesk/calendar/graph"
)

// doctorProxy is the proxy rule the real clients follow (HTTPS_PROXY,
// NO_PROXY; never for this machine). Tests replace it: the environment's
// rule cannot send a loopback address through a proxy.
var doctorProxy = http.ProxyFromEnvironment

// doctorResolver is the system's resolver; tests point it at a loopback DNS server.
var doctorResolver = net.DefaultResolver

// doctorHost is one server the configuration talks to.
type doctorHost struct {
	// role names it in the report: "authority", "graph", "ews".
	role string
	// key is the setting that names it, for the sentence saying what to fix.
	key    string
	url    *url.URL
	caFile string
	// reachable: a TLS (or plain loopback HTTP) answer came back.
	reachable bool
	// date is the server's Date header, zero when it sent none.
	date time.Time
}

// configuredHosts are the servers cfg uses, identity server first.
func configuredHosts(cfg Config) []doctorHost {
	var hosts []doctorHost
	add := func(role, key, raw, caFile string) {
		if u, err := url.Parse(raw); err == nil && u.Host != "" {
			hosts = append(hosts, doctorHost{role: role, key: key, url: u, caFile: caFile})
		}
	}
	switch cfg.Provider {
	case ProviderM365:
		m := cfg.Microsoft365
		if authority, _, err := auth.Authority(m.Cloud, m.Tenant, m.AuthorityURL); err == nil {
			add("authority", "microsoft365.authority_url", authority, "")
		}
		if base, err := graph.BaseURL(m.Cloud, m.GraphURL); err == nil {
			add("graph", "microsoft365.graph_url", base, "")
		}
	case ProviderEWS:
		add("ews", "ews.url", cfg.EWS.URL, cfg.EWS.CAFile)
	}
	return hosts
}

// checkNetwork walks each host from name to answer: the proxy in effect, DNS,
// TCP, then TLS with one request that carries no credential, whose Date header
// the clock check reads.
func (d *doctor) checkNetwork(ctx context.Context) {
	d.hosts = configuredHosts(d.loaded.Config)
	if len(d.hosts) == 0 {
		d.skip("network", "the demo company needs no network")
		d.skip("clock", "no server to compare with")
		return
	}
	for i := range d.hosts {
		d.checkHost(ctx, &d.hosts[i])
	}
	d.checkClock(ctx)
}

func (d *doctor) checkHost(ctx context.Context, h *doctorHost) {
	name := func(what string) string { return h.role + " " + what }
	port := h.url.Port()
	if port == "" {
		port = "443"
		if h.url.Scheme == "http" {
			port = "80"
		}
	}
	target := net.JoinHostPort(h.url.Hostname(), port)
	proxy, proxyErr := doctorProxy(&http.Request{URL: h.url})
	dialHost, dialTarget := h.url.Hostname(), target
	d.step(ctx, name("proxy"), doctorLocalTimeout, func(context.Context) CheckResult {
		if proxyErr != nil {
			return CheckResult{Status: CheckFail, Detail: fmt.Sprintf("the proxy setting cannot be used: %v", proxyErr),
				Action: "Correct HTTPS_PROXY (an address such as http://proxy.contoso.com:3128)."}
		}
		if proxy == nil {
			return CheckResult{Status: CheckOK, Detail: "direct to " + target + proxyEnvNote(d.env.Getenv)}
		}
		return CheckResult{Status: CheckOK, Detail: fmt.Sprintf("through the proxy %s%s", proxy.Redacted(), proxyEnvNote(d.env.Getenv))}
	})
	if proxyErr != nil {
		d.skip(name("dns"), "the proxy setting is broken")
		return
	}
	if proxy != nil {
		dialHost = proxy.Hostname()
		dialTarget = proxy.Host
		if proxy.Port() == "" {
			dialTarget = net.JoinHostPort(proxy.Hostname(), "80")
		}
	}
	r := d.step(ctx, name("dns"), doctorDNSTimeout, func(ctx context.Context) CheckResult {
		if ip := net.ParseIP(dialHost); ip != nil {
			return CheckResult{Status: CheckOK, Detail: dialHost + " is an address: no lookup"}
		}
		addrs, err := doctorResolver.LookupHost(ctx, dialHost)
		if err != nil {
			return CheckResult{Status: CheckFail, Detail: fmt.Sprintf("%s does not resolve: %v", dialHost, err),
				Action: fmt.Sprintf("Check the host name in %s, or this machine's DNS and VPN.", h.key)}
		}
		return CheckResult{Status: CheckOK, Detail: fmt.Sprintf("%s is %s", dialHost, strings.Join(addrs, ", "))}
	})
	if r.Status == CheckFail {
		d.skip(name("connect"), "the name does not resolve")
		d.skip(name("tls"), "the name does not resolve")
		return
	}
	r = d.step(ctx, name("connect"), doctorConnectTimeout, func(ctx context.Context) CheckResult {
		conn, err := (&net.Dialer{}).DialContext(ctx, "tcp", dialTarget)
		if err != nil {
			action := fmt.Sprintf("Check the address and port in %s and that the server runs; a firewall may be in the way.", h.key)
			if proxy != nil {
				action = "Check the proxy in HTTPS_PROXY and that it runs, or list this server in NO_PROXY."
			}
			return CheckResult{Status: CheckFail, Detail: connectProblem(dialTarget, err), Action: action}
		}
		conn.Close()
		return CheckResult{Status: CheckOK, Detail: "TCP connection to " + dialTarget}
	})
	if r.Status == CheckFail {
		d.skip(name("tls"), "no TCP connection")
		return
	}
	d.step(ctx, name("tls"), doctorTLSTimeout, func(ctx context.Context) CheckResult { return d.tlsCheck(ctx, h) })
}

// proxyEnvNote names the proxy variables set, so an admin sees what applies.
func proxyEnvNote(getenv func(string) string) string {
	var set []string
	for _, k := range []string{"HTTPS_PROXY", "https_proxy", "NO_PROXY", "no_proxy"} {
		if v := getenv(k); v != "" {
			set = append(set, k+"="+scrubText(v))
		}
	}
	if len(set) == 0 {
		return " (no proxy variable set)"
	}
	return " (" + strings.Join(set, ", ") + ")"
}

func connectProblem(target string, err error) string {
	switch {
	case errors.Is(err, syscall.ECONNREFUSED):
		return fmt.Sprintf("%s refused the connection: nothing listens on that port", target)
	case errors.Is(err, context.DeadlineExceeded), os.IsTimeout(err):
		return fmt.Sprintf("%s did not answer within %s: a firewall may drop the traffic", target, doctorConnectTimeout)
	}
	return fmt.Sprintf("cannot connect to %s: %v", target, err)
}

// tlsCheck sends one request without any credential, through the proxy in
// effect, over a connection verified as the real clients verify it (the
// system's roots plus ca_file). A refused certificate ends the handshake
// before anything is sent; its chain, which the verification error carries,
// says which of expired, wrong name or untrusted it is.
func (d *doctor) tlsCheck(ctx context.Context, h *doctorHost) CheckResult {
	roots, caNote, unusable := trustRoots(h)
	if unusable != nil {
		return *unusable
	}
	var peer []*x509.Certificate
	transport := &http.Transport{
		Proxy: doctorProxy,
		TLSClientConfig: &tls.Config{
			RootCAs: roots,
			VerifyConnection: func(cs tls.ConnectionState) error {
				peer = cs.PeerCertificates
				return nil
			},
		},
		DisableKeepAlives: true,
	}
	defer transport.CloseIdleConnections()
	probe := &url.URL{Scheme: h.url.Scheme, Host: h.url.Host, Path: "/"}
	req, _ := http.NewRequestWithContext(ctx, http.MethodHead, probe.String(), nil)
	start := time.Now()
	var logger *slog.Logger
	if d.env.Logger != nil {
		// Marked, so the log folder check does not quote a probe's 404 as news.
		logger = d.env.Logger.With("doctor_probe", true)
	}
	resp, err := calendar.LogRequests(transport, logger).RoundTrip(req)
	if err != nil {
		var refused *tls.CertificateVerificationError
		if errors.As(err, &refused) && len(refused.UnverifiedCertificates) > 0 {
			if verdict := certificateVerdict(h, refused.UnverifiedCertificates, roots, caNote, time.Now()); verdict.Status == CheckFail {
				return verdict
			}
			return CheckResult{Status: CheckFail, Detail: fmt.Sprintf("the certificate of %s is not accepted: %v", h.url.Host, refused.Err),
				Action: "Ask the server's administrator for a certificate this machine accepts."}
		}
		if errors.Is(err, context.DeadlineExceeded) {
			// The limit that ran out, not the time measured: under load the
			// measure drifts ("4.1s") and reads like a different setting.
			waited := time.Since(start)
			if deadline, ok := ctx.Deadline(); ok {
				waited = deadline.Sub(start)
			}
			waited = waited.Round(100 * time.Millisecond)
			return CheckResult{Status: CheckFail, Detail: fmt.Sprintf("%s accepted the connection but did not answer within %s", h.url.Host, waited),
				Action: "Check that the address in " + h.key + " is the server's HTTPS port."}
		}
		return CheckResult{Status: CheckFail, Detail: fmt.Sprintf("no HTTPS answer from %s: %v", h.url.Host, requestError(err)),
			Action: "Check that the address in " + h.key + " is the server's HTTPS port."}
	}
	resp.Body.Close()
	if date, err := http.ParseTime(resp.Header.Get("Date")); err == nil {
		h.date = date
	}
	if h.url.Scheme == "http" {
		h.reachable = true
		return CheckResult{Status: CheckSkip, Detail: "plain http to this machine (a test server): no certificate to check"}
	}
	if len(peer) == 0 {
		return CheckResult{Status: CheckFail, Detail: "the server sent no certificate", Action: "Check that the address in " + h.key + " is the server's HTTPS port."}
	}
	verdict := certificateVerdict(h, peer, roots, caNote, time.Now())
	// Only a server Frontdesk's own clients would talk to counts as reachable:
	// the checks that send a credential need it.
	h.reachable = verdict.Status != CheckFail
	return verdict
}

func requestError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}

// trustRoots are the roots the real clients trust for h: the system's plus
// ca_file. An unreadable ca_file is the verdict itself.
func trustRoots(h *doctorHost) (roots *x509.CertPool, caNote string, unusable *CheckResult) {
	roots, err := x509.SystemCertPool()
	if err != nil || roots == nil {
		roots = x509.NewCertPool()
	}
	if h.caFile == "" {
		return roots, "", nil
	}
	pem, err := os.ReadFile(h.caFile)
	if err != nil || !roots.AppendCertsFromPEM(pem) {
		return nil, "", &CheckResult{Status: CheckFail, Detail: fmt.Sprintf("ews.ca_file %s holds no usable certificate", h.caFile),
			Action: "Point ews.ca_file at the PEM file of the CA that issued the server's certificate."}
	}
	return roots, " with ews.ca_file", nil
}

// certificateVerdict verifies the chain the server sent against roots, as
// the real clients do, and says what is wrong in the words an admin needs.
func certificateVerdict(h *doctorHost, chain []*x509.Certificate, roots *x509.CertPool, caNote string, now time.Time) CheckResult {
	leaf := chain[0]
	intermediates := x509.NewCertPool()
	for _, c := range chain[1:] {
		intermediates.AddCert(c)
	}
	names := certificateNames(leaf)
	_, err := leaf.Verify(x509.VerifyOptions{DNSName: h.url.Hostname(), Roots: roots, Intermediates: intermediates, CurrentTime: now})
	var invalid x509.CertificateInvalidError
	var hostErr x509.HostnameError
	var unknown x509.UnknownAuthorityError
	switch {
	case err == nil:
		detail := fmt.Sprintf("certificate for %s from %q trusted%s, valid until %s", names, issuerName(leaf), caNote, leaf.NotAfter.UTC().Format("2006-01-02"))
		if left := leaf.NotAfter.Sub(now); left < 14*24*time.Hour {
			return CheckResult{Status: CheckWarn, Detail: detail + " (" + roundAge(left) + " left)",
				Action: "Ask the server's administrator to renew the certificate before it expires."}
		}
		return CheckResult{Status: CheckOK, Detail: detail}
	case errors.As(err, &invalid) && invalid.Reason == x509.Expired:
		if now.Before(leaf.NotBefore) {
			return CheckResult{Status: CheckFail, Detail: fmt.Sprintf("the certificate is valid only from %s, after this machine's time", leaf.NotBefore.UTC().Format("2006-01-02 15:04 MST")),
				Action: "Check this machine's date and time; if it is right, the server's certificate is not yet valid."}
		}
		return CheckResult{Status: CheckFail, Detail: fmt.Sprintf("the certificate for %s expired on %s (%s ago)", names, leaf.NotAfter.UTC().Format("2006-01-02 15:04 MST"), roundAge(now.Sub(leaf.NotAfter))),
			Action: "Ask the server's administrator to renew the certificate."}
	case errors.As(err, &hostErr):
		return CheckResult{Status: CheckFail, Detail: fmt.Sprintf("the certificate names %s, not %s", names, h.url.Hostname()),
			Action: fmt.Sprintf("Use a name the certificate has in %s, or ask for a certificate that names %s.", h.key, h.url.Hostname())}
	case errors.As(err, &unknown):
		issuer := issuerName(leaf)
		switch {
		case h.role != "ews":
			return CheckResult{Status: CheckFail, Detail: fmt.Sprintf("the certificate for %s was issued by %q, which this machine does not trust", names, issuer),
				Action: "A proxy or firewall may inspect HTTPS: install its CA certificate in this machine's trust store."}
		case h.caFile == "":
			return CheckResult{Status: CheckFail, Detail: fmt.Sprintf("the certificate for %s was issued by %q, which this machine does not trust", names, issuer),
				Action: fmt.Sprintf("Set ews.ca_file to the PEM file of the CA %q.", issuer)}
		default:
			return CheckResult{Status: CheckFail, Detail: fmt.Sprintf("the certificate for %s was issued by %q, which neither this machine nor ews.ca_file %s trusts", names, issuer, h.caFile),
				Action: fmt.Sprintf("Put the certificate of the CA %q into %s.", issuer, h.caFile)}
		}
	}
	return CheckResult{Status: CheckFail, Detail: fmt.Sprintf("the certificate for %s is not accepted: %v", names, err),
		Action: "Ask the server's administrator for a certificate this machine accepts."}
}

// issuerName is what an admin knows the issuing CA by.
func issuerName(c *x509.Certificate) string {
	switch {
	case c.Issuer.CommonName != "":
		return c.Issuer.CommonName
	case len(c.Issuer.Organization) > 0:
		return c.Issuer.Organization[0]
	}
	return c.Issuer.String()
}

// certificateNames are the DNS names and addresses a certificate is for.
func certificateNames(c *x509.Certificate) string {
	names := append([]string(nil), c.DNSNames...)
	for _, ip := range c.IPAddresses {
		names = append(names, ip.String())
	}
	if len(names) == 0 && c.Subject.CommonName != "" {
		names = append(names, c.Subject.CommonName)
	}
	if len(names) == 0 {
		return "no name"
	}
	return strings.Join(names, ", ")
}

func roundAge(d time.Duration) string {
	switch {
	case d >= 48*time.Hour:
		return fmt.Sprintf("%d days", int(d.Hours()/24))
	case d >= 2*time.Hour:
		return fmt.Sprintf("%d hours", int(d.Hours()))
	}
	return d.Round(time.Minute).String()
}

// checkClock compares this machine's clock with the first server that sent
// its time.
func (d *doctor) checkClock(ctx context.Context) {
	var from *doctorHost
	for i := range d.hosts {
		if !d.hosts[i].date.IsZero() {
			from = &d.hosts[i]
			break
		}
	}
	if from == nil {
		d.skip("clock", "no server answered with its time")
		return
	}
	d.step(ctx, "clock", doctorLocalTimeout, func(context.Context) CheckResult {
		// Date has whole seconds: the server's time was in the second after it.
		skew := time.Since(from.date.Add(500 * time.Millisecond))
		abs := skew.Abs()
		// Past a minute the seconds are noise (the header's resolution, the
		// request's latency): said to ten seconds.
		precision := time.Second
		if abs >= time.Minute {
			precision = 10 * time.Second
		}
		skew, abs = skew.Round(precision), abs.Round(precision)
		side := "ahead of"
		if skew < 0 {
			side = "behind"
		}
		detail := fmt.Sprintf("this machine is about %s %s %s", abs, side, from.url.Host)
		if abs <= time.Second {
			detail = "in step with " + from.url.Host
		}
		const action = "Set this machine's clock right (turn on automatic time): sign-in tokens and NTLM fail beyond 5 minutes."
		switch {
		case abs > clockSkewFail:
			return CheckResult{Status: CheckFail, Detail: detail, Action: action}
		case abs > clockSkewWarn:
			return CheckResult{Status: CheckWarn, Detail: detail, Action: action}
		}
		return CheckResult{Status: CheckOK, Detail: detail}
	})
}
