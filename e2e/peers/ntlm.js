// An EWS endpoint behind NTLM, for Frontdesk's NTLM test: the npm package
// express-ntlm runs the real three-leg handshake (401 NTLM, negotiate,
// challenge, authenticate) on 127.0.0.1, then POST /EWS/Exchange.asmx answers
// with the documented GetUserAvailability response (EWS_FIXTURE, a file).
// Without a domain controller express-ntlm accepts any NTLM credentials, as
// a lab must; a user named "rejected" is answered 401 after the handshake, as
// IIS answers a failed NTLM logon.
// Test controls (not behind NTLM): GET /_log lists every request received:
// method, path, the NTLM message type in its Authorization header (0 none,
// 1 negotiate, 3 authenticate, "basic" if a password was sent in clear),
// and, once authenticated, the user, domain and workstation NTLM reported.
// Prints "READY http://127.0.0.1:<port>" when listening.
import fs from 'node:fs';

import express from 'express';
import ntlm from 'express-ntlm';

const fixture = fs.readFileSync(process.env.EWS_FIXTURE, 'utf8');
const log = [];

function messageType(header) {
  if (!header) return 0;
  const [scheme, token] = header.split(' ');
  if (/^basic$/i.test(scheme)) return 'basic';
  if (!token) return -1;
  const msg = Buffer.from(token, 'base64');
  return msg.length >= 12 ? msg.readUInt32LE(8) : -1;
}

const app = express();
app.get('/_log', (req, res) => res.json(log));
app.use('/EWS', (req, res, next) => {
  const entry = { method: req.method, path: req.originalUrl, type: messageType(req.headers.authorization) };
  log.push(entry);
  res.locals.entry = entry;
  next();
});
app.use('/EWS', ntlm({
  // No domain controller: every well-formed handshake is accepted.
  domaincontroller: null,
  domain: 'CONTOSO',
  badrequest: (req, res) => res.status(400).end(),
  internalservererror: (req, res) => res.status(500).end(),
  forbidden: (req, res) => res.status(403).end(),
  debug: (...args) => console.error(...args),
}));
app.post('/EWS/Exchange.asmx', express.text({ type: () => true, limit: '8mb' }), (req, res) => {
  const entry = res.locals.entry;
  Object.assign(entry, {
    user: req.ntlm.UserName, domain: req.ntlm.DomainName, workstation: req.ntlm.Workstation,
    soapAction: req.get('SOAPAction') || '', bodyBytes: (req.body || '').length,
  });
  if (req.ntlm.UserName === 'rejected') {
    res.set('WWW-Authenticate', 'NTLM').status(401).end();
    return;
  }
  res.type('text/xml; charset=utf-8').send(fixture);
});

const server = app.listen(0, '127.0.0.1', () => {
  console.log(`READY http://127.0.0.1:${server.address().port}`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
