package ui

import (
	"context"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/frontdesk-app/frontdesk/calendar"
)

// A refused settings file stays said above the console (or the welcome page
// when nothing can be run) with the file, key and line and a button to
// Settings: a good refresh on the last good settings does not hide it; saving
// settings does. An untrusted admin policy is said there too, and stays.
func TestSettingsProblemStaysUntilSettingsAreSaved(t *testing.T) {
	const lastGood = "Settings problem: /home/op/.config/Frontdesk/config.toml: refresh_interval: line 2: expected a value. Running on the last good settings; fix it in Settings."
	const unreadable = "Settings problem: /home/op/.config/Frontdesk/config.toml: refresh_interval: line 2: expected a value. Frontdesk cannot read its settings and shows no colleagues until they are fixed in Settings or set up again here."
	const policy = "The admin policy /etc/frontdesk/policy.toml is not trusted (it is missing, and group or others may write its folder /etc/frontdesk (mode 0777)): the locks of its last trusted copy still apply. Tell your IT administrator."
	tests := []struct {
		name             string
		firstRun         bool
		settings, policy string
		wantButton       bool
	}{
		{"last_good", false, lastGood, "", true},
		{"unreadable", true, unreadable, "", true},
		{"policy", false, "", policy, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			test.NewTempApp(t)
			opened := 0
			actions := Actions{
				Remedy:       remedyOf,
				Settings:     func() SettingsForm { opened++; return SettingsForm{} },
				SaveSettings: func(context.Context, Settings) error { return nil },
			}
			w := test.NewTempWindow(t, nil)
			m := newMainWindow(w, WindowOptions{FirstRun: tt.firstRun, SettingsProblem: tt.settings, PolicyProblem: tt.policy,
				Console: Options{Now: func() time.Time { return testNow }, Describe: sentence}, Actions: actions})
			m.async = func(f func()) { f() }
			w.SetContent(m.Content())
			w.Resize(fyne.NewSize(900, 600))
			if !tt.firstRun {
				m.Apply(calendar.Snapshot{Source: "ews", At: testNow, GeneratedAt: testNow, People: []*calendar.PersonState{{Person: &calendar.Person{Name: "Ada Lovelace", Email: "ada@example.com"}}}})
			}
			if !m.problem.root.Visible() {
				t.Fatal("the problem is not on show")
			}
			test.AssertRendersToMarkup(t, "settings_problem_"+tt.name+".xml", w.Canvas())

			button := visibleButton(m.problem.root, "Open Settings")
			if (button != nil) != tt.wantButton {
				t.Fatalf("Open Settings button %v, want %v", button != nil, tt.wantButton)
			}
			if button != nil {
				test.Tap(button)
				if opened != 1 {
					t.Errorf("Settings opened %d times, want 1", opened)
				}
				if err := m.actions.SaveSettings(context.Background(), Settings{}); err != nil {
					t.Fatal(err)
				}
				waitFor(t, func() bool { return !m.problem.shown() })
			}
			if tt.policy != "" && !m.problem.root.Visible() {
				t.Error("the policy problem went away")
			}
		})
	}
}

func visibleButton(o fyne.CanvasObject, text string) *widget.Button {
	switch v := o.(type) {
	case *widget.Button:
		if v.Text == text && v.Visible() {
			return v
		}
	case *fyne.Container:
		for _, c := range v.Objects {
			if b := visibleButton(c, text); b != nil {
				return b
			}
		}
	}
	return nil
}

// waitFor waits for cond, which fyne.Do makes true on the app's goroutine.
func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	for range 200 {
		done := make(chan bool, 1)
		fyne.DoAndWait(func() { done <- cond() })
		if <-done {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatal("never happened")
}
