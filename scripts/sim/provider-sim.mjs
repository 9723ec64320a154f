#!/usr/bin/env node
// Concord provider simulator: a local, loopback-only stand-in for OpenRouter's API
// (base path /api/v1) that answers with scripted personas, a scripted judge, and a set of
// failure scenarios (model ids "scenario/<name>"). No dependencies; Node 20+.
//
//   node scripts/sim/provider-sim.mjs --port 8787 [--host 127.0.0.1] [--speed 1]
//
// Endpoints:
//   OPTIONS *                          CORS preflight (204)
//   GET  /api/v1/models                catalogue (OpenRouter shape; ?supported_parameters=x filters)
//   GET  /api/v1/key                   key info (no Authorization header = demo, accepted)
//   GET  /auth?callback_url&code_challenge&code_challenge_method=S256
//                                      OAuth PKCE sign-in stand-in: 302 to callback_url?code=…
//                                      (loopback callbacks only; a code is single use, 5 min)
//   POST /api/v1/auth/keys             {code, code_verifier, code_challenge_method:"S256"} -> {key}
//                                      (403 unknown/used/expired code or verifier mismatch, 400 malformed)
//   POST /api/v1/chat/completions      streamed (SSE) or plain chat completions
//   GET  /search?q=…                   Jina-like search results (fake example.org pages)
//   GET  /__sim/health, /__sim/log     health and the recent request log (never header values)
//   /no-cors/…                         any of the above, without any Access-Control-* headers
//
// Roles (web/demo/wire.mjs readCall): a chat request is the member, judge or writer call that
// its body's concord_demo.call states (Concord states it to demo endpoints). Without it (the
// simulator as OpenRouter), a request asking for response_format json_schema is the judge's
// analysis and anything else a member; the prompt's wording never decides. So the writer-*
// scenarios apply only where the role is stated.
//
// Speed: delays are divided by the speed (--speed, the x-sim-speed header, or a "sim_speed"
// field in the JSON body, in increasing priority). Speed must be > 0.
//
// Fixed latency (benchmarks): a model id suffix "@<ms>" (e.g. "demo/atlas@400"), the
// x-sim-latency-ms header or a "sim_latency_ms" body field (suffix wins, then body, then
// header) makes an answer take exactly that long from request arrival to the end of the
// response, whatever the speed and the length: the first token at 30 %, the rest spread
// evenly, written at absolute deadlines. The content is that of the model without the suffix.
// /__sim/log entries carry seq, t0 and t1 (request arrival and response end, epoch ms with
// sub-ms precision) and fixed_ms; /__sim/log?since=<seq> returns only later entries.
//
// Secrets: Authorization / x-api-key values are never logged or echoed; the log only records
// whether an Authorization header was present.
//
// Index of this file:
// [SECTION] Constants
// [SECTION] Loopback check
// [SECTION] Catalogue
// [SECTION] Helpers
// [SECTION] The server
// [SECTION] Responses
// [SECTION] OAuth PKCE ("Connect OpenRouter")
// [SECTION] Chat completions
// [SECTION] Errors before any token
// [SECTION] Content: the scripted reply (shared with the in-page demo), then the scenario
// [SECTION] CLI

import http from 'node:http';
import http2 from 'node:http2';
import crypto from 'node:crypto';
import fs from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import * as demo from '../../web/demo/script.mjs';
import * as wire from '../../web/demo/wire.mjs';

export { personaForModel } from '../../web/demo/wire.mjs';

// ---- [SECTION] Constants -------------------------------------------------------------------
export const SCENARIOS = [
  'ok', 'slow', 'http-401', 'http-402', 'http-403', 'http-408', 'rate-limit-once', 'http-500',
  'http-502', 'http-503', 'hang', 'no-cors', 'keepalive-20s', 'utf8-split', 'crlf',
  'midstream-error', 'empty', 'html-error', 'huge', 'judge-not-json', 'judge-fenced',
  'judge-truncated', 'judge-500', 'bad-json-chunk', 'no-done', 'open-after-done', 'writer-json', 'writer-one-token', 'judge-ghost-label',
  'length', 'cut-stream', 'no-usage', 'reset-stream', 'rate-limit-in-stream-once',
];
const SCENARIO_INFO = {
  'ok': 'fast normal answer', 'slow': '10× slower than normal', 'http-401': '401 invalid key',
  'http-402': '402 insufficient credits', 'http-403': '403 moderation (flagged input)',
  'http-408': '408 timeout', 'rate-limit-once': '429 with Retry-After: 1 once per prompt, then OK',
  'http-500': '500 internal error', 'http-502': '502 provider error',
  'http-503': '503 overloaded with Retry-After: 2', 'hang': 'never answers',
  'no-cors': 'answers without any CORS headers', 'keepalive-20s': '20 s of keep-alive comments, then an answer',
  'utf8-split': 'multi-byte characters split across network writes', 'crlf': 'CRLF line endings',
  'midstream-error': 'error event after some content', 'empty': 'empty answer',
  'html-error': '502 with an HTML body', 'huge': 'about 1 MB answer',
  'judge-not-json': 'as judge: prose, no JSON', 'judge-fenced': 'as judge: JSON in ```json fences with prose',
  'judge-truncated': 'as judge: JSON cut off near the end', 'judge-500': '500 error (use as judge)',
  'bad-json-chunk': 'one malformed data line', 'no-done': 'stream ends without [DONE]',
  'open-after-done': '[DONE], then the connection stays open (until the client leaves)',
  'writer-json': 'as judge + writer: the writer replies with the analysis JSON (final_answer inside)',
  'writer-one-token': 'as judge + writer: the writer replies with one word',
  'judge-ghost-label': 'as judge: the analysis cites a Response D it was never shown',
  'length': 'the answer stops mid-way at the token limit (finish_reason "length")',
  'cut-stream': 'streamed: half the answer, then the response ends with no finish reason and no [DONE]',
  'no-usage': 'a whole answer with no usage at all (like an OpenAI-compatible server that ignores include_usage)',
  'reset-stream': 'streamed: half the answer, then the connection drops (the chunked body never ends)',
  'rate-limit-in-stream-once': 'a 200 stream whose first event is a 429 error (as OpenRouter sends one after its headers), once per prompt, then OK',
};

