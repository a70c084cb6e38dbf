package app

import (
	"errors"
	"time"

	"fyne.io/fyne/v2/lang"

	"github.com/frontdesk-app/frontdesk/calendar"
)

// OperatorMessage is the one plain sentence an operator reads for a failure:
// what happened and what to do, in the operator's language once the console
// has registered its translations (ui.RegisterTranslations); headless
// commands register none and print English.
func OperatorMessage(err error) string {
	var outer *calendar.Error
	if errors.As(err, &outer) && outer.Code == "state_unwritable" && outer.Hint != "" {
		// A rejection that could not be recorded: the folder is the news,
		// not the rejection the error also carries.
		return lang.L(outer.Hint, outer.HintArgs)
	}
	if rej, ok := calendar.PasswordRejection(err); ok {
		return RejectedPasswordMessage(rej, EWSPasswordCommand, time.Now())
	}
	var ce *ConfigError
	if errors.As(err, &ce) {
		return lang.L("Settings problem: {{.Problem}}", map[string]any{"Problem": ce.operatorText()})
	}
	var e *calendar.Error
	if errors.As(err, &e) && e.Hint != "" {
		// A back end's hint is an English literal with {{.Name}} placeholders;
		// the literal is its own key in the translation files.
		return lang.L(e.Hint, e.HintArgs)
	}
	var unreadable *calendar.UnreadableAnswer
	if errors.As(err, &unreadable) {
		return lang.L("The server sent an answer Frontdesk could not read (HTTP {{.Status}}). Frontdesk keeps trying; details are in the log.",
			map[string]any{"Status": unreadable.Status})
	}
	switch calendar.KindOf(err) {
	case calendar.KindAuth:
		return lang.L("Sign-in rejected. Polling stopped to protect the account. Sign in again, or enter the Exchange password again.")
	case calendar.KindLocked:
		return lang.L("The account is locked or disabled. Polling stopped. Ask IT to unlock it, then sign in again.")
	case calendar.KindThrottled:
		return lang.L("The server asked Frontdesk to slow down. It will try again by itself.")
	case calendar.KindTransient:
		return lang.L("Cannot reach the server. Showing the last known data; Frontdesk keeps trying.")
	case calendar.KindPermission:
		return lang.L("Signed in, but not allowed to read calendars. Ask IT to grant Frontdesk access.")
	case calendar.KindConfig:
		return lang.L("Settings problem: {{.Problem}}", map[string]any{"Problem": err.Error()})
	}
	return lang.L("Something went wrong: {{.Problem}}. Details are in the log.", map[string]any{"Problem": err.Error()})
}

// favouritesNotSaved gives the console's "Favourites could not be saved
// (reason)" its reason in the operator's language; nil stays nil.
func favouritesNotSaved(err error) error {
	if err == nil {
		return nil
	}
	var ce *ConfigError
	switch {
	case errors.Is(err, errFavouritesLocked):
		return operatorError{sentence: lang.L("your administrator sets them"), err: err}
	case errors.As(err, &ce):
		return operatorError{sentence: lang.L("Settings problem: {{.Problem}}", map[string]any{"Problem": ce.operatorText()}), err: err}
	}
	return err // the system's own words, about a file that cannot be written
}
