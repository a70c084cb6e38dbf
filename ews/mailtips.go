package ews

import (
	"context"
	"encoding/xml"
	"errors"
	"html"
	"regexp"
	"strings"

	"github.com/frontdesk-app/frontdesk/calendar"
)

// MaxMailTipsRecipients is how many recipients one GetMailTips call carries.
// Exchange documents no fixed number: each server states its own in
// GetServiceConfiguration's MailTipsConfiguration, MaxRecipientsPerGetMailTipsRequest
// ("the maximum number of recipients that can be passed to the GetMailTips
// operation", learn.microsoft.com/exchange/client-developer/web-service-reference/
// maxrecipientspergetmailtipsrequest; MS-OXWCONFIG 3.1.4.1.3.27). Server
// answers quoted in public EWS clients' tests carry 50, the value used here
// without asking (asking would cost a request of its own). GetUserAvailability
// takes 100, so one calendar batch's colleagues are two of these.
const MaxMailTipsRecipients = 50

type getMailTipsRequest struct {
	XMLName    xml.Name           `xml:"m:GetMailTips"`
	SendingAs  emailAddressType   `xml:"m:SendingAs"`
	Recipients []emailAddressType `xml:"m:Recipients>t:Mailbox"`
	Requested  string             `xml:"m:MailTipsRequested"`
}

type emailAddressType struct {
	EmailAddress string `xml:"t:EmailAddress"`
	RoutingType  string `xml:"t:RoutingType"`
}

type getMailTipsResponse struct {
	XMLName xml.Name `xml:"GetMailTipsResponse"`
	responseMessage
	Messages []struct {
		responseMessage
		MailTips struct {
			Recipient struct {
				EmailAddress string `xml:"EmailAddress"`
			} `xml:"RecipientAddress"`
			Pending     string `xml:"PendingMailTips"`
			OutOfOffice *struct {
				Message string `xml:"ReplyBody>Message"`
			} `xml:"OutOfOffice"`
		} `xml:"MailTips"`
	} `xml:"ResponseMessages>MailTipsResponseMessageType"`
}

// OutOfOfficeTip is one recipient's automatic-reply state, or the reason the
// server could not say.
type OutOfOfficeTip struct {
	Email string
	calendar.OutOfOffice
	Err error
}

func parseGetMailTips(data []byte) ([]OutOfOfficeTip, error) {
	resp, fault, err := decodeEnvelope(data, "GetMailTipsResponse", func(r *getMailTipsResponse) xml.Name { return r.XMLName })
	if err != nil {
		return nil, err
	}
	if fault != nil {
		return nil, faultError("ews.GetMailTips", fault)
	}
	if err := responseError("ews.GetMailTips", resp.responseMessage); err != nil {
		return nil, err
	}
	out := make([]OutOfOfficeTip, 0, len(resp.Messages))
	for _, m := range resp.Messages {
		if err := throttledMessage("ews.GetMailTips", m.responseMessage); err != nil {
			return nil, err
		}
		tip := OutOfOfficeTip{Email: strings.TrimSpace(m.MailTips.Recipient.EmailAddress)}
		switch {
		case m.isError():
			tip.Err = m.err()
		case strings.Contains(m.MailTips.Pending, "OutOfOfficeMessage"):
			tip.Err = errors.New("automatic replies not yet known")
		case m.MailTips.OutOfOffice != nil:
			msg := htmlToText(m.MailTips.OutOfOffice.Message)
			// The tip carries the reply only while automatic replies are on.
			tip.OutOfOffice = calendar.OutOfOffice{Active: msg != "", Message: msg}
		}
		out = append(out, tip)
	}
	return out, nil
}

var (
	htmlDropped = regexp.MustCompile(`(?is)<(script|style|head)\b.*?</(script|style|head)\s*>`)
	htmlBreaks  = regexp.MustCompile(`(?i)<\s*(br|/p|/div|/li|/tr)\b[^>]*>`)
	htmlTags    = regexp.MustCompile(`<[^>]*>`)
	blankRuns   = regexp.MustCompile(`[ \t\r\f\v\x{00a0}]+`)
	lineRuns    = regexp.MustCompile(`\n\s*\n+`)
)

// htmlToText turns an automatic reply (HTML as Outlook writes it) into the
// plain sentences an operator reads out.
func htmlToText(s string) string {
	s = htmlDropped.ReplaceAllString(s, "")
	s = htmlBreaks.ReplaceAllString(s, "\n")
	s = htmlTags.ReplaceAllString(s, "")
	s = html.UnescapeString(s)
	s = blankRuns.ReplaceAllString(s, " ")
	s = lineRuns.ReplaceAllString(s, "\n")
	lines := strings.Split(s, "\n")
	for i := range lines {
		lines[i] = strings.TrimSpace(lines[i])
	}
	return strings.TrimSpace(strings.Join(lines, "\n"))
}

// GetMailTips returns the automatic-reply state of each recipient, in at most
// MaxMailTipsRecipients per call. sendingAs is the operator's address; any
// internal address gets the internal reply, which is what callers are told.
func (c *Client) GetMailTips(ctx context.Context, sendingAs string, recipients []string) ([]OutOfOfficeTip, error) {
	var out []OutOfOfficeTip
	for len(recipients) > 0 {
		n := min(len(recipients), MaxMailTipsRecipients)
		batch := recipients[:n]
		recipients = recipients[n:]
		req := getMailTipsRequest{
			SendingAs: emailAddressType{EmailAddress: sendingAs, RoutingType: "SMTP"},
			Requested: "OutOfOfficeMessage",
		}
		for _, r := range batch {
			req.Recipients = append(req.Recipients, emailAddressType{EmailAddress: r, RoutingType: "SMTP"})
		}
		body, err := c.call(ctx, "GetMailTips", req)
		if err != nil {
			return nil, err
		}
		tips, err := parseGetMailTips(body)
		if err != nil {
			var ce *calendar.Error
			if errors.As(err, &ce) {
				return nil, err
			}
			return nil, parseError("GetMailTips", err)
		}
		out = append(out, tips...)
	}
	return out, nil
}