const PROVIDER_NAME = 'Concord Sim';
const MAX_BODY = 8 * 1024 * 1024;
const LOG_MAX = 200;
const ONCE_MAX = 1000;
const MAX_SPEED = 10000;
const OAUTH_CODE_TTL_MS = 5 * 60 * 1000;
const OAUTH_CODES_MAX = 1000;
const MAX_LATENCY_MS = 600000;

const CORS_ALLOW_HEADERS = [
  'authorization', 'content-type', 'http-referer', 'x-openrouter-title', 'x-title',
  'anthropic-version', 'x-api-key', 'anthropic-dangerous-direct-browser-access', 'x-sim-speed',
  'x-sim-latency-ms',
].join(', ');
const CORS_EXPOSE = 'x-generation-id, retry-after';

// ---- [SECTION] Loopback check --------------------------------------------------------------
export function isLoopbackHost(host) {
  const h = String(host ?? '').trim().toLowerCase().replace(/^\[(.*)\]$/, '$1');
  if (h === 'localhost' || h === '::1' || h === '0:0:0:0:0:0:0:1') return true;
  const v4 = h.replace(/^::ffff:/, '');
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(v4);
  return !!m && m.slice(1).every((x) => Number(x) <= 255) && Number(m[1]) === 127;
}

// ---- [SECTION] Catalogue -------------------------------------------------------------------
// The demo models (shared with the in-page provider), models that mirror real ids (answered
// by a persona, so presets resolve) and the failure scenarios.
function buildCatalogue() {
  const list = wire.demoCatalogue();
  const entry = wire.catalogueEntry, SCRIPTED = wire.SCRIPTED;
  const real = [
    ['google/gemini-3-flash-preview', 'Google: Gemini 3 Flash Preview', '0.0000005', '0.000003', 1048576, 65536, true],
    ['moonshotai/kimi-k2.6', 'MoonshotAI: Kimi K2.6', '0.0000006', '0.0000025', 262144, 65536, true],
    ['deepseek/deepseek-v4-pro', 'DeepSeek: DeepSeek V4 Pro', '0.0000005', '0.0000015', 163840, 65536, true],
    ['openai/gpt-5.2', 'OpenAI: GPT-5.2', '0.00000175', '0.000014', 400000, 128000, true],
    ['anthropic/claude-opus-4.6', 'Anthropic: Claude Opus 4.6', '0.000005', '0.000025', 200000, 64000, true],
    ['anthropic/claude-sonnet-4.6', 'Anthropic: Claude Sonnet 4.6', '0.000003', '0.000015', 200000, 64000, true],
    ['google/gemini-3-pro-preview', 'Google: Gemini 3 Pro Preview', '0.000002', '0.000012', 1048576, 65536, true],
    ['x-ai/grok-4.1-fast', 'xAI: Grok 4.1 Fast', '0.0000002', '0.0000005', 2000000, 30000, true],
    ['meta-llama/llama-4-maverick', 'Meta: Llama 4 Maverick', '0.00000015', '0.0000006', 1048576, 16384, false],
    ['openai/gpt-5-mini', 'OpenAI: GPT-5 Mini', '0.00000025', '0.000002', 400000, 128000, true],
  ];
  for (const [id, name, prompt, completion, ctx, maxOut, reasoning] of real) {
    list.push(entry(id, `${name} (simulated)`, {
      prompt, completion, ctx, maxOut, reasoning,
      structured: id !== 'meta-llama/llama-4-maverick',
      moderated: id.startsWith('openai/') || id.startsWith('anthropic/'),
      description: `${SCRIPTED} This entry mirrors the id of a real model so presets resolve; the answer comes from the "${demo.PERSONAS[wire.personaForModel(id)].name}" persona.`,
    }));
  }
  for (const s of SCENARIOS) {
    list.push(entry(`scenario/${s}`, `Scenario: ${s}`, {
      prompt: '0.0000001', completion: '0.0000004',
      description: `Test scenario for the Concord provider simulator: ${SCENARIO_INFO[s]}.`,
    }));
  }
  return list;
}

// ---- [SECTION] Helpers ---------------------------------------------------------------------
function genId() { return 'gen-' + Date.now().toString(36) + '-' + crypto.randomBytes(9).toString('base64url'); }

function bearerToken(req) {
  const h = req.headers.authorization;
  if (!h) return null;
  const m = /^\s*Bearer\s+(.*)$/i.exec(h);
  return m ? m[1].trim() : h.trim();
}

function parseSpeed(v) {
  if (v === undefined || v === null || v === '') return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0 || n > MAX_SPEED) return NaN;
  return n;
}

function parseLatency(v) {
  if (v === undefined || v === null || v === '') return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) || n < 1 || n > MAX_LATENCY_MS) return NaN;
  return n;
}

// High-resolution wall clock (epoch ms): comparable with a browser's performance.timeOrigin + now().
function hrNow() { return performance.timeOrigin + performance.now(); }
function round3(x) { return Math.round(x * 1000) / 1000; }

class HttpError extends Error {
  constructor(status, message) { super(message); this.status = status; }
}

