package ews

import (
	"bytes"
	"regexp"
	"strconv"
	"time"

	"github.com/frontdesk-app/frontdesk/calendar"
)

// backOffValue finds ErrorServerBusy's BackOffMilliseconds anywhere in an
// answer: inside a 200 it sits in one ResponseMessage, which the operation's
// parser reports later, out of the client's sight; the client remembers it
// for every process (ClientOptions.Throttle) as soon as the body is in.
var backOffValue = regexp.MustCompile(`Name="BackOffMilliseconds"[^>]*>\s*(\d{1,12})\s*<`)

// bodyBackOff is the longest back-off body asks for; zero when none.
func bodyBackOff(body []byte) time.Duration {
	if !bytes.Contains(body, []byte("BackOffMilliseconds")) {
		return 0
	}
	var longest time.Duration
	for _, m := range backOffValue.FindAllSubmatch(body, -1) {
		ms, err := strconv.ParseInt(string(m[1]), 10, 64)
		if err != nil {
			continue
		}
		longest = max(longest, time.Duration(min(ms, calendar.MaxRetryAfter.Milliseconds()))*time.Millisecond)
	}
	return longest
}
