package app

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/lang"

	"github.com/frontdesk-app/frontdesk/assets"
	"github.com/frontdesk-app/frontdesk/calendar"
	"github.com/frontdesk-app/frontdesk/ui"
)

// The console speaks the operator's language, engine sentences included; the
// words come from the same translation files as the window's.
func TestOperatorMessageInItalian(t *testing.T) {
	inItalian(t)
	rejectedAt := time.Now()
	tests := []struct {
		err  error
		want string
	}{
		{&calendar.Error{Kind: calendar.KindTransient, Op: "graph.getSchedule"}, "Server non raggiungibile. Mostro gli ultimi dati noti; Frontdesk continua a provare."},
		{&ConfigError{Key: "refresh_interval", Problem: "{{.Interval}} is longer than a day", ProblemArgs: map[string]any{"Interval": "25h0m0s"}},
			"Problema nelle impostazioni: refresh_interval: 25h0m0s è più di un giorno"},
		{&ConfigError{File: "/etc/frontdesk/policy.toml", Key: "time_zone", Problem: `{{.Value}} is not an IANA time zone such as "Europe/Paris"`, ProblemArgs: quoted("Mars/Olympus")},
			`Problema nelle impostazioni: /etc/frontdesk/policy.toml: time_zone: "Mars/Olympus" non è un fuso orario IANA come "Europe/Rome"`},
		{calendar.NewPasswordRejected("ews.signin", &calendar.PasswordRejectedError{At: rejectedAt}),
			"Il server ha rifiutato questa password alle " + rejectedAt.Format("15:04") + ". Inserisci quella nuova: frontdesk ews-password"},
	}
	tests = append(tests, backEndHints...)
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			if got := OperatorMessage(tt.err); got != tt.want {
				t.Errorf("OperatorMessage = %q, want %q", got, tt.want)
			}
		})
	}
}

// inItalian switches the operator's language to Italian for one test, with
// the console's translations registered, and back afterwards.
func inItalian(t *testing.T) {
	t.Helper()
	vars := []string{"LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"}
	was := map[string]string{}
	for _, v := range vars {
		was[v] = os.Getenv(v)
		t.Setenv(v, "it_IT.UTF-8")
	}
	ui.RegisterTranslations()
	lang.AddTranslationsFS(assets.Translations, "translations") // picks the language up again
	t.Cleanup(func() {
		// Back to the previous language for the other tests (this runs before
		// t.Setenv restores the variables, so restore them first).
		for _, v := range vars {
			os.Setenv(v, was[v])
		}
		lang.AddTranslationsFS(assets.Translations, "translations")
	})
}

// backEndHints are errors as the back ends return them, with their hints in
// Italian: a sentence a back end wrote is the operator's language in the window too.
var backEndHints = []struct {
	err  error
	want string
}{
	{ // calendar/graph: a 401 from Graph
		&calendar.Error{Kind: calendar.KindAuth, Op: "graph.getSchedule", Code: "InvalidAuthenticationToken",
			Hint: "Microsoft 365 rejected the sign-in. Sign in again.", Err: errors.New("HTTP 401: Unauthorized")},
		"Microsoft 365 ha rifiutato l'accesso. Accedi di nuovo."},
	{ // ews: a 401 from Exchange
		&calendar.Error{Kind: calendar.KindAuth, Op: "ews.GetUserAvailability", Code: "HTTP401",
			Hint: "Exchange rejected the user name or password. Check them in Settings; Frontdesk will not try again until you do, so the account is not locked."},
		"Exchange ha rifiutato il nome utente o la password. Controllali in Impostazioni; Frontdesk non riproverà finché non lo fai, così l'account non viene bloccato."},
	{ // calendar/graph: a hint with a placeholder
		&calendar.Error{Kind: calendar.KindConfig, Op: "graph.Directory",
			Hint: "No group with the address {{.Group}}.", HintArgs: map[string]any{"Group": "reception@contoso.com"}},
		"Nessun gruppo con l'indirizzo reception@contoso.com."},
	{ // calendar: the request ceiling, a number as placeholder, wrapped
		fmt.Errorf("refresh: %w", &calendar.Error{Kind: calendar.KindThrottled, Op: "requests", Code: "RequestCeiling", Err: calendar.ErrRequestCeiling,
			Hint:     "Frontdesk sent {{.Requests}} requests in the last 10 minutes and is holding the next ones back, to keep the mailbox under its limit. It goes on by itself.",
			HintArgs: map[string]any{"Requests": calendar.HardRequestCeiling}}),
		fmt.Sprintf("Frontdesk ha inviato %d richieste negli ultimi 10 minuti e trattiene le prossime per restare sotto il limite della casella. Riprende da solo.", calendar.HardRequestCeiling)},
	{ // calendar: an answer Frontdesk could not read
		calendar.NewUnreadableAnswer("graph.getSchedule", 502, errors.New("HTTP 502: Bad Gateway")),
		"Il server ha inviato una risposta che Frontdesk non riesce a leggere (HTTP 502). Frontdesk continua a provare; i dettagli sono nel log."},
}

// inItalianWithoutTranslations runs the calling test again in a fresh process
// with an Italian locale and reports whether this is that process, where the
// test goes on; the parent fails unless the child passed. A fresh process,
// because another test of this binary may have registered translations, which
// Fyne keeps for the process.
func inItalianWithoutTranslations(t *testing.T) bool {
	t.Helper()
	if os.Getenv("FRONTDESK_TEST_HEADLESS") == "1" {
		return true
	}
	cmd := exec.Command(os.Args[0], "-test.run=^"+t.Name()+"$", "-test.v")
	cmd.Env = append(os.Environ(), "FRONTDESK_TEST_HEADLESS=1", "LANGUAGE=it_IT.UTF-8", "LC_ALL=it_IT.UTF-8", "LANG=it_IT.UTF-8")
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "--- PASS: "+t.Name()) {
		t.Fatalf("run in Italian without translations: %v\n%s", err, out)
	}
	return false
}

// Headless commands register no translations: whatever the locale, their
// hints read in English, placeholders filled, as status and doctor print them
// and as the error's own text (state_reason in status --json) says.
func TestOperatorMessageHeadlessIsEnglish(t *testing.T) {
	if !inItalianWithoutTranslations(t) {
		return
	}
	tests := []struct {
		err  error
		want string
	}{
		{backEndHints[0].err, "Microsoft 365 rejected the sign-in. Sign in again."},
		{backEndHints[2].err, "No group with the address reception@contoso.com."},
		{backEndHints[3].err, fmt.Sprintf("Frontdesk sent %d requests in the last 10 minutes and is holding the next ones back, to keep the mailbox under its limit. It goes on by itself.", calendar.HardRequestCeiling)},
		{backEndHints[4].err, "The server sent an answer Frontdesk could not read (HTTP 502). Frontdesk keeps trying; details are in the log."},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			if got := OperatorMessage(tt.err); got != tt.want {
				t.Errorf("OperatorMessage = %q, want %q", got, tt.want)
			}
			var ce *calendar.Error
			if errors.As(tt.err, &ce) && ce.Hint != "" && ce.Err == nil && !strings.HasSuffix(ce.Error(), ": "+tt.want) {
				t.Errorf("Error() = %q, want it to end in the English hint", ce.Error())
			}
		})
	}
}
