// Times ews-javascript-api's own GetUserAvailability response path on one
// saved answer: EwsServiceXmlReader (DOM parse + XML-to-object) followed by
// GetUserAvailabilityRequest.ReadResponseXmlJsObject (the typed results), the
// same two steps its SimpleServiceRequestBase runs on a 200 answer.
//
// Usage: node ews-js-parse.js answer.xml mailboxes [iterations]
// The package comes from e2e/node_modules (pinned in e2e/package.json);
// EWS_JS_DIR names another installed copy instead.
// Fails unless the answer reads as exactly `mailboxes` attendees, none in
// error, with calendar events. Prints one line:
// "ns/op <n> iterations <k> attendees <a> events <e>".
'use strict';

const fs = require('fs');
const path = require('path');

const [answerPath, mailboxArg, iterationArg] = process.argv.slice(2);
const mailboxes = Number(mailboxArg);
const iterations = Number(iterationArg || 200);
if (!answerPath || !Number.isInteger(mailboxes) || mailboxes <= 0 || !Number.isInteger(iterations) || iterations <= 0) {
  console.error('usage: node ews-js-parse.js answer.xml mailboxes [iterations]');
  process.exit(2);
}

const ews = require(process.env.EWS_JS_DIR ? path.resolve(process.env.EWS_JS_DIR) : 'ews-javascript-api');
const xml = fs.readFileSync(answerPath, 'utf8');

const service = new ews.ExchangeService(ews.ExchangeVersion.Exchange2013);
const request = new ews.GetUserAvailabilityRequest(service);
request.RequestedData = ews.AvailabilityData.FreeBusy;
request.Options = new ews.AvailabilityOptions();
request.Options.RequestedFreeBusyView = ews.FreeBusyViewType.DetailedMerged;

function parseOnce() {
  const reader = new ews.EwsServiceXmlReader(xml, service);
  return request.ReadResponseXmlJsObject(reader.JsObject);
}

// Check the path really reads every mailbox before timing it: a path that
// skipped the work would otherwise time as fast.
function fail(message) {
  console.error(`ews-javascript-api: ${message}`);
  process.exit(1);
}
const responses = parseOnce().AttendeesAvailability.Responses;
if (responses.length !== mailboxes) fail(`read ${responses.length} attendees, want ${mailboxes}`);
let events = 0;
responses.forEach((a, i) => {
  if (a.ErrorCode !== ews.ServiceError.NoError) fail(`attendee ${i}: ${ews.ServiceError[a.ErrorCode]} ${a.ErrorMessage || ""}`.trim());
  events += a.CalendarEvents.length;
});
if (events === 0) fail('no calendar events read');

for (let i = 0; i < 20; i++) parseOnce(); // warm the JIT
const t0 = process.hrtime.bigint();
for (let i = 0; i < iterations; i++) parseOnce();
const elapsed = process.hrtime.bigint() - t0;
console.log(`ns/op ${Number(elapsed) / iterations} iterations ${iterations} attendees ${responses.length} events ${events}`);
