package calendar

import "time"

// LimitationKind names a part of the answers a Source has stopped giving.
type LimitationKind string

const (
	// LimitPresenceNotApproved: Graph refused Teams presence (403, or the
	// Presence.Read.All consent is missing): presence and with it Graph's
	// out-of-office signal are off until a sign-in brings the consent.
	LimitPresenceNotApproved LimitationKind = "presence_not_approved"
	// LimitMailTipsUnsupported: the Exchange server does not offer GetMailTips
	// (Exchange 2007, or it refuses the operation): no automatic replies.
	LimitMailTipsUnsupported LimitationKind = "mailtips_unsupported"
	// LimitMailTipsRefused: Exchange refused GetMailTips to this account (403,
	// access denied) until the credentials change.
	LimitMailTipsRefused LimitationKind = "mailtips_refused"
	// LimitDirectoryIncomplete: Count records of the directory listing did not
	// read (a field of the wrong type) and are left out; everyone else is
	// listed. It stands until a listing reads whole.
	LimitDirectoryIncomplete LimitationKind = "directory_incomplete"
)

// Limitation is a part of the answers a Source has stopped giving until
// someone acts. Only a refusal that repeating cannot fix becomes one; a blip
// (network, 5xx, throttling) is retried at the next interval instead.
type Limitation struct {
	Kind LimitationKind `json:"kind"`
	// URL is where an administrator fixes it (the admin-consent page); empty
	// when there is none.
	URL string `json:"url,omitempty"`
	// Since is when the source stopped asking.
	Since time.Time `json:"since"`
	// Count is how many records are concerned, where the kind counts them.
	Count int `json:"count,omitempty"`
	// Reason is the failure that decided it, for the log and support.
	Reason error `json:"-"`
}

// LimitationReporter is implemented by sources that can switch a part of
// their answers off; each snapshot carries what they report, so the window
// and `status --json` say so instead of showing the part as simply empty.
type LimitationReporter interface {
	Limitations() []Limitation
}

// CredentialsObserver is implemented by sources that keep state which depends
// on the sign-in or the password (a part switched off for want of consent).
// The engine calls it when the operator acts (a new sign-in, a new password,
// a retry), before the request that checks it.
type CredentialsObserver interface {
	CredentialsChanged()
}

func limitationsOf(src Source) []Limitation {
	if r, ok := src.(LimitationReporter); ok {
		return r.Limitations()
	}
	return nil
}
