// An OpenID Provider (the certified npm package oidc-provider) dressed up as
// Entra ID for Frontdesk's sign-in tests, so that MSAL Go runs unmodified:
//   - mounted at /{tenant}/v2.0 with /oauth2/v2.0/authorize|token|devicecode;
//   - TLS on 127.0.0.1 with the certificate the test generated
//     (OIDC_TLS_CERT, OIDC_TLS_KEY);
//   - token responses carry client_info (base64url {"uid","utid"}) and echo
//     the requested scopes, as Entra does (MSAL reports "declined scopes"
//     otherwise); refresh tokens are not bound to scopes, as in Entra;
//   - MSAL's prompt=select_account is served as a consent prompt;
//   - the device-code response carries Entra's "message", and the token
//     endpoint takes Entra's short grant_type=device_code.
// Test controls on /admin (loopback only):
//   POST /admin/fail {status, error, code, description, scope, grant_type, times}
//        answer matching token requests with an Entra-style error (AADSTS code);
//   POST /admin/clear-failures;
//   POST /admin/revoke-refresh-tokens  destroys every refresh token issued;
//   GET  /admin/tokens    every access/refresh/ID token handed out;
//   GET  /admin/requests  every token request (grant_type, scope, status);
//   GET  /admin/device-codes  every device code handed out (user_code, verification_uri).
// Env: OIDC_TENANT, OIDC_TENANT_ID, OIDC_CLIENT_ID, OIDC_ACCESS_TOKEN_TTL (s),
// OIDC_HOST (the name in its URLs; 127.0.0.1 by default).
// Prints "READY https://<OIDC_HOST>:<port>" when listening.
import crypto from 'node:crypto';
import fs from 'node:fs';
import https from 'node:https';
import querystring from 'node:querystring';

import express from 'express';
import Provider from 'oidc-provider';

const tenant = process.env.OIDC_TENANT || 'contoso.onmicrosoft.com';
const tenantId = process.env.OIDC_TENANT_ID || '72f988bf-86f1-41af-91ab-2d7cd011db47';
const clientId = process.env.OIDC_CLIENT_ID || '11111111-2222-3333-4444-555555555555';
const accessTokenTTL = Number(process.env.OIDC_ACCESS_TOKEN_TTL || 3600);

