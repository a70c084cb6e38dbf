package ui

import (
	"context"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/frontdesk-app/frontdesk/calendar"
)

// welcomePage is the first run: where the calendars come from, the few fields
// each choice needs, and a Connect that proves them before anything is saved.
type welcomePage struct {
	m    *mainWindow
	root *fyne.Container
	body *fyne.Container

	problem *widget.Label
	// caFile is the Exchange form's CA file, which trusting a certificate fills.
	caFile  *widget.Entry
	cancel  context.CancelFunc
	current context.Context
}

func newWelcomePage(m *mainWindow) *welcomePage {
	w := &welcomePage{m: m, body: container.NewVBox()}
	w.problem = widget.NewLabel("")
	w.problem.Wrapping = fyne.TextWrapWord
	w.problem.Importance = widget.DangerImportance
	w.problem.Hide()
	w.root = container.NewCenter(container.NewGridWrap(fyne.NewSize(520, 560), container.NewVScroll(w.body)))
	w.showChoices()
	return w
}

func (w *welcomePage) set(objects ...fyne.CanvasObject) {
	w.body.Objects = objects
	w.body.Refresh()
}

func heading(text string) *widget.Label {
	l := widget.NewLabelWithStyle(text, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	l.SizeName = theme.SizeNameSubHeadingText
	return l
}

func (w *welcomePage) showChoices() {
	w.stop()
	w.problem.Hide()
	m365 := widget.NewButtonWithIcon(lang.L("Microsoft 365"), theme.AccountIcon(), w.showM365)
	m365.Importance = widget.HighImportance
	ews := widget.NewButtonWithIcon(lang.L("Exchange on-premises"), theme.StorageIcon(), w.showEWS)
	ews.Importance = widget.HighImportance
	demo := widget.NewButtonWithIcon(lang.L("Try the demo company"), theme.MediaPlayIcon(), func() {
		if w.m.actions.TryDemo != nil {
			w.m.async(w.m.actions.TryDemo)
		}
	})
	w.set(
		heading(lang.L("Welcome to Frontdesk")),
		wrapped(lang.L("Frontdesk shows at a glance whether a colleague is free, in a meeting or away. Where are your colleagues' calendars?")),
		m365,
		wrapped(lang.L("Exchange Online and Outlook on the web: you sign in with your work account.")),
		ews,
		wrapped(lang.L("Your own Exchange server: you need its address and an account.")),
		demo,
		wrapped(lang.L("A fictional company, clearly labelled, to look around first. Nothing is saved.")),
	)
}

// defaults are the settings the forms start from: the saved ones, with the
// admin policy's over them, and which keys the policy sets.
func (w *welcomePage) defaults() (Settings, map[string]bool) {
	s := Settings{Provider: "microsoft365", Tenant: "organizations", Cloud: "global", Presence: true,
		EWSVersion: "Exchange2013_SP1", EWSAuth: "basic", RefreshInterval: "60s", People: PeopleAll,
		Photos: true, Rooms: true, FreeSoonMinutes: "15"}
	if w.m.actions.Settings != nil {
		form := w.m.actions.Settings()
		return form.Values, form.Locked
	}
	return s, nil
}

// formItem is one labelled input. A key the admin policy sets is shown
// greyed with the Settings dialog's note: an edit there would not be saved.
func formItem(label string, locked bool, input fyne.CanvasObject, controls ...fyne.Disableable) *widget.FormItem {
	item := widget.NewFormItem(label, input)
	if locked {
		for _, c := range controls {
			c.Disable()
		}
		item.HintText = lang.L("Set by your administrator")
	}
	return item
}

func (w *welcomePage) showM365() {
	s, locked := w.defaults()
	tenant := widget.NewEntry()
	tenant.SetText(s.Tenant)
	tenant.SetPlaceHolder("contoso.onmicrosoft.com")
	clientID := widget.NewEntry()
	clientID.SetText(s.ClientID)
	clientID.SetPlaceHolder("00000000-0000-0000-0000-000000000000")
	read := func(code func(DeviceCode)) {
		s.Provider = "microsoft365"
		s.Tenant, s.ClientID = tenant.Text, clientID.Text
		if s.People == "" || (s.People == PeopleList && len(Lines(s.Emails)) == 0) {
			s.People = PeopleAll
		}
		w.connect(s, "", code, lang.L("Finish signing in in your browser. Frontdesk waits here."))
	}
	browser := widget.NewButtonWithIcon(lang.L("Sign in with Microsoft"), theme.LoginIcon(), func() { read(nil) })
	browser.Importance = widget.HighImportance
	code := widget.NewButton(lang.L("Use a code instead"), func() { read(w.showCode) })
	w.set(
		heading(lang.L("Microsoft 365")),
		wrapped(lang.L("Your IT department gives you these two values from the Frontdesk app registration in Entra ID.")),
		widget.NewForm(
			formItem(lang.L("Tenant"), locked["microsoft365.tenant"], tenant, tenant),
			formItem(lang.L("Application (client) ID"), locked["microsoft365.client_id"], clientID, clientID),
		),
		w.problem,
		browser, code,
		widget.NewButton(lang.L("Back"), w.showChoices),
	)
}

func (w *welcomePage) showEWS() {
	s, locked := w.defaults()
	address := widget.NewEntry()
	address.SetText(s.EWSURL)
	address.SetPlaceHolder("https://mail.contoso.com/EWS/Exchange.asmx")
	user := widget.NewEntry()
	user.SetText(s.EWSUser)
	user.SetPlaceHolder("reception@contoso.com")
	password := widget.NewPasswordEntry()
	mailbox := widget.NewEntry()
	mailbox.SetText(firstLine(s.Emails))
	mailbox.SetPlaceHolder(lang.L("Only if the user is not an address: reception@contoso.com"))
	authChoice := widget.NewRadioGroup([]string{"basic", "ntlm"}, nil)
	authChoice.Horizontal = true
	authChoice.SetSelected(s.EWSAuth)
	caFile := widget.NewEntry()
	caFile.SetText(s.EWSCAFile)
	caFile.SetPlaceHolder(lang.L("Only if your server uses a private certificate authority"))
	caBrowse := widget.NewButton(lang.L("Choose…"), func() { chooseCAFile(w.m.win, caFile) })
	w.caFile = caFile
	connect := widget.NewButton(lang.L("Connect"), func() {
		s.Provider = "ews"
		s.EWSURL, s.EWSUser, s.EWSAuth, s.EWSCAFile = address.Text, user.Text, authChoice.Selected, caFile.Text
		if s.People == PeopleAll {
			s.People = PeopleList
		}
		own := mailbox.Text
		if own == "" && strings.Contains(user.Text, "@") && !strings.Contains(user.Text, `\`) {
			own = user.Text
		}
		if len(Lines(s.Emails)) == 0 && s.Group == "" && own != "" {
			// Start with the operator's own calendar; Settings adds colleagues.
			s.Emails = own
		}
		w.connect(s, password.Text, nil, lang.L("Asking the server for your own calendar…"))
	})
	connect.Importance = widget.HighImportance
	password.OnSubmitted = func(string) { connect.OnTapped() }
	w.set(
		heading(lang.L("Exchange on-premises")),
		wrapped(lang.L("Connect asks the server once for your own calendar. Nothing is saved until that works.")),
		widget.NewForm(
			formItem(lang.L("Exchange address (EWS)"), locked["ews.url"], address, address),
			formItem(lang.L("User"), locked["ews.username"], user, user),
			widget.NewFormItem(lang.L("Password"), password),
			widget.NewFormItem(lang.L("Your email address"), mailbox),
			formItem(lang.L("Authentication"), locked["ews.auth"], authChoice, authChoice),
			formItem(lang.L("CA file"), locked["ews.ca_file"], container.NewBorder(nil, nil, nil, caBrowse, caFile), caFile, caBrowse),
		),
		w.problem,
		connect,
		widget.NewButton(lang.L("Back"), w.showChoices),
	)
}

// connect proves s with the composition root while the page shows what it waits for.
func (w *welcomePage) connect(s Settings, password string, showCode func(DeviceCode), waitingText string) {
	if w.m.actions.Connect == nil {
		return
	}
	if w.m.actions.CheckSettings != nil {
		if p := w.m.actions.CheckSettings(s); p != nil {
			w.showProblem(welcomeProblem(p))
			return
		}
	}
	previous := append([]fyne.CanvasObject(nil), w.body.Objects...)
	w.stop()
	ctx, cancel := context.WithTimeout(context.Background(), signInWait)
	w.cancel, w.current = cancel, ctx
	w.set(heading(lang.L("Connecting")), wrapped(waitingText), widget.NewProgressBarInfinite(),
		widget.NewButton(lang.L("Cancel"), func() {
			w.stop()
			w.set(previous...)
		}))
	var code func(DeviceCode)
	if showCode != nil {
		code = func(dc DeviceCode) {
			fyne.Do(func() {
				if ctx == w.current {
					showCode(dc)
				}
			})
		}
	}
	w.m.async(func() {
		err := w.m.actions.Connect(ctx, s, password, code)
		fyne.Do(func() {
			if ctx != w.current {
				return
			}
			w.stop()
			if err != nil {
				w.set(previous...)
				w.showProblem(welcomeProblem(err))
				if cert, ok := calendar.UntrustedCertificate(err); ok && s.Provider == "ews" && w.m.actions.TrustCertificate != nil {
					w.offerTrust(cert, calendar.TLSServer(err), func(caFile string) {
						s.EWSCAFile = caFile
						w.connect(s, password, showCode, waitingText)
					})
				}
			}
			// Success: the engine's first snapshot replaces the page with the console.
		})
	})
}

func (w *welcomePage) showCode(dc DeviceCode) {
	link, code := deviceCodeParts(dc)
	cancel := widget.NewButton(lang.L("Cancel"), func() { w.stop(); w.showM365() })
	w.set(heading(lang.L("Sign in with a code")),
		wrapped(lang.L("On any device, open this address and enter the code:")),
		link, code, widget.NewProgressBarInfinite(), cancel)
}

func (w *welcomePage) showProblem(text string) {
	w.problem.SetText(text)
	w.problem.Show()
}

func (w *welcomePage) stop() {
	if w.cancel != nil {
		w.cancel()
		w.cancel, w.current = nil, nil
	}
}

func firstLine(text string) string {
	if lines := Lines(text); len(lines) > 0 {
		return lines[0]
	}
	return ""
}

// welcomeFields are the welcome page's labels of the config keys it edits.
func welcomeFields() map[string]string {
	return map[string]string{
		"microsoft365.tenant":    lang.L("Tenant"),
		"microsoft365.client_id": lang.L("Application (client) ID"),
		"ews.url":                lang.L("Exchange address (EWS)"),
		"ews.username":           lang.L("User"),
		"ews.auth":               lang.L("Authentication"),
		"ews.ca_file":            lang.L("CA file"),
		"people.emails":          lang.L("Your email address"),
	}
}

// welcomeProblem is err in the words of the form the operator is looking at:
// a field by its label on screen ("CA file", not ews.ca_file), and what the
// Exchange server refused pointing at the field above, not at Settings,
// which a first run does not have yet (issue 21).
func welcomeProblem(err error) string {
	var fp *FieldProblem
	if errors.As(err, &fp) {
		if label, ok := welcomeFields()[fp.Key]; ok {
			return label + ": " + fp.Problem
		}
		return fp.Problem
	}
	if rej, ok := calendar.PasswordRejection(err); ok && !rej.Unchecked {
		return lang.L("Exchange rejected this password at {{.Time}}. Check the password above and connect again; nothing was saved.",
			map[string]any{"Time": clock(rej.At)})
	}
	var ce *calendar.Error
	if errors.As(err, &ce) && ce.Code == "HTTP401" {
		return lang.L("Exchange rejected the user name or password. Check the password above and connect again; nothing was saved.")
	}
	switch calendar.TLSProblemOf(err) {
	case calendar.TLSUntrusted:
		return lang.L("The Exchange server's certificate comes from an authority this computer does not trust. Choose your organisation's CA bundle as CA file above.")
	case calendar.TLSWrongName:
		return lang.L("The Exchange server's certificate is for another name than the Exchange address above. Put the name on the certificate there, or ask the Exchange administrator.")
	case calendar.TLSNotTLS:
		return lang.L("The server at the Exchange address above does not answer in https. Check the address.")
	}
	return errorSentence(err)
}

// offerTrust shows the certificate a server presented from an authority this
// computer does not know, so IT can compare it with the one they expect, and
// "Trust this certificate". Trusted, it is kept as the CA file, the form's
// CA file shows it, and retry connects again. Cancel (or Esc, or Enter: the
// safe default) changes nothing.
func (w *welcomePage) offerTrust(cert *x509.Certificate, server string, retry func(caFile string)) {
	details := widget.NewForm(
		widget.NewFormItem(lang.L("Server"), selectable(server)),
		widget.NewFormItem(lang.L("Issued to"), selectable(certName(cert.Subject))),
		widget.NewFormItem(lang.L("Issued by"), selectable(certName(cert.Issuer))),
		widget.NewFormItem(lang.L("Valid"), selectable(lang.L("{{.From}} to {{.To}}", map[string]any{
			"From": cert.NotBefore.Local().Format("2006-01-02"), "To": cert.NotAfter.Local().Format("2006-01-02")}))),
		widget.NewFormItem(lang.L("SHA-256 fingerprint"), selectable(Fingerprint(cert))),
	)
	var md *modal
	trust := newKeyButton(lang.L("Trust this certificate"), func() {
		md.d.Hide()
		certPEM := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: cert.Raw})
		keep := ""
		if w.caFile != nil {
			keep = strings.TrimSpace(w.caFile.Text)
		}
		w.m.async(func() {
			ctx, cancel := context.WithTimeout(context.Background(), saveTimeout)
			defer cancel()
			caFile, err := w.m.actions.TrustCertificate(ctx, server, certPEM, keep)
			fyne.Do(func() {
				if err != nil {
					w.showProblem(errorSentence(err))
					return
				}
				if w.caFile != nil {
					w.caFile.SetText(caFile)
				}
				retry(caFile)
			})
		})
	})
	trust.Importance = widget.WarningImportance
	content := container.NewVBox(
		wrapped(lang.L("The Exchange server presented this certificate, from an authority this computer does not trust. Trust it only if your IT department confirms this fingerprint.")),
		details,
		trust,
	)
	md = w.m.showModal("certificate", lang.L("Exchange server certificate"), lang.L("Cancel"), content, fyne.NewSize(560, 0), nil)
}

// selectable is a value the operator can select and copy (a fingerprint to
// compare, a name to pass on).
func selectable(text string) *widget.Label {
	l := widget.NewLabel(text)
	l.Selectable = true
	l.Wrapping = fyne.TextWrapBreak
	return l
}

// certName is a certificate name as people read it: the common name, with
// the organisation when there is one.
func certName(n pkix.Name) string {
	name := n.CommonName
	if len(n.Organization) > 0 && n.Organization[0] != name {
		name = joinNonEmpty(" · ", name, n.Organization[0])
	}
	if name == "" {
		return n.String()
	}
	return name
}

// Fingerprint is the SHA-256 of the certificate, as browsers and
// certificate tools print it: upper-case hex pairs joined by colons.
func Fingerprint(cert *x509.Certificate) string {
	sum := sha256.Sum256(cert.Raw)
	parts := make([]string, len(sum))
	for i, b := range sum {
		parts[i] = fmt.Sprintf("%02X", b)
	}
	return strings.Join(parts, ":")
}
