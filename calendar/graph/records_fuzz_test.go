package graph

import (
	"os"
	"testing"

	"github.com/go-json-experiment/json/jsontext"
)

// decodeRecords, the reading of an answer one record at a time when the
// whole does not decode, accounts for every record: each is read or listed
// as unreadable, in order, and an answer that decodes whole also decodes
// record by record.
func FuzzDecodeRecords(f *testing.F) {
	documented, err := os.ReadFile("testdata/getschedule-documented.json")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(documented)
	f.Add([]byte(`{"value":[` + adeleRecord + `,{"id":"2","displayName":42,"mail":"b@contoso.com"},` + meganRecord + `]}`))
	f.Add([]byte(`{"value":[` + adeleRecord + `,{"id":"2","mail":{}}],"@odata.nextLink":"https://graph.microsoft.com/v1.0/users?$skiptoken=x"}`))
	f.Add([]byte(`{"value":[{"scheduleId":"a@contoso.com","availabilityView":"02"},{"scheduleId":"b@contoso.com","scheduleItems":"busy"},{"scheduleId":7},"x",[],null]}`))
	f.Add([]byte(`{"value":[{"scheduleId":"a@contoso.com","availabilityView":"00`))
	f.Add([]byte(`{"value":42}`))
	f.Add([]byte("{\"value\":[{\"id\":\"1\",\"displayName\":\"Caf\xe9\",\"mail\":\"a@contoso.com\"}]}"))
	f.Fuzz(func(t *testing.T, data []byte) {
		var envelope struct {
			Value []jsontext.Value `json:"value"`
		}
		records := -1
		if decodeAnswer(data, &envelope) == nil {
			records = len(envelope.Value)
		}
		check := func(whole error, recordsErr error, read int, bad []unreadableRecord) {
			t.Helper()
			if whole == nil && recordsErr != nil {
				t.Fatalf("decodes whole but not record by record: %v", recordsErr)
			}
			if recordsErr != nil {
				return
			}
			if read+len(bad) != records {
				t.Fatalf("%d read + %d unreadable, the answer has %d records", read, len(bad), records)
			}
			for i := 1; i < len(bad); i++ {
				if bad[i].Index <= bad[i-1].Index {
					t.Fatalf("unreadable records out of order: %+v", bad)
				}
			}
		}
		var users, usersWhole userPage
		check(decodeAnswer(data, &usersWhole), users.decodeRecords(data), len(users.Value), users.Unreadable)
		var schedules, schedulesWhole scheduleResponse
		check(decodeAnswer(data, &schedulesWhole), schedules.decodeRecords(data), len(schedules.Value), schedules.Unreadable)
		var presences, presencesWhole presenceResponse
		if whole, records := decodeAnswer(data, &presencesWhole), presences.decodeRecords(data); whole == nil && records != nil {
			t.Fatalf("presence decodes whole but not record by record: %v", records)
		} else if records == nil && len(presences.Value) > len(envelope.Value) {
			t.Fatalf("%d presences read from %d records", len(presences.Value), len(envelope.Value))
		}
	})
}