const server = https.createServer({
  cert: fs.readFileSync(process.env.OIDC_TLS_CERT),
  key: fs.readFileSync(process.env.OIDC_TLS_KEY),
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
// The name in the issuer and every endpoint: 127.0.0.1 unless OIDC_HOST says
// localhost (wine 8's certificate check matches no IP address, so the
// Windows build under wine reaches the server by name).
const base = `https://${process.env.OIDC_HOST || '127.0.0.1'}:${server.address().port}`;
const mount = `/${tenant}/v2.0`;

// Entra's object id for a user: a stable GUID.
function oidFor(login) {
  const h = crypto.createHash('sha256').update(login).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

const graphScopes = ['User.Read', 'Calendars.ReadBasic', 'User.ReadBasic.All', 'Presence.Read.All', 'Place.Read.All'];

const provider = new Provider(`${base}${mount}`, {
  clients: [{
    client_id: clientId,
    application_type: 'native',
    token_endpoint_auth_method: 'none',
    redirect_uris: ['http://localhost'],
    response_types: ['code'],
    grant_types: ['authorization_code', 'refresh_token', 'urn:ietf:params:oauth:grant-type:device_code'],
  }],
  routes: {
    authorization: '/oauth2/v2.0/authorize',
    token: '/oauth2/v2.0/token',
    device_authorization: '/oauth2/v2.0/devicecode',
    code_verification: '/device',
    jwks: '/discovery/v2.0/keys',
    userinfo: '/oidc/userinfo',
    revocation: '/oauth2/v2.0/revoke',
    end_session: '/oauth2/v2.0/logout',
  },
  responseTypes: ['code'],
  scopes: ['openid', 'offline_access', 'profile', 'email', ...graphScopes],
  claims: { openid: ['sub'], profile: ['name', 'preferred_username', 'oid', 'tid'] },
  conformIdTokenClaims: false,
  features: {
    devInteractions: { enabled: true },
    deviceFlow: { enabled: true },
    revocation: { enabled: true },
  },
  ttl: {
    AccessToken: accessTokenTTL,
    AuthorizationCode: 120,
    DeviceCode: 600,
    IdToken: 3600,
    Interaction: 600,
    Grant: 86400,
    RefreshToken: 86400,
    Session: 3600,
  },
  cookies: { keys: [crypto.randomBytes(16).toString('hex')] },
  async findAccount(ctx, id) {
    return {
      accountId: id,
      async claims() {
        return { sub: id, name: id, preferred_username: id, oid: oidFor(id), tid: tenantId };
      },
    };
  },
});

const failures = [];
const issued = [];
const requests = [];
const deviceScopes = new Map();
// Device codes handed out, for a test standing in for the operator who reads
// the code off the screen and types it on another device.
const deviceCodes = [];

function decodeJwtPayload(jwt) {
  try {
    return JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString());
  } catch {
    return {};
  }
}

function entraError(rule) {
  const traceId = crypto.randomUUID();
  const code = rule.code || '';
  return {
    error: rule.error || 'invalid_grant',
    error_description: `${code}: ${rule.description || 'The request was refused.'} Trace ID: ${traceId} Correlation ID: ${crypto.randomUUID()} Timestamp: ${new Date().toISOString()}`,
    error_codes: code ? [Number(code.replace('AADSTS', ''))] : [],
    timestamp: new Date().toISOString(),
    trace_id: traceId,
    correlation_id: crypto.randomUUID(),
  };
}

async function readForm(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  return querystring.parse(Buffer.concat(chunks).toString());
}

provider.use(async (ctx, next) => {
  const isToken = ctx.method === 'POST' && ctx.path.endsWith('/oauth2/v2.0/token');
  const isDevice = ctx.method === 'POST' && ctx.path.endsWith('/oauth2/v2.0/devicecode');
  const isAuthorize = ctx.path.endsWith('/oauth2/v2.0/authorize');

  if (isAuthorize && ctx.query.prompt === 'select_account') {
    // Entra shows its account picker; here the consent page stands in for it.
    const q = { ...ctx.query, prompt: 'consent' };
    ctx.querystring = querystring.stringify(q);
  }
  if (!isToken && !isDevice) {
    await next();
    return;
  }

  // Read the form ourselves (oidc-provider then uses req.body) so we can log,
  // fail on demand and remember what was asked for.
  const form = await readForm(ctx.req);
  const requestedScope = form.scope || deviceScopes.get(form.device_code) || '';
  const record = { grant_type: form.grant_type || (isDevice ? 'devicecode' : ''), scope: requestedScope };

  if (isToken) {
    const rule = failures.find((r) => (!r.scope || requestedScope.includes(r.scope))
      && (!r.grant_type || r.grant_type === form.grant_type));
    if (rule) {
      if (rule.times !== undefined && --rule.times <= 0) failures.splice(failures.indexOf(rule), 1);
      ctx.status = rule.status || 400;
      ctx.type = 'application/json';
      ctx.body = entraError(rule);
      record.status = ctx.status;
      record.injected = rule.code;
      requests.push(record);
      return;
    }
    if (form.grant_type === 'device_code') {
      // Entra takes the short name MSAL sends; the standard name is the URN.
      form.grant_type = 'urn:ietf:params:oauth:grant-type:device_code';
    }
    if (form.grant_type === 'refresh_token') {
      // Entra refresh tokens are not bound to the scopes first asked for.
      delete form.scope;
    }
  }
  ctx.req.body = form;
  await next();
  record.status = ctx.status;
  if (isToken) requests.push(record);

  if (ctx.status !== 200 || !ctx.body || typeof ctx.body !== 'object') return;
  if (isDevice) {
    deviceScopes.set(ctx.body.device_code, form.scope || '');
    deviceCodes.push({ user_code: ctx.body.user_code, verification_uri: ctx.body.verification_uri });
    ctx.body.message = `To sign in, use a web browser to open the page ${ctx.body.verification_uri} and enter the code ${ctx.body.user_code} to authenticate.`;
    return;
  }
  const body = ctx.body;
  const claims = body.id_token ? decodeJwtPayload(body.id_token) : {};
  const sub = claims.sub || ctx.oidc?.entities?.Account?.accountId || 'unknown';
  body.client_info = Buffer.from(JSON.stringify({ uid: oidFor(sub), utid: tenantId })).toString('base64url');
  if (requestedScope) body.scope = requestedScope;
  body.ext_expires_in = body.expires_in;
  issued.push({ access_token: body.access_token, refresh_token: body.refresh_token, id_token: body.id_token });
});

const app = express();
app.post('/admin/fail', express.json(), (req, res) => {
  failures.push(req.body);
  res.json({ ok: true });
});
app.post('/admin/clear-failures', (req, res) => {
  failures.length = 0;
  res.json({ ok: true });
});
app.post('/admin/revoke-refresh-tokens', async (req, res) => {
  let revoked = 0;
  for (const t of issued) {
    if (!t.refresh_token) continue;
    const rt = await provider.RefreshToken.find(t.refresh_token);
    if (rt) {
      await rt.destroy();
      revoked += 1;
    }
  }
  res.json({ revoked });
});
app.get('/admin/tokens', (req, res) => res.json(issued));
app.get('/admin/requests', (req, res) => res.json(requests));
app.get('/admin/device-codes', (req, res) => res.json(deviceCodes));
app.use(mount, provider.callback());

server.on('request', app);
process.on('SIGTERM', () => server.close(() => process.exit(0)));
console.log(`READY ${base}`);
