package app

import (
	"context"
	"errors"
	"os/exec"
	"runtime"
	"strings"
)

// emojiFontList lists the font families that draw U+1F33B (a sunflower),
// one a line, through fontconfig: the fonts Fyne falls back to for an emoji
// in a colleague's name or Teams note (the release carries none of its own,
// `no_emoji`). A variable for the tests.
var emojiFontList = func(ctx context.Context) (string, error) {
	out, err := exec.CommandContext(ctx, "fc-list", ":charset=1f33b", "family").Output()
	return string(out), err
}

// checkEmojiFont warns, on Linux, when no font draws emoji: each emoji in a
// name or Teams note then shows as "�". Windows (Segoe UI Emoji) and macOS
// (Apple Color Emoji) always have one.
func (d *doctor) checkEmojiFont(ctx context.Context) {
	if runtime.GOOS != "linux" {
		return
	}
	d.step(ctx, "emoji font", doctorLocalTimeout, func(ctx context.Context) CheckResult {
		return emojiFontResult(emojiFontList(ctx))
	})
}

func emojiFontResult(families string, err error) CheckResult {
	var notFound *exec.Error
	switch {
	case errors.As(err, &notFound):
		return CheckResult{Status: CheckSkip, Detail: "fontconfig's fc-list is not installed, so the fonts could not be listed"}
	case err != nil:
		return CheckResult{Status: CheckSkip, Detail: "the fonts could not be listed: " + err.Error()}
	}
	first, _, _ := strings.Cut(strings.TrimSpace(families), "\n")
	if first == "" {
		return CheckResult{Status: CheckWarn, Detail: `no font draws emoji: a name or Teams note with emoji shows "�" for each`,
			Action: "Install an emoji font (Debian/Ubuntu: sudo apt install fonts-noto-color-emoji) and restart Frontdesk."}
	}
	return CheckResult{Status: CheckOK, Detail: "emoji draw with " + strings.TrimSpace(strings.Split(first, ",")[0])}
}
