// Times ews-javascript-api's own GetUserAvailability response path on one
// saved answer: EwsServiceXmlReader (DOM parse + XML-to-object) followed by
// GetUserAvailabilityRequest.ReadResponseXmlJsObject (the typed results), the
// same two steps its SimpleServiceRequestBase runs on a 200 answer.
//
// Usage: EWS_JS_DIR=<dir of ews-javascript-api> node ews-js-parse.js answer.xml [iterations]
// Prints one line: "ns/op <n> iterations <k> attendees <a>".
'use strict';

const fs = require('fs');
const path = require('path');

const dir = process.env.EWS_JS_DIR;
if (!dir) {
  console.error('EWS_JS_DIR must name the installed ews-javascript-api package');
  process.exit(2);
}
const ews = require(path.resolve(dir));

const xml = fs.readFileSync(process.argv[2], 'utf8');
const iterations = Number(process.argv[3] || 200);

const service = new ews.ExchangeService(ews.ExchangeVersion.Exchange2013);
const request = new ews.GetUserAvailabilityRequest(service);
request.RequestedData = ews.AvailabilityData.FreeBusy;
request.Options = new ews.AvailabilityOptions();
request.Options.RequestedFreeBusyView = ews.FreeBusyViewType.DetailedMerged;

function parseOnce() {
  const reader = new ews.EwsServiceXmlReader(xml, service);
  return request.ReadResponseXmlJsObject(reader.JsObject);
}

// Check the path really reads every mailbox before timing it.
const first = parseOnce();
const attendees = first.AttendeesAvailability.Count;
const events = first.AttendeesAvailability.Responses.reduce((n, a) => n + a.CalendarEvents.length, 0);
if (attendees === 0 || events === 0) {
  console.error(`parsed ${attendees} attendees and ${events} events: not the answer expected`);
  process.exit(1);
}

for (let i = 0; i < 20; i++) parseOnce(); // warm the JIT
const t0 = process.hrtime.bigint();
for (let i = 0; i < iterations; i++) parseOnce();
const elapsed = process.hrtime.bigint() - t0;
console.log(`ns/op ${Number(elapsed) / iterations} iterations ${iterations} attendees ${attendees} events ${events}`);