function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    let size = 0;
    req.on('data', (c) => {
      size += c.length;
      if (size > MAX_BODY) { reject(new HttpError(413, 'Request body too large')); req.resume(); return; }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function pushBounded(map, key, value, max) {
  map.set(key, value);
  while (map.size > max) map.delete(map.keys().next().value);
}

// ---- [SECTION] The server ------------------------------------------------------------------
// tls: { key, cert } (PEM) also serves the same simulator over HTTP/2 with TLS, the way
// OpenRouter answers (every call of a page on one connection), on a port of its own: h2url.
export async function startSim({ port = 8787, host = '127.0.0.1', speed = 1, oauthCodeTtlMs = OAUTH_CODE_TTL_MS, tls = null } = {}) {
  if (!isLoopbackHost(host)) throw new Error(`provider-sim: refusing to listen on non-loopback host "${host}" (use 127.0.0.1, ::1 or localhost)`);
  const sp = parseSpeed(speed);
  if (sp === undefined || Number.isNaN(sp)) throw new Error(`provider-sim: invalid speed "${speed}" (must be a number > 0 and <= ${MAX_SPEED})`);

  const state = {
    speed: sp,
    catalogue: buildCatalogue(),
    log: [],
    seq: 0,
    once: new Map(),
    oauthCodes: new Map(), // sign-in code -> { challenge, expires }
    oauthTtlMs: oauthCodeTtlMs,
  };
  state.byId = new Map(state.catalogue.map((m) => [m.id, m]));

  const onRequest = (req, res) => {
    handle(req, res, state).catch((err) => {
      if (res.headersSent || res.destroyed) { try { res.destroy(); } catch { /* ignore */ } return; }
      const status = err instanceof HttpError ? err.status : 500;
      sendError({ req, res, noCors: false }, status, err instanceof HttpError ? err.message : 'Simulator error');
      if (!(err instanceof HttpError)) console.error('provider-sim: internal error:', err?.stack ?? err);
    });
  };
  const server = http.createServer({ noDelay: true, keepAliveTimeout: 5000 }, onRequest);
  server.on('clientError', (err, socket) => { if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\n\r\n'); });
  const listen = (srv, p) => new Promise((resolve, reject) => {
    srv.once('error', reject);
    srv.listen(p, host, () => { srv.off('error', reject); resolve(srv.address().port); });
  });
  const origin = (scheme, p) => `${scheme}://${host.includes(':') ? `[${host}]` : host}:${p}`;
  const actualPort = await listen(server, port);

  let h2 = null, h2Port = null;
  const sessions = new Set();
  if (tls) {
    h2 = http2.createSecureServer({ key: tls.key, cert: tls.cert }, onRequest);
    h2.on('session', (s) => { sessions.add(s); s.on('close', () => sessions.delete(s)); });
    h2Port = await listen(h2, 0);
  }
  return {
    port: actualPort,
    host,
    url: origin('http', actualPort),
    h2url: h2 ? origin('https', h2Port) : null,
    close: () => Promise.all([
      new Promise((resolve) => { server.close(() => resolve()); server.closeAllConnections(); }),
      h2 && new Promise((resolve) => { h2.close(() => resolve()); for (const s of sessions) s.destroy(); }),
    ]).then(() => undefined),
  };
}

async function handle(req, res, state) {
  const started = Date.now();
  const t0 = hrNow();
  const url = new URL(req.url, 'http://sim.local');
  let path = url.pathname;
  let noCors = false;
  if (path === '/no-cors' || path.startsWith('/no-cors/')) { noCors = true; path = path.slice('/no-cors'.length) || '/'; }
  path = path.replace(/\/+$/, '') || '/';

  // Request log: method, path (no query), model, status, whether Authorization was present.
  const entry = {
    time: new Date(started).toISOString(), method: req.method, path, model: null, status: null,
    auth: req.headers.authorization !== undefined, stream: false, ms: null, outcome: 'pending',
    seq: ++state.seq, t0: round3(t0), t1: null, fixed_ms: null, eval_item: null, eval_task: null,
  };
  state.log.push(entry);
  if (state.log.length > LOG_MAX) state.log.splice(0, state.log.length - LOG_MAX);
  res.on('finish', () => { if (entry.t1 === null) entry.t1 = round3(hrNow()); });
  res.on('close', () => {
    if (entry.t1 === null) entry.t1 = round3(hrNow());
    entry.ms = Date.now() - started;
    entry.status = res.headersSent ? res.statusCode : null;
    entry.outcome = res.writableFinished ? 'ok' : 'client-closed';
  });

  const ctx = { req, res, noCors, state, entry, url, t0 };

  if (req.method === 'OPTIONS') return preflight(ctx);

  const route = `${req.method} ${path}`;
  switch (route) {
    case 'GET /': case 'HEAD /':
      if (url.searchParams.has('q')) return search(ctx, url.searchParams.get('q'));
      return sendText(ctx, 200, 'text/plain; charset=utf-8', usageText());
    case 'GET /__sim/health': return sendJson(ctx, 200, { ok: true });
    case 'GET /__sim/log': {
      const since = Number(url.searchParams.get('since'));
      if (url.searchParams.has('since') && Number.isFinite(since)) return sendJson(ctx, 200, { entries: state.log.filter((e) => e.seq > since) });
      return sendJson(ctx, 200, { entries: state.log.slice(-100) });
    }
    case 'GET /api/v1/models': return models(ctx);
    case 'GET /api/v1/examples': return sendJson(ctx, 200, { data: demo.galleryList() });
    case 'GET /api/v1/key': case 'GET /api/v1/auth/key': return keyInfo(ctx);
    case 'GET /auth': return oauthAuthorize(ctx);
    case 'POST /api/v1/auth/keys': return oauthKeys(ctx);
    case 'POST /api/v1/chat/completions': return chat(ctx);
    case 'GET /search': return search(ctx, url.searchParams.get('q') ?? '');
    default:
      if (req.method === 'GET' && path.startsWith('/search/')) {
        let q = path.slice('/search/'.length);
        try { q = decodeURIComponent(q); } catch { /* keep raw */ }
        return search(ctx, q);
      }
      if (['/api/v1/models', '/api/v1/key', '/api/v1/chat/completions', '/search', '/__sim/health', '/__sim/log',
        '/auth', '/api/v1/auth/keys'].includes(path)) {
        return sendError(ctx, 405, `Method ${req.method} not allowed on ${path}`);
      }
      return sendError(ctx, 404, `Not found: ${path}`);
  }
}

function usageText() {
  return [
    'Concord provider simulator (scripted demo answers; not a real model provider).',
    '',
    'GET  /api/v1/models',
    'GET  /api/v1/key',
    'POST /api/v1/chat/completions   (OpenRouter/OpenAI shape; stream:true for SSE)',
    'GET  /search?q=...              (Jina-like JSON)',
    'GET  /auth?callback_url=...&code_challenge=...&code_challenge_method=S256   (OAuth PKCE sign-in)',
    'POST /api/v1/auth/keys          {code, code_verifier, code_challenge_method} -> {key}',
    'GET  /__sim/health, /__sim/log[?since=<seq>]',
    '',
    'Fixed latency: model "<id>@<ms>" (e.g. demo/atlas@400), "sim_latency_ms" body field or x-sim-latency-ms header.',
    '',
    'Scenario models: ' + SCENARIOS.map((s) => `scenario/${s}`).join(', '),
    '',
  ].join('\n');
}

// ---- [SECTION] Responses -------------------------------------------------------------------
// Timing-Allow-Origin lets the page's Resource Timing show each call's request and response
// times (scripts/bench splits every orchestration gap with them).
function corsHeaders(ctx) {
  return ctx.noCors ? {} : { 'Access-Control-Allow-Origin': '*', 'Access-Control-Expose-Headers': CORS_EXPOSE, 'Timing-Allow-Origin': '*' };
}

function preflight(ctx) {
  const { req, res } = ctx;
  const h = { 'Content-Length': '0' };
  if (!ctx.noCors) {
    Object.assign(h, corsHeaders(ctx), {
      'Access-Control-Allow-Methods': 'GET, POST, OPTIONS',
      'Access-Control-Allow-Headers': CORS_ALLOW_HEADERS,
      'Access-Control-Max-Age': '600',
      Vary: 'Origin, Access-Control-Request-Headers',
    });
    // Chrome's Private/Local Network Access preflight (a public page calling localhost).
    if (String(req.headers['access-control-request-private-network']).toLowerCase() === 'true') {
      h['Access-Control-Allow-Private-Network'] = 'true';
    }
  }
  res.writeHead(204, h);
  res.end();
}

function sendText(ctx, status, type, text, extra = {}) {
  const body = Buffer.from(text, 'utf8');
  ctx.res.writeHead(status, { 'Content-Type': type, 'Content-Length': body.length, 'Cache-Control': 'no-store', ...corsHeaders(ctx), ...extra });
  ctx.res.end(ctx.req.method === 'HEAD' ? undefined : body);
}

function sendJson(ctx, status, obj, extra = {}) {
  sendText(ctx, status, 'application/json', JSON.stringify(obj), extra);
}

function sendError(ctx, status, message, metadata, extra = {}, more = {}) {
  const error = { code: status, message };
  if (metadata) error.metadata = metadata;
  Object.assign(error, more);
  sendJson(ctx, status, { error }, extra);
}

// A 200 event stream whose only event is an error (OpenRouter, once its headers are sent).
function sendStreamError(ctx, code, message, model) {
  ctx.res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache', ...corsHeaders(ctx) });
  const err = {
    id: genId(), provider: PROVIDER_NAME, model, object: 'chat.completion.chunk', created: Math.floor(Date.now() / 1000),
    error: { code, message, metadata: { provider_name: PROVIDER_NAME } },
    choices: [{ index: 0, delta: { content: '' }, finish_reason: 'error', native_finish_reason: 'error' }],
  };
  ctx.res.end(`: OPENROUTER PROCESSING\n\ndata: ${JSON.stringify(err)}\n\n`);
}

function models(ctx) {
  const want = ctx.url.searchParams.get('supported_parameters');
  let data = ctx.state.catalogue;
  if (want) {
    const need = want.split(',').map((s) => s.trim()).filter(Boolean);
    data = data.filter((m) => need.every((p) => m.supported_parameters.includes(p)));
  }
  sendJson(ctx, 200, { data });
}

// ---- [SECTION] OAuth PKCE ("Connect OpenRouter") -------------------------------------------
// GET /auth stands in for OpenRouter's sign-in page: no login, it remembers code -> challenge
// and redirects to callback_url?code=…. POST /api/v1/auth/keys checks S256(verifier) against
// the challenge and hands out a fresh simulated key. Codes are single use and expire.
function escapeHtml(s) {
  return String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
}

function oauthPage(ctx, status, title, text, extra = {}) {
  sendText(ctx, status, 'text/html; charset=utf-8',
    `<!doctype html>\n<html><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head>\n` +
    `<body><h1>${escapeHtml(title)}</h1><p>${text}</p><p><small>Concord provider simulator: not OpenRouter.</small></p></body></html>\n`,
    extra);
}

function oauthAuthorize(ctx) {
  const q = ctx.url.searchParams;
  const callback = q.get('callback_url') ?? '';
  const challenge = q.get('code_challenge') ?? '';
  const method = q.get('code_challenge_method') ?? '';
  const bad = (why) => oauthPage(ctx, 400, 'Sign-in request refused', escapeHtml(why));
  let cb = null;
  try { cb = new URL(callback); } catch { /* reported below */ }
  if (!cb || !/^https?:$/.test(cb.protocol)) return bad('callback_url must be an absolute http(s) URL.');
  if (!isLoopbackHost(cb.hostname)) return bad('The simulator only redirects to loopback callback URLs (127.0.0.1, localhost, ::1).');
  if (method !== 'S256') return bad(`code_challenge_method must be S256 (got "${method}").`);
  if (!/^[A-Za-z0-9_-]{43}$/.test(challenge)) return bad('code_challenge must be 43 base64url characters: BASE64URL(SHA256(code_verifier)).');
  const now = Date.now();
  for (const [c, v] of ctx.state.oauthCodes) if (v.expires <= now) ctx.state.oauthCodes.delete(c);
  const code = crypto.randomBytes(24).toString('base64url');
  pushBounded(ctx.state.oauthCodes, code, { challenge, expires: now + ctx.state.oauthTtlMs }, OAUTH_CODES_MAX);
  cb.searchParams.set('code', code);
  const to = cb.toString();
  oauthPage(ctx, 302, 'Signed in (simulated)', `Continue to <a href="${escapeHtml(to)}">the app</a>.`, { Location: to });
}

async function oauthKeys(ctx) {
  const raw = await readBody(ctx.req);
  let body;
  try { body = JSON.parse(raw); } catch { return sendError(ctx, 400, 'Invalid JSON in request body'); }
  if (!body || typeof body !== 'object' || Array.isArray(body)) return sendError(ctx, 400, 'Request body must be a JSON object');
  const method = body.code_challenge_method ?? 'S256';
  if (method !== 'S256') return sendError(ctx, 400, `Invalid code_challenge_method "${method}": only S256 is supported`);
  if (typeof body.code !== 'string' || !body.code) return sendError(ctx, 400, 'Missing "code"');
  const verifier = body.code_verifier;
  if (typeof verifier !== 'string' || !/^[A-Za-z0-9._~-]{43,128}$/.test(verifier)) {
    return sendError(ctx, 400, 'Invalid "code_verifier": it must be 43 to 128 characters of A-Z a-z 0-9 - . _ ~');
  }
  const entry = ctx.state.oauthCodes.get(body.code);
  ctx.state.oauthCodes.delete(body.code); // single use, whatever happens next
  if (!entry) return sendError(ctx, 403, 'Invalid code: unknown or already used');
  if (Date.now() > entry.expires) return sendError(ctx, 403, 'Invalid code: it expired, sign in again');
  const s256 = crypto.createHash('sha256').update(verifier, 'ascii').digest('base64url');
  if (s256 !== entry.challenge) return sendError(ctx, 403, 'Invalid code_verifier: it does not match the code_challenge');
  let key;
  do { key = 'sk-or-v1-sim-' + crypto.randomBytes(24).toString('hex'); } while (/bad/i.test(key)); // "bad" keys get 401s
  sendJson(ctx, 200, { key, user_id: 'user_sim' });
}

function keyInfo(ctx) {
  const token = bearerToken(ctx.req);
  if (token !== null && /bad/i.test(token)) return sendError(ctx, 401, 'No auth credentials found');
  if (token === null) {
    return sendJson(ctx, 200, { data: { label: 'sim demo (no key)', usage: 0, limit: null, limit_remaining: null, is_free_tier: true } });
  }
  sendJson(ctx, 200, { data: { label: 'sim key', usage: 0.42, limit: 10, limit_remaining: 9.58, is_free_tier: false } });
}

function search(ctx, q) {
  const query = String(q).trim();
  if (!query) return sendJson(ctx, 400, { code: 400, status: 40001, name: 'ParamValidationError', message: 'Missing query: use /search?q=…', data: null });
  sendJson(ctx, 200, { code: 200, status: 20000, data: demo.searchResults(query) });
}

// ---- [SECTION] Chat completions ------------------------------------------------------------
async function chat(ctx) {
  const { req, state, entry } = ctx;
  const raw = await readBody(req);
  let body;
  try { body = JSON.parse(raw); } catch { return sendError(ctx, 400, 'Invalid JSON in request body'); }
  if (!body || typeof body !== 'object' || Array.isArray(body)) return sendError(ctx, 400, 'Request body must be a JSON object');
  const fullModel = typeof body.model === 'string' ? body.model.trim() : '';
  entry.model = fullModel || null;
  // "model@<ms>": fixed latency; everything else sees the model without the suffix.
  const suffix = /^(.+)@(\d+(?:\.\d+)?)(?:ms)?$/.exec(fullModel);
  const model = suffix ? suffix[1] : fullModel;
  entry.stream = body.stream === true;
  // Eval requests name their item (the demo's answer key): the log shows what was asked.
  if (typeof body.concord_demo?.eval?.id === 'string') {
    entry.eval_item = body.concord_demo.eval.id;
    entry.eval_task = `${body.concord_demo.eval.contestant ?? ''}|${body.concord_demo.eval.id}`;
  }
  if (!model) return sendError(ctx, 400, 'No model specified: "model" is required');
  if (!Array.isArray(body.messages) || body.messages.length === 0) return sendError(ctx, 400, '"messages" must be a non-empty array');

  const token = bearerToken(req);
  if (token !== null && /bad/i.test(token)) return sendError(ctx, 401, 'No auth credentials found');

  let speed = state.speed;
  for (const v of [req.headers['x-sim-speed'], body.sim_speed]) {
    const s = parseSpeed(v);
    if (Number.isNaN(s)) return sendError(ctx, 400, `Invalid simulator speed "${v}": must be a number > 0 and <= ${MAX_SPEED}`);
    if (s !== undefined) speed = s;
  }
  let fixedMs;
  for (const v of [req.headers['x-sim-latency-ms'], body.sim_latency_ms, suffix?.[2]]) {
    const l = parseLatency(v);
    if (Number.isNaN(l)) return sendError(ctx, 400, `Invalid simulator latency "${v}": must be a number of ms >= 1 and <= ${MAX_LATENCY_MS}`);
    if (l !== undefined) fixedMs = l;
  }
  entry.fixed_ms = fixedMs ?? null;

  let scenario = null;
  if (model.startsWith('scenario/')) {
    scenario = model.slice('scenario/'.length);
    if (!SCENARIOS.includes(scenario)) {
      return sendError(ctx, 400, `${model} is not a valid model ID (known scenarios: ${SCENARIOS.join(', ')})`);
    }
  }
  if (scenario === 'no-cors') ctx.noCors = true;

  const call = wire.readCall(body);
  const { messages, lastUser, web } = call;
  const flagged = lastUser.replace(/\s+/g, ' ').trim().slice(0, 120);
  const meta = { provider_name: PROVIDER_NAME, model_slug: model };

  // ---- [SECTION] Errors before any token -----------------------------------------------------
  switch (scenario) {
    case 'http-401': return sendError(ctx, 401, 'No auth credentials found (simulated invalid key)');
    case 'http-402': return sendError(ctx, 402, 'Insufficient credits. This account never purchased credits. Add credits and try again. (simulated)',
      { error_type: 'payment_required' });
    case 'http-403': return sendError(ctx, 403, `${model} requires moderation on ${PROVIDER_NAME}. Your input was flagged for "violence". No credits were charged. (simulated)`,
      { reasons: ['violence'], flagged_input: flagged + (lastUser.length > 120 ? '…' : ''), ...meta, error_type: 'moderation' });
    case 'http-408': return sendError(ctx, 408, 'Request timed out upstream (simulated)', { error_type: 'timeout', ...meta });
    case 'http-500': case 'judge-500': return sendError(ctx, 500, 'Internal Server Error (simulated)', { error_type: 'internal_error' });
    case 'http-502': return sendError(ctx, 502, 'Provider returned error (simulated)', { ...meta, raw: 'upstream connect error or disconnect/reset before headers', error_type: 'provider_error' });
    case 'http-503': return sendError(ctx, 503, 'No available provider could serve this request right now: all providers are overloaded (simulated)',
      { error_type: 'provider_overloaded', ...meta }, { 'Retry-After': '2' },
      { availability: { code: 'provider_overloaded', retryable: true, retry_after: 2, fallback_models: [] } });
    case 'html-error':
      return sendText(ctx, 502, 'text/html; charset=utf-8',
        '<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head>\n<body><center><h1>502 Bad Gateway</h1></center>\n<hr><center>cloudflare (simulated by Concord Sim)</center></body></html>\n');
    case 'rate-limit-in-stream-once':
    case 'rate-limit-once': {
      const key = model + ':' + crypto.createHash('sha256').update(JSON.stringify(body.messages)).digest('hex');
      if (!state.once.has(key) && scenario === 'rate-limit-in-stream-once' && body.stream === true) {
        pushBounded(state.once, key, Date.now(), ONCE_MAX);
        return sendStreamError(ctx, 429, 'Rate limit exceeded: too many requests, retry shortly (simulated)', model);
      }
      if (!state.once.has(key)) {
        pushBounded(state.once, key, Date.now(), ONCE_MAX);
        return sendError(ctx, 429, 'Rate limit exceeded: too many requests, retry shortly (simulated)',
          { error_type: 'rate_limit_exceeded', ...meta }, { 'Retry-After': '1' },
          { availability: { code: 'rate_limit_exceeded', retryable: true, retry_after: 1, fallback_models: [] } });
      }
      state.once.delete(key); // the next run with the same prompt sees one 429 again
      break;
    }
    case 'hang':
      // Accept the request and never answer; the client gives up (or the server closes).
      return new Promise((resolve) => ctx.res.on('close', resolve));
    default: break;
  }

  // ---- [SECTION] Content: the scripted reply (shared with the in-page demo), then the scenario ----
  const reply = wire.demoReply(model, body, { cite: false });
  let { content, reasoning, timing, quotes } = reply;
  const persona = reply.persona;
  if (call.role === 'judge') {
    const { result } = reply;
    if (scenario === 'judge-not-json') content = demo.judgeProse(result);
    else if (scenario === 'judge-fenced') content = 'Here is my analysis of the panel:\n\n```json\n' + JSON.stringify(result.analysis, null, 2) + '\n```\n\nLet me know if you would like more detail on any point.';
    else if (scenario === 'judge-truncated') content = truncateJson(JSON.stringify(result.analysis, null, 2));
    else if (scenario === 'judge-ghost-label') {
      const a = structuredClone(result.analysis);
      if (a.consensus[0]) a.consensus[0].models.push('D');
      a.unique_insights.push({ model: 'D', insight: 'A point from a response that does not exist.', assessment: 'invented' });
      content = JSON.stringify(a, null, 2);
    }
  } else if (call.role === 'writer') {
    const { result } = reply;
    if (scenario === 'writer-json') content = JSON.stringify({ ...result.analysis, final_answer: content }, null, 2);
    if (scenario === 'writer-one-token') content = 'Yes';
  } else if (call.role === 'member') {
    if (scenario === 'huge') { content = demo.buildHugeAnswer(persona, lastUser); quotes = []; }
    if (scenario === 'utf8-split') content += '\n\n' + demo.UNICODE_LINE;
  }
  if (scenario === 'empty') { content = ''; reasoning = ''; }
  if (scenario === 'length' || scenario === 'cut-stream' || scenario === 'reset-stream') content = cutMidway(content);

  let citations = null;
  const searched = reply.searched ?? web;  // eval replies script no search: none billed or cited
  if (searched && call.role === 'member' && content) ({ text: content, citations } = demo.citationsFor(reply.topic, content, quotes, lastUser));

  let ttft = timing.ttftMs, tps = timing.tps;
  if (scenario === 'ok') { ttft = 150; tps = 400; }
  if (scenario === 'slow') speed /= 10;
  if (scenario === 'huge') { ttft = 200; tps = 100000; }

  const usage = wire.makeUsage(state.byId.get(model)?.pricing, messages, content, reasoning, timing.reasoning ?? 0, searched);
  const g = {
    id: genId(), created: Math.floor(Date.now() / 1000), model: fullModel, scenario, speed, ttft, tps,
    content, reasoning, citations, usage, fixedMs, t0: ctx.t0,
  };
  if (body.stream === true) return streamAnswer(ctx, g);
  return plainAnswer(ctx, g);
}

// The first half of an answer, cut after a word (as a token limit or a dropped stream leaves it).
export function cutMidway(text) {
  const half = Math.floor(text.length / 2);
  const space = text.lastIndexOf(' ', half);
  return text.slice(0, space > 0 ? space : half);
}

// Cuts JSON text in the middle of its last reasonably long string value.
function truncateJson(json) {
  let inStr = false, esc = false, start = -1, lastGood = null;
  for (let i = 0; i < json.length; i++) {
    const c = json[i];
    if (inStr) {
      if (esc) esc = false;
      else if (c === '\\') esc = true;
      else if (c === '"') { inStr = false; if (i - start > 12) lastGood = [start, i]; }
    } else if (c === '"') { inStr = true; start = i; }
  }
  if (!lastGood) return json.slice(0, Math.floor(json.length * 0.9));
  let cut = Math.floor((lastGood[0] + lastGood[1]) / 2);
  if (json[cut - 1] === '\\') cut--;
  return json.slice(0, cut);
}

// Splits text into pieces of 2–5 words (whitespace kept; always 3 when `even`, for
// deterministic fixed-latency streams), or fixed-size slices for huge text.
function pieces(text, big, even = false) {
  if (!text) return [];
  if (big) {
    const out = [];
    for (let i = 0; i < text.length;) {
      let j = Math.min(text.length, i + 16384);
      if (j < text.length && /[\uD800-\uDBFF]/.test(text[j - 1])) j--;
      out.push(text.slice(i, j));
      i = j;
    }
    return out;
  }
  const words = text.match(/\s*\S+\s*/g) ?? [text];
  const out = [];
  for (let i = 0; i < words.length;) {
    const n = even ? 3 : 2 + Math.floor(Math.random() * 4);
    out.push(words.slice(i, i + n).join(''));
    i += n;
  }
  return out;
}

function alive(res) { return !res.writableEnded && !res.destroyed; }

// 'length' stops at the token limit; 'cut-stream' has none (a whole body cannot be cut short).
const finishReason = (g) => (g.scenario === 'length' ? 'length' : g.scenario === 'cut-stream' ? null : 'stop');

async function plainAnswer(ctx, g) {
  const { res } = ctx;
  const ac = new AbortController();
  res.on('close', () => ac.abort());
  const total = g.fixedMs !== undefined ? g.t0 + g.fixedMs - hrNow()
    : (g.ttft + (g.usage.completion_tokens / g.tps) * 1000 + (g.scenario === 'keepalive-20s' ? 20000 : 0)) / g.speed;
  try { await sleep(Math.max(0, total), undefined, { signal: ac.signal }); } catch { return; }
  if (!alive(res)) return;
  if (g.scenario === 'midstream-error') {
    return sendError(ctx, 502, 'Upstream provider disconnected (simulated)', { provider_name: PROVIDER_NAME, error_type: 'provider_error' });
  }
  const message = { role: 'assistant', content: g.content, refusal: null, reasoning: g.reasoning || null };
  if (g.citations) message.annotations = g.citations;
  sendJson(ctx, 200, {
    id: g.id, provider: PROVIDER_NAME, model: g.model, object: 'chat.completion', created: g.created,
    choices: [{ index: 0, logprobs: null, finish_reason: finishReason(g), native_finish_reason: finishReason(g), message }],
    ...(g.scenario === 'no-usage' ? {} : { usage: g.usage }),
  }, { 'X-Generation-Id': g.id });
}

async function streamAnswer(ctx, g) {
  const { res } = ctx;
  const ac = new AbortController();
  res.on('close', () => ac.abort());
  const eol = g.scenario === 'crlf' ? '\r\n' : '\n';
  const split = g.scenario === 'utf8-split';
  res.writeHead(200, {
    'Content-Type': 'text/event-stream',
    'Cache-Control': 'no-cache',
    ...(ctx.req.httpVersionMajor >= 2 ? {} : { Connection: 'keep-alive' }),  // HTTP/2 has no such header
    'X-Generation-Id': g.id,
    ...corsHeaders(ctx),
  });
  res.flushHeaders();
  res.socket?.setNoDelay(true);

  const wait = (ms) => sleep(Math.max(0, ms), undefined, { signal: ac.signal });
  const writeRaw = async (s) => {
    if (!alive(res)) throw new Error('closed');
    if (!res.write(s)) await new Promise((resolve, reject) => {
      const onDrain = () => { res.off('close', onClose); resolve(); };
      const onClose = () => { res.off('drain', onDrain); reject(new Error('closed')); };
      res.once('drain', onDrain);
      res.once('close', onClose);
    });
  };
  // utf8-split: write the bytes in pieces cut inside every multi-byte character.
  const write = async (s) => {
    if (!split) return writeRaw(s);
    const buf = Buffer.from(s, 'utf8');
    let from = 0;
    for (let i = 0; i < buf.length; i++) {
      if (buf[i] >= 0xc0 && i + 1 > from) {
        await writeRaw(buf.subarray(from, i + 1));
        from = i + 1;
        await wait(Math.max(1, 3 / g.speed));
      }
    }
    if (from < buf.length) await writeRaw(buf.subarray(from));
  };
  const comment = `: OPENROUTER PROCESSING${eol}${eol}`;
  const event = (obj) => `data: ${typeof obj === 'string' ? obj : JSON.stringify(obj)}${eol}${eol}`;
  const chunk = (delta, finish = null, extra = {}) => ({
    id: g.id, provider: PROVIDER_NAME, model: g.model, object: 'chat.completion.chunk', created: g.created,
    choices: [{ index: 0, delta, finish_reason: finish, native_finish_reason: finish, logprobs: null }],
    ...extra,
  });

  try {
    await write(comment);
    if (g.fixedMs !== undefined) {
      // Fixed latency: first token at 30 % of the budget, deltas spread evenly (at most one
      // write per 8 ms), the final chunk and the end of the response at exactly t0 + budget.
      const until = (t) => wait(t - hrNow());
      const firstAt = g.t0 + g.fixedMs * 0.3, endAt = g.t0 + g.fixedMs;
      const deltas = [
        ...pieces(g.reasoning, false, true).map((r) => ({ content: '', reasoning: r })),
        ...pieces(g.content, g.scenario === 'huge', true).map((c) => ({ content: c })),
      ];
      if (deltas.length === 0) deltas.push({ content: '' });
      deltas[0] = { role: 'assistant', ...deltas[0] };
      if (g.citations) deltas[deltas.length - 1].annotations = g.citations;
      const writes = Math.max(1, Math.min(deltas.length, Math.floor((endAt - firstAt) / 8)));
      for (let k = 0; k < writes; k++) {
        const from = Math.floor((deltas.length * k) / writes), to = Math.floor((deltas.length * (k + 1)) / writes);
        await until(firstAt + ((endAt - firstAt) * k) / writes);
        await write(deltas.slice(from, to).map((d) => event(chunk(d))).join(''));
      }
      await until(endAt);
      await write(event(chunk({ content: '' }, 'stop', { usage: g.usage })) + (g.scenario !== 'no-done' ? event('[DONE]') : ''));
      res.end();
      return;
    }
    if (g.scenario === 'keepalive-20s') {
      for (let i = 0; i < 10; i++) { await wait(2000 / g.speed); await write(comment); }
    }
    // "Thinking": keep-alive comments every 300 ms until the first token.
    const ttft = g.ttft / g.speed, step = 300 / g.speed;
    let waited = 0;
    while (waited + step < ttft) { await wait(step); waited += step; await write(comment); }
    await wait(ttft - waited);

    let first = true;
    let buf = '', debt = 0;
    const flush = async () => { if (buf) { const b = buf; buf = ''; await write(b); } if (debt > 0) { await wait(debt); debt = 0; } };
    const emit = async (delta, tokens) => {
      if (first) { delta = { role: 'assistant', ...delta }; first = false; }
      buf += event(chunk(delta));
      debt += (tokens / g.tps) * 1000 / g.speed;
      if (debt >= 8 || buf.length > 65536) await flush();
    };

    for (const r of pieces(g.reasoning, false)) await emit({ content: '', reasoning: r }, r.length / 4);

    const parts = pieces(g.content, g.scenario === 'huge');
    const badAt = g.scenario === 'bad-json-chunk' ? Math.floor(parts.length / 2) : -1;
    const errAt = g.scenario === 'midstream-error' ? Math.max(1, Math.floor(parts.length / 3)) : -1;
    for (let i = 0; i < parts.length; i++) {
      if (i === errAt) {
        buf += event({
          id: g.id, provider: PROVIDER_NAME, model: g.model, object: 'chat.completion.chunk', created: g.created,
          error: { code: 502, message: 'Upstream provider disconnected', metadata: { provider_name: PROVIDER_NAME } },
          choices: [{ index: 0, delta: { content: '' }, finish_reason: 'error', native_finish_reason: 'error' }],
        });
        await flush();
        res.end();
        return;
      }
      if (i === badAt) buf += `data: {"id":"${g.id}","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":"oops${eol}${eol}`;
      const delta = { content: parts[i] };
      if (g.citations && i === parts.length - 1) delta.annotations = g.citations;
      await emit(delta, parts[i].length / 4);
    }
    if (first) await emit({ content: '' }, 0); // empty answer: still one role chunk
    if (g.scenario === 'cut-stream') {  // a proxy that ends the response early, cleanly
      await flush();
      res.end();
      return;
    }
    if (g.scenario === 'reset-stream') {  // the connection drops: no last chunk of the HTTP body
      await flush();
      await wait(20);
      if (res.stream) res.stream.close(http2.constants.NGHTTP2_INTERNAL_ERROR);  // HTTP/2: this stream only
      else res.socket.destroy();  // closed before the chunked body's last chunk
      return;
    }
    buf += event(chunk({ content: '' }, finishReason(g), g.scenario === 'no-usage' ? {} : { usage: g.usage }));
    if (g.scenario !== 'no-done') buf += event('[DONE]');
    await flush();
    // Some proxies hold a stream open after its terminator: the client must not wait for the end.
    if (g.scenario === 'open-after-done') await new Promise((resolve) => res.on('close', resolve));
    res.end();
  } catch {
    // Client went away (or the server is closing): stop writing.
    if (alive(res)) res.destroy();
  }
}

// ---- [SECTION] CLI -------------------------------------------------------------------------
function parseArgs(argv) {
  const out = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const m = /^--([\w-]+)(?:=(.*))?$/.exec(a);
    if (!m) throw new Error(`unexpected argument "${a}"`);
    if (m[1] === 'help') { out.help = true; continue; }
    const v = m[2] ?? argv[++i];
    if (v === undefined) throw new Error(`missing value for --${m[1]}`);
    out[m[1]] = v;
  }
  return out;
}

async function main() {
  let args;
  try { args = parseArgs(process.argv.slice(2)); } catch (e) { console.error(`provider-sim: ${e.message}`); process.exit(2); }
  if (args.help) {
    console.log('usage: node scripts/sim/provider-sim.mjs --port 8787 [--host 127.0.0.1] [--speed 1]');
    return;
  }
  for (const k of Object.keys(args)) {
    if (!['port', 'host', 'speed'].includes(k)) { console.error(`provider-sim: unknown option --${k}`); process.exit(2); }
  }
  const port = args.port === undefined ? 8787 : Number(args.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) { console.error(`provider-sim: invalid --port "${args.port}"`); process.exit(2); }
  let sim;
  try {
    sim = await startSim({ port, host: args.host ?? '127.0.0.1', speed: args.speed ?? 1 });
  } catch (e) {
    console.error(e.message);
    process.exit(2);
  }
  console.log(`provider-sim listening on ${sim.url}`);
  const stop = () => { sim.close().then(() => process.exit(0)); setTimeout(() => process.exit(0), 1000).unref(); };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

const isMain = (() => {
  try { return fs.realpathSync(process.argv[1] ?? '') === fs.realpathSync(fileURLToPath(import.meta.url)); } catch { return false; }
})();
if (isMain) main();
