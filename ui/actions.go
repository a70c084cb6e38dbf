package ui

import (
	"context"

	"github.com/frontdesk-app/frontdesk/calendar"
)

// Remedy is the one operator action that gets a stopped engine going again.
// The composition root decides it from the error (it knows the providers and
// the keyring); the window only draws the matching button.
type Remedy int

const (
	// RemedyWait: the engine recovers by itself (throttled, offline); the banner shows the wait.
	RemedyWait Remedy = iota
	// RemedySignIn: the Microsoft 365 sign-in expired or was refused.
	RemedySignIn
	// RemedyPassword: the Exchange server rejected the password, or none is stored.
	RemedyPassword
	// RemedyUnlockKeyring: the system keyring is locked or unavailable.
	RemedyUnlockKeyring
	// RemedyRetry: something outside Frontdesk was fixed (a permission granted): one request to check.
	RemedyRetry
	// RemedySettings: the settings are wrong; only a change there helps.
	RemedySettings
	// RemedyFirstSignIn: nobody has signed in to Microsoft 365 on this
	// profile yet ("Sign in", where RemedySignIn says "Sign in again").
	RemedyFirstSignIn
)

// Actions are what the window asks of the composition root. Every function may
// do I/O: the window calls them off the Fyne goroutine and shows the outcome
// with fyne.Do. A nil function hides the control that would call it.
type Actions struct {
	// Remedy names the action that fixes a pause for reason.
	Remedy func(reason error) Remedy
	// Resume asks the engine for exactly one request with the current credentials.
	Resume func()
	// ExchangeUser is the account the Exchange password belongs to ("" when not on Exchange).
	ExchangeUser func() string
	// StorePassword checks the Exchange password with one request and, once the
	// server accepted it, keeps it in the keyring and resumes polling. An error
	// (the server's rejection, a locked keyring) is shown in the dialog, and
	// then nothing was stored.
	StorePassword func(ctx context.Context, password string) error

	// SignIn opens the system browser at the Microsoft sign-in page and waits.
	SignIn func(ctx context.Context) (SignedIn, error)
	// SignInWithCode starts a device-code sign-in; show receives the code to display.
	SignInWithCode func(ctx context.Context, show func(DeviceCode)) (SignedIn, error)
	// SignOut forgets the Microsoft 365 sign-in and every stored secret.
	SignOut func(ctx context.Context) error
	// Account is the signed-in Microsoft 365 account, "" when none (no network).
	Account func(ctx context.Context) string

	// Settings are the values in force and the keys the admin policy locks.
	Settings func() SettingsForm
	// CheckSettings returns the config loader's complaint about s, or nil.
	CheckSettings func(s Settings) *FieldProblem
	// Budget is what s would cost: requests an hour for how many colleagues
	// (the people known from the last refresh).
	Budget func(s Settings) (requestsPerHour, people int)
	// BudgetRooms is how many meeting rooms the last refresh read, whose
	// calendars Budget counts too; nil or 0: the budget line names none.
	BudgetRooms func() int
	// SaveSettings writes s and applies it live; a *FieldProblem names the field.
	SaveSettings func(ctx context.Context, s Settings) error
	// Connect proves a first-run choice (a sign-in, or one availability request
	// with password) and only then saves it and starts polling. A non-nil
	// showCode asks for a device-code sign-in and receives the code.
	Connect func(ctx context.Context, s Settings, password string, showCode func(DeviceCode)) error
	// TrustCertificate keeps certPEM, the certificate of the Exchange server
	// at server that the operator chose to trust, as a CA file (with the
	// certificates of keep, the CA file in the form, before it) and returns
	// its path for ews.ca_file.
	TrustCertificate func(ctx context.Context, server string, certPEM []byte, keep string) (caFile string, err error)
	// SearchDirectory finds colleagues by name or address in the directory of
	// the provider in use (Exchange ResolveNames, the Microsoft 365 directory).
	SearchDirectory func(ctx context.Context, query string) ([]calendar.Person, error)
	// AddColleagues adds these addresses to the list of colleagues, saved
	// and applied at once as Settings' Save does.
	AddColleagues func(ctx context.Context, emails []string) error
	// TryDemo starts the demo company without saving anything.
	TryDemo func()

	// LogFolder is the folder Help > Open log folder opens.
	LogFolder string
	// Diagnostics writes the diagnostics file and returns its text and path.
	Diagnostics func(ctx context.Context) (text, path string, err error)
	// About is the version, commit, build date and dependency licences.
	About AboutInfo
}

// SignedIn is the outcome of a sign-in the window shows.
type SignedIn struct {
	Account string
	// PresenceNote is set when presence could not be turned on (admin approval
	// needed): what happened and the link to pass to IT.
	PresenceNote string
	// AdminConsentURL is the link an administrator opens to approve Frontdesk.
	AdminConsentURL string
}

// DeviceCode is what the operator types on another device to sign in.
type DeviceCode struct {
	Code string
	URL  string
}

// FieldProblem is a settings key and the config loader's sentence about it.
type FieldProblem struct {
	Key     string
	Problem string
}

func (p *FieldProblem) Error() string { return p.Key + ": " + p.Problem }

// AboutInfo is what Help > About shows.
type AboutInfo struct {
	Version, Commit, BuildDate string
	// Licences lists the dependencies' licence notices, one "module licence" a line.
	Licences string
}

// engineNeedsOperator reports whether the engine stopped until someone acts.
func engineNeedsOperator(s calendar.EngineState) bool {
	return s.State == calendar.StateAuthPaused || s.State == calendar.StateConfigError
}
