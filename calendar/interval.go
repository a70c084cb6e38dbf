package calendar

import (
	"strconv"
	"time"
)

// FormatInterval writes a refresh interval as an operator or an admin writes
// it, and as config.toml and Settings read it back: "60s" is "1m", "90s"
// stays "90s", "2h" is "2h". Go's own "1m0s" is correct but reads like a typo.
func FormatInterval(d time.Duration) string {
	switch {
	case d <= 0 || d%time.Second != 0:
		return d.String()
	case d%time.Hour == 0:
		return strconv.FormatInt(int64(d/time.Hour), 10) + "h"
	case d%time.Minute == 0:
		return strconv.FormatInt(int64(d/time.Minute), 10) + "m"
	}
	return strconv.FormatInt(int64(d/time.Second), 10) + "s"
}
