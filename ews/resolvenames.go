package ews

import (
	"context"
	"encoding/xml"
	"errors"
	"strings"

	"github.com/frontdesk-app/frontdesk/calendar"
)

// MaxResolveNamesResults is how many candidates ResolveNames returns at most.
const MaxResolveNamesResults = 100

type resolveNamesRequest struct {
	XMLName               xml.Name `xml:"m:ResolveNames"`
	ReturnFullContactData bool     `xml:"ReturnFullContactData,attr"`
	// SearchScope exists from Exchange 2010; Exchange 2007 rejects it.
	SearchScope     string `xml:"SearchScope,attr,omitempty"`
	UnresolvedEntry string `xml:"m:UnresolvedEntry"`
}

type resolveNamesResponse struct {
	XMLName  xml.Name                      `xml:"ResolveNamesResponse"`
	Messages []resolveNamesResponseMessage `xml:"ResponseMessages>ResolveNamesResponseMessage"`
}

type resolveNamesResponseMessage struct {
	responseMessage
	Set struct {
		TotalItemsInView        int          `xml:"TotalItemsInView,attr"`
		IncludesLastItemInRange *bool        `xml:"IncludesLastItemInRange,attr"`
		Resolutions             []resolution `xml:"Resolution"`
	} `xml:"ResolutionSet"`
}

type resolution struct {
	Mailbox mailbox `xml:"Mailbox"`
	Contact *struct {
		DisplayName    string  `xml:"DisplayName"`
		EmailAddresses []entry `xml:"EmailAddresses>Entry"`
		PhoneNumbers   []entry `xml:"PhoneNumbers>Entry"`
		JobTitle       string  `xml:"JobTitle"`
		Department     string  `xml:"Department"`
	} `xml:"Contact"`
}

type mailbox struct {
	Name         string `xml:"Name"`
	EmailAddress string `xml:"EmailAddress"`
	RoutingType  string `xml:"RoutingType"`
	MailboxType  string `xml:"MailboxType"`
}

type entry struct {
	Key   string `xml:"Key,attr"`
	Value string `xml:",chardata"`
}

// Resolved is the outcome of one ResolveNames call.
type Resolved struct {
	People []calendar.Person
	// More is true when the server had more candidates than it returned
	// (it returns the first 100): the operator should type more of the name.
	More bool
}

// parseResolveNames reads a ResolveNames answer. "No results" is an empty
// answer, not an error; "multiple results" is the warning a search expects.
func parseResolveNames(data []byte) (Resolved, error) {
	resp, fault, err := decodeEnvelope(data, "ResolveNamesResponse", func(r *resolveNamesResponse) xml.Name { return r.XMLName })
	if err != nil {
		return Resolved{}, err
	}
	if fault != nil {
		return Resolved{}, faultError("ews.ResolveNames", fault)
	}
	var out Resolved
	for _, m := range resp.Messages {
		if err := throttledMessage("ews.ResolveNames", m.responseMessage); err != nil {
			return Resolved{}, err
		}
		if m.isError() {
			if strings.TrimSpace(m.Code) == "ErrorNameResolutionNoResults" {
				continue
			}
			return Resolved{}, &calendar.Error{Kind: calendar.KindOther, Op: "ews.ResolveNames", Code: strings.TrimSpace(m.Code), Err: m.err()}
		}
		if last := m.Set.IncludesLastItemInRange; last != nil && !*last {
			out.More = true
		}
		if m.Set.TotalItemsInView > len(m.Set.Resolutions) {
			out.More = true
		}
		for _, r := range m.Set.Resolutions {
			if p, ok := r.person(); ok {
				out.People = append(out.People, p)
			}
		}
	}
	return out, nil
}

// person keeps mailboxes with an SMTP address: contacts and lists have no
// calendar to ask about.
func (r resolution) person() (calendar.Person, bool) {
	mb := r.Mailbox
	switch mb.MailboxType {
	case "", "Mailbox", "OneOff", "User", "Unknown":
	default:
		return calendar.Person{}, false
	}
	email := strings.TrimSpace(mb.EmailAddress)
	if rt := strings.TrimSpace(mb.RoutingType); rt != "" && !strings.EqualFold(rt, "SMTP") {
		email = ""
	}
	p := calendar.Person{Name: strings.TrimSpace(mb.Name)}
	if c := r.Contact; c != nil {
		if n := strings.TrimSpace(c.DisplayName); n != "" {
			p.Name = n
		}
		p.Department = strings.TrimSpace(c.Department)
		p.JobTitle = strings.TrimSpace(c.JobTitle)
		p.Phone = phoneOf(c.PhoneNumbers)
		if email == "" {
			for _, e := range c.EmailAddresses {
				if v, ok := strings.CutPrefix(strings.TrimSpace(e.Value), "SMTP:"); ok {
					email = v
					break
				}
			}
		}
	}
	if email == "" {
		return calendar.Person{}, false
	}
	p.Email = email
	if p.Name == "" {
		p.Name = email
	}
	return p, true
}

// phoneOf picks the number a receptionist would transfer a call to.
func phoneOf(numbers []entry) string {
	for _, key := range []string{"BusinessPhone", "BusinessPhone2", "MobilePhone", "CompanyMainPhone"} {
		for _, n := range numbers {
			if n.Key == key && strings.TrimSpace(n.Value) != "" {
				return strings.TrimSpace(n.Value)
			}
		}
	}
	return ""
}

// ResolveNames searches the directory (Active Directory from Exchange 2010)
// for entries matching query.
func (c *Client) ResolveNames(ctx context.Context, query string) (Resolved, error) {
	req := resolveNamesRequest{ReturnFullContactData: true, UnresolvedEntry: query}
	if c.version != "Exchange2007_SP1" {
		req.SearchScope = "ActiveDirectory"
	}
	body, err := c.call(ctx, "ResolveNames", req)
	if err != nil {
		return Resolved{}, err
	}
	res, err := parseResolveNames(body)
	if err != nil {
		var ce *calendar.Error
		if errors.As(err, &ce) {
			return Resolved{}, err
		}
		return Resolved{}, parseError("ResolveNames", err)
	}
	return res, nil
}
