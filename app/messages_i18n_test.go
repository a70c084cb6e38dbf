package app

import (
	"os"
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
	rejectedAt := time.Now()
	tests := []struct {
		err  error
		want string
	}{
		{&calendar.Error{Kind: calendar.KindTransient, Op: "graph.getSchedule"}, "Server non raggiungibile. Mostro gli ultimi dati noti; Frontdesk continua a provare."},
		{&ConfigError{Key: "refresh_interval", Problem: "must be at least 30s"}, "Problema nelle impostazioni: refresh_interval: must be at least 30s"},
		{calendar.NewPasswordRejected("ews.signin", &calendar.PasswordRejectedError{At: rejectedAt}),
			"Il server ha rifiutato questa password alle " + rejectedAt.Format("15:04") + ". Inserisci quella nuova: frontdesk ews-password"},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			if got := OperatorMessage(tt.err); got != tt.want {
				t.Errorf("OperatorMessage = %q, want %q", got, tt.want)
			}
		})
	}
}
