// Command fakebrowser stands in for the system browser in end-to-end tests. The
// test installs it first on PATH as xdg-open, so MSAL's interactive sign-in
// really opens it. It loads the page, fills and submits each form it finds
// (login, consent, device code, and the form_post back to MSAL's loopback
// listener) until a page has no form, like a user clicking Continue.
//
// Env: FAKEBROWSER_LOG (append one line per URL opened), FAKEBROWSER_USER and
// FAKEBROWSER_PASSWORD (login form), FAKEBROWSER_USER_CODE (device code form).
// Trusts the test's certificate through SSL_CERT_FILE like any Go program.
//
// Cross-compiled for Windows, it stands in for rundll32.exe (first on the
// PATH under wine), which Fyne and MSAL run as `rundll32
// url.dll,FileProtocolHandler URL`: the URL is still the last argument. A
// URL that is not a web page (a folder's file:// URL) is only recorded, as a
// shell would hand it to the file manager.
package main

import (
	"fmt"
	"html"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"regexp"
	"strings"
	"time"
)

var (
	formPattern  = regexp.MustCompile(`(?is)<form\b([^>]*)>(.*?)</form>`)
	inputPattern = regexp.MustCompile(`(?is)<input\b([^>]*)>`)
	attrPattern  = regexp.MustCompile(`(?is)([a-z_:-]+)\s*=\s*"([^"]*)"`)
)

func attrs(tag string) map[string]string {
	m := map[string]string{}
	for _, a := range attrPattern.FindAllStringSubmatch(tag, -1) {
		m[strings.ToLower(a[1])] = html.UnescapeString(a[2])
	}
	return m
}

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: xdg-open URL")
		os.Exit(2)
	}
	target := os.Args[len(os.Args)-1]
	if f := os.Getenv("FAKEBROWSER_LOG"); f != "" {
		if log, err := os.OpenFile(f, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o600); err == nil {
			fmt.Fprintf(log, "%s open %s\n", time.Now().Format(time.RFC3339Nano), target)
			log.Close()
		}
	}
	if !strings.HasPrefix(target, "http://") && !strings.HasPrefix(target, "https://") {
		return
	}
	if err := browse(target); err != nil {
		fmt.Fprintln(os.Stderr, "fakebrowser:", err)
		os.Exit(1)
	}
}

func browse(target string) error {
	jar, _ := cookiejar.New(nil)
	client := &http.Client{Jar: jar, Timeout: 30 * time.Second}
	resp, err := client.Get(target)
	if err != nil {
		return err
	}
	for step := 0; step < 15; step++ {
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		page := resp.Request.URL
		form := formPattern.FindStringSubmatch(string(body))
		if form == nil {
			if resp.StatusCode >= 400 {
				return fmt.Errorf("%s answered %d: %s", page, resp.StatusCode, strings.TrimSpace(string(body)))
			}
			return nil // the last page: "you can close this window"
		}
		fa := attrs(form[1])
		action, err := page.Parse(fa["action"])
		if err != nil {
			return err
		}
		values := url.Values{}
		for _, in := range inputPattern.FindAllStringSubmatch(form[2], -1) {
			a := attrs(in[1])
			name := a["name"]
			if name == "" {
				continue
			}
			v := a["value"]
			switch {
			case name == "login" && v == "":
				v = envOr("FAKEBROWSER_USER", "alice@contoso.com")
			case name == "password" && v == "":
				v = envOr("FAKEBROWSER_PASSWORD", "correct horse")
			case name == "user_code" && v == "":
				v = os.Getenv("FAKEBROWSER_USER_CODE")
			}
			values.Set(name, v)
		}
		resp, err = client.PostForm(action.String(), values)
		if err != nil {
			return fmt.Errorf("submit to %s: %w", action, err)
		}
	}
	return fmt.Errorf("gave up after 15 pages")
}

func envOr(key, def string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return def
}
