package ews

import (
	"context"
	"encoding/xml"
	"errors"
	"strings"

	"github.com/frontdesk-app/frontdesk/calendar"
)

type expandDLRequest struct {
	XMLName      xml.Name `xml:"m:ExpandDL"`
	EmailAddress string   `xml:"m:Mailbox>t:EmailAddress"` // m:Mailbox as Messages.xsd says
}

type expandDLResponse struct {
	XMLName  xml.Name                  `xml:"ExpandDLResponse"`
	Messages []expandDLResponseMessage `xml:"ResponseMessages>ExpandDLResponseMessage"`
}

type expandDLResponseMessage struct {
	responseMessage
	Expansion struct {
		IncludesLastItemInRange *bool     `xml:"IncludesLastItemInRange,attr"`
		Mailboxes               []mailbox `xml:"Mailbox"`
	} `xml:"DLExpansion"`
}

// Expansion is the membership of one distribution list.
type Expansion struct {
	People []calendar.Person
	// Lists are the nested lists' addresses: the server does not expand
	// recursively.
	Lists []string
	// Complete is false when the server cut the membership short.
	Complete bool
}

func parseExpandDL(data []byte) (Expansion, error) {
	resp, fault, err := decodeEnvelope(data, "ExpandDLResponse", func(r *expandDLResponse) xml.Name { return r.XMLName })
	if err != nil {
		return Expansion{}, err
	}
	if fault != nil {
		return Expansion{}, faultError("ews.ExpandDL", fault)
	}
	out := Expansion{Complete: true}
	for _, m := range resp.Messages {
		if err := throttledMessage("ews.ExpandDL", m.responseMessage); err != nil {
			return Expansion{}, err
		}
		if m.isError() {
			return Expansion{}, &calendar.Error{Kind: calendar.KindConfig, Op: "ews.ExpandDL", Code: strings.TrimSpace(m.Code),
				Hint: "Exchange does not know the distribution list in people.group.", Err: m.err()}
		}
		if last := m.Expansion.IncludesLastItemInRange; last != nil && !*last {
			out.Complete = false
		}
		for _, mb := range m.Expansion.Mailboxes {
			switch mb.MailboxType {
			case "PublicDL", "PrivateDL":
				if a := strings.TrimSpace(mb.EmailAddress); a != "" {
					out.Lists = append(out.Lists, a)
				}
				continue
			}
			if p, ok := (resolution{Mailbox: mb}).person(); ok {
				out.People = append(out.People, p)
			}
		}
	}
	return out, nil
}

// ExpandDL lists the members of the public distribution list list (an SMTP
// address, alias or display name).
func (c *Client) ExpandDL(ctx context.Context, list string) (Expansion, error) {
	body, err := c.call(ctx, "ExpandDL", expandDLRequest{EmailAddress: list})
	if err != nil {
		return Expansion{}, err
	}
	exp, err := parseExpandDL(body)
	if err != nil {
		var ce *calendar.Error
		if errors.As(err, &ce) {
			return Expansion{}, err
		}
		return Expansion{}, parseError("ExpandDL", err)
	}
	return exp, nil
}
