package ui

import (
	"context"
	"time"
)

// TakenMessage is one message the desk took for a colleague: who called,
// what for, and how it was passed on. It is personal data: it stays in the
// message log in the state folder and never reaches a log file or the
// diagnostics bundle.
type TakenMessage struct {
	At       time.Time
	For      string // the colleague's display name
	ForEmail string // the colleague's address
	Caller   string
	Company  string
	Number   string
	Text     string
	CallBack bool
	Urgent   bool
	// SentVia is how the message went out: SentViaTeams or SentViaEmail.
	SentVia string
}

// How a taken message went out.
const (
	SentViaTeams = "teams"
	SentViaEmail = "email"
)

// MessageLog keeps the messages taken at this desk. Its methods do file I/O:
// the window calls them off the Fyne goroutine.
type MessageLog interface {
	// Add keeps m.
	Add(ctx context.Context, m TakenMessage) error
	// Find returns the messages taken since since whose words (for whom,
	// caller, company, number, text) contain every word of query, any case,
	// newest first. An empty query finds all of them.
	Find(ctx context.Context, query string, since time.Time) ([]TakenMessage, error)
}
