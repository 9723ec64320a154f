// Reliability catalogue: hostile-provider scenarios driven through the real app in headless
// Chromium against the provider simulator (scripts/sim/provider-sim.mjs). Every scenario is
// its own run: one scenario member next to demo/atlas and demo/borealis (or a scenario judge
// behind a demo panel), judged by demo/judge. For each one the test checks that
//   - the failing call has a clear message (status + what went wrong, never "error 0" or raw HTML),
//   - the run completes with the other members (or, when all fail, ends with a clear message
//     and no judge call),
//   - text that did arrive is kept (exactly: compared with the simulator's script),
//   - the run is saved to history, and reopening it from history shows the same outcome.
// Prints a summary table and writes build/test-output/reliability.json for the README.
//
//   node --test --test-reporter=spec tests/browser/reliability.test.mjs
//
// Index of this file:
// [SECTION] Assertions
// [SECTION] Running one scenario
// [SECTION] Setup
// [SECTION] HTTP errors before any token
// [SECTION] Network-level failures
// [SECTION] Stream shapes
// [SECTION] Judge failures
// [SECTION] Every member failing
// [SECTION] Custom endpoints: a page whose stored settings put one member on another base URL
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { startServers, launch, openApp, api, waitState, shot, OUT } from './harness.mjs';
import { startSim, personaForModel, cutMidway } from '../../scripts/sim/provider-sim.mjs';
import * as demo from '../../web/demo/script.mjs';

const SPEED = Number(process.env.SIM_SPEED || 8); // the harness starts the simulator at this speed
const QUESTION = 'Should a small team adopt Rust for a new backend service?';
const PANEL = ['demo/atlas', 'demo/borealis'];
const JUDGE = 'demo/judge';
// Screenshots of the states worth a look (each costs a settle, so not every scenario).
const SHOTS = new Set(['length', 'no-usage', 'midstream-error', 'hang', 'html-error', 'judge-not-json', 'judge-500', 'judge-500-only']);

let servers, browser, page, realtimeSim, closedPort, customPage;
const results = [];
const tStart = Date.now();

// A loopback port with nothing listening on it (connection refused).
async function freePort() {
  const srv = net.createServer();
  await new Promise((r) => srv.listen(0, '127.0.0.1', r));
  const { port } = srv.address();
  await new Promise((r) => srv.close(r));
  return port;
}

const demoBase = () => servers.sim.url + '/api/v1';
// Every configure resets every option, so no scenario inherits another one's settings.
const defaults = () => ({ quorum: 0, quorum_deadline_s: 0, idle_timeout_s: 60, total_timeout_s: 300,
  max_retries: 2, two_phase_judge: true, demo_base: demoBase(), search: 0 });  // no grounding: exact text is compared
const finished = (s) => !s.busy && ['done', 'failed', 'cancelled'].includes(s.stage);

async function simLog(sim = servers.sim) {
  return (await (await fetch(sim.url + '/__sim/log')).json()).entries;
}
const logSince = (entries, t0, model) =>
  entries.filter((e) => Date.parse(e.time) >= t0 - 5 && e.path === '/api/v1/chat/completions' && (!model || e.model === model));

// The app's console reports every failed request ("Failed to load resource", the CORS
// refusal); anything else (a page error, a wasm abort) is a bug.
const EXPECTED_CONSOLE = /Failed to load resource|blocked by CORS policy|net::ERR_/i;

// ---- [SECTION] Assertions ------------------------------------------------------------------
function assertClearError(msg, re, who) {
  assert.ok(typeof msg === 'string' && msg.trim().length >= 12, `${who}: has an error message (got ${JSON.stringify(msg)})`);
  assert.doesNotMatch(msg, /\b(error|HTTP|status)\s*:?\s*0\b|undefined|NaN|\[object/i, `${who}: message is not vague: ${msg}`);
  assert.doesNotMatch(msg, /<\s*(!doctype|html|head|body|center|hr)\b/i, `${who}: no raw HTML in the message: ${msg}`);
  if (re) assert.match(msg, re, `${who}: message names the problem: ${msg}`);
}

function memberOf(s, model) {
  const i = s.members.findIndex((m) => m.model === model);
  assert.ok(i >= 0, `member ${model} in the run`);
  return [i, s.members[i]];
}

// The other (healthy) members answered and were judged; the judge wrote an analysis and answer.
function assertFused(s, { failedLabels = [] } = {}) {
  assert.equal(s.stage, 'done', `run completed (error: ${s.error})`);
  const done = s.members.filter((m) => m.status === 'done').map((m) => m.label);
  assert.deepEqual(s.judged, done, 'the judge saw exactly the answers that exist');
  for (const l of failedLabels) assert.ok(!s.judged.includes(l), `failed member ${l} not judged`);
  for (const m of s.members.filter((x) => PANEL.includes(x.model))) {
    assert.equal(m.status, 'done', `${m.label} (${m.model}) answered despite the hostile member`);
    assert.ok(m.chars > 200, `${m.label} kept its answer`);
  }
  assert.ok(s.final_answer.length > 100, 'there is a final answer');
}

async function exported(p) {
  return JSON.parse((await api(p, { cmd: 'export' })).json);
}

// ---- [SECTION] Running one scenario --------------------------------------------------------
let seq = 0;
async function runScenario(p, { panel, judges = [JUDGE], opts = {}, configure = true, timeout = 60000 }) {
  const prompt = `${QUESTION} (reliability run ${++seq})`;
  const before = await api(p, { cmd: 'state' });
  if (configure) {
    const c = await api(p, { cmd: 'configure', panel, judges, ...defaults(), ...opts });
    assert.equal(c.ok, true, 'configure accepted');
  } else if (Object.keys(opts).length) {
    await api(p, { cmd: 'configure', ...opts }); // options only: keeps the stored panel (custom endpoints)
  }
  const errs0 = p.errors.length;
  const t0 = Date.now();
  const r = await api(p, { cmd: 'run', prompt });
  assert.equal(r.ok, true, `run refused: ${r.error}`);
  const s = await waitState(p, (x) => finished(x) && x.prompt === prompt && x.history > before.history,
    { timeout, what: 'run end + saved to history' });
  const seconds = (Date.now() - t0) / 1000;
  assert.equal(s.history, before.history + 1, 'the run was saved to history');
  assert.equal(s.history_note, '', 'history saved without dropping runs');
  const unexpected = p.errors.slice(errs0).filter((e) => !EXPECTED_CONSOLE.test(e));
  assert.deepEqual(unexpected, [], 'no page errors');
  return { s, prompt, t0, seconds };
}

// The run is in the stored history (localStorage), and reopening the newest history entry
// shows the same outcome (text kept, errors kept).
async function assertHistoryKeeps(p, s) {
  const stored = await p.evaluate((q) => {
    const h = JSON.parse(localStorage.getItem('concord.history') || '[]');
    return h.length > 0 && JSON.parse(h[0]).config.prompt === q;
  }, s.prompt);
  assert.ok(stored, 'the run is the newest entry in the stored history');
  await api(p, { cmd: 'open_history', i: 0 });
  const h = await waitState(p, (x) => x.prompt === s.prompt && x.members.length === s.members.length,
    { what: 'history reopened' });
  assert.equal(h.stage, s.stage, 'history: same stage');
  assert.equal(h.error, s.error, 'history: same run error');
  assert.equal(h.final_answer, s.final_answer, 'history: same final answer');
  h.members.forEach((m, i) => {
    const o = s.members[i];
    assert.deepEqual([m.status, m.chars, m.error], [o.status, o.chars, o.error], `history keeps member ${m.label}`);
  });
}

// Registers one scenario as a node:test case and records its outcome for the table.
function scenario(id, title, fn, { todo, p = () => page } = {}) {
  const rec = { scenario: id, title, outcome: 'not run', seconds: null, detail: {} };
  results.push(rec);
  test(`${id}: ${title}`, { todo, timeout: 120000 }, async () => {
    const t0 = Date.now();
    try {
      await fn(p(), rec.detail);
      rec.outcome = todo ? 'todo (passes now)' : 'pass';
    } catch (e) {
      rec.outcome = todo ? 'todo (known bug)' : 'FAIL';
      rec.failure = String(e.message || e).split('\n')[0].slice(0, 400);
      throw e;
    } finally {
      rec.seconds = Number(((Date.now() - t0) / 1000).toFixed(1));
    }
  });
}

function note(detail, s, m) {
  Object.assign(detail, {
    stage: s.stage, status: m?.status, error: m?.error, error_id: m?.error_id, retries: m?.retries,
    chars: m?.chars, judged: s.judged, history: s.history,
  });
}

// A hostile member next to the two demo members. check(m, s, ctx) adds the scenario's own checks.
function memberScenario(id, title, exp, extra = {}) {
  scenario(id, title, async (p, detail) => {
    const model = exp.model ?? `scenario/${id}`;
    const ctx = await runScenario(p, { panel: [model, ...PANEL], opts: exp.opts ?? {}, timeout: exp.timeout });
    const { s } = ctx;
    const [, m] = memberOf(s, model);
    note(detail, s, m);
    detail.run_s = ctx.seconds;
    assert.equal(m.status, exp.status, `member status (error: ${m.error})`);
    if (exp.status !== 'done') assertClearError(m.error, exp.error, model);
    else assert.equal(m.error, '', 'no error on a member that answered');
    if (exp.retries !== undefined) assert.equal(m.retries, exp.retries, 'retries');
    assertFused(s, { failedLabels: exp.status === 'done' ? [] : [m.label] });
    if (exp.status === 'done') assert.ok(s.judged.includes(m.label), 'the recovered member was judged');
    if (SHOTS.has(id)) await shot(p, `reliability-${id}`);
    if (exp.check) await exp.check(m, s, { ...ctx, page: p, detail, model });
    await assertHistoryKeeps(p, s);
  }, extra);
}

// Full text of member `model`, checked against what the simulator's script sends.
async function assertExactText(p, model, prompt, { suffix = '', huge = false, cut = false, detail } = {}) {
  const persona = personaForModel(model);
  const whole = (huge ? demo.buildHugeAnswer(persona, prompt) : demo.buildAnswer(persona, prompt).text) + suffix;
  const want = cut ? cutMidway(whole) : whole;
  const run = await exported(p);
  const got = run.members.find((x) => x.model === model).content;
  if (detail) { detail.expected_bytes = Buffer.byteLength(want); detail.kept_bytes = Buffer.byteLength(got); }
  assert.equal(got.length, want.length, 'full length kept');
  assert.ok(got === want, 'text arrived intact (byte for byte)');
  return { got, want, run };
}

// ---- [SECTION] Setup -----------------------------------------------------------------------
before(async () => {
  servers = await startServers();
  realtimeSim = await startSim({ port: 0, host: '127.0.0.1', speed: 1 }); // for the real-time keep-alive case
  closedPort = await freePort();
  browser = await launch();
  const demoHash = `demo=${encodeURIComponent(demoBase())}`;
  page = await openApp(browser, servers.site.url, { dpr: 1, hash: demoHash });
  await waitState(page, (s) => s.catalogue > 0, { what: 'catalogue' });
});

after(async () => {
  const total = (Date.now() - tStart) / 1000;
  const counts = { pass: 0, todo: 0, fail: 0, not_run: 0 };
  for (const r of results) {
    counts[r.outcome === 'pass' ? 'pass' : r.outcome.startsWith('todo') ? 'todo' : r.outcome === 'not run' ? 'not_run' : 'fail']++;
  }
  const w = Math.max(...results.map((r) => r.scenario.length));
  const lines = ['', `Reliability catalogue: ${results.length} scenarios, sim speed ${SPEED}, ${total.toFixed(1)} s`,
    `${'scenario'.padEnd(w)}  ${'outcome'.padEnd(18)} ${'time'.padStart(6)}  result`];
  for (const r of results) {
    const d = r.detail;
    const what = r.failure ? r.failure
      : [d.status && `${d.status}${d.retries ? ` after ${d.retries} retr${d.retries === 1 ? 'y' : 'ies'}` : ''}`,
        d.error && `"${d.error.replace(/\s+/g, ' ').slice(0, 90)}${d.error.length > 90 ? '…' : ''}"`, d.summary].filter(Boolean).join(' ');
    lines.push(`${r.scenario.padEnd(w)}  ${r.outcome.padEnd(18)} ${String(r.seconds ?? '-').padStart(5)}s  ${what}`);
  }
  lines.push(`pass ${counts.pass}, todo ${counts.todo}, fail ${counts.fail}${counts.not_run ? `, not run ${counts.not_run}` : ''}`, '');
  console.log(lines.join('\n'));
  fs.mkdirSync(OUT, { recursive: true });
  fs.writeFileSync(path.join(OUT, 'reliability.json'), JSON.stringify({
    generated: new Date().toISOString(), sim_speed: SPEED, total_s: Number(total.toFixed(1)), counts,
    scenarios: results,
  }, null, 2) + '\n');
  await customPage?.context().close();
  await browser?.close();
  await realtimeSim?.close();
  await servers?.close();
});

// ---- [SECTION] HTTP errors before any token ------------------------------------------------
memberScenario('http-401', '401 invalid key', { status: 'failed', retries: 0, error: /HTTP 401.*(invalid API key|credentials)/i });
memberScenario('http-402', '402 out of credits', { status: 'failed', retries: 0, error: /HTTP 402.*(out of credits|insufficient credits)/i });
memberScenario('http-403', '403 moderation', {
  status: 'failed', retries: 0, error: /HTTP 403.*moderation.*violence/i,
  check: (m) => assert.match(m.error, /flagged/i, 'says the input was flagged'),
});
memberScenario('http-408', '408 timeout, retried then given up', { status: 'failed', retries: 2, error: /HTTP 408.*tim(ed|e) ?out/i });
memberScenario('rate-limit-once', '429 with Retry-After: 1, then OK', {
  status: 'done', retries: 1,
  check: async (m, s, { t0, prompt, page: p, detail }) => {
    const run = await exported(p);
    const mem = run.members.find((x) => x.model === 'scenario/rate-limit-once');
    assert.equal(mem.retried_errors[0].http_status, 429, 'the retry was for the 429');
    assert.equal(mem.retried_errors[0].retry_after_s, 1, 'Retry-After was read');
    const calls = logSince(await simLog(), t0, 'scenario/rate-limit-once');
    assert.deepEqual(calls.map((c) => c.status), [429, 200]);
    const gap = Date.parse(calls[1].time) - Date.parse(calls[0].time);
    assert.ok(gap >= 950, `waited for Retry-After before retrying (${gap} ms)`);
    detail.summary = `retried after ${gap} ms`;
    await assertExactText(p, 'scenario/rate-limit-once', prompt);
  },
});
memberScenario('http-500', '500 internal error', { status: 'failed', retries: 2, error: /HTTP 500.*internal server error/i });
memberScenario('http-502', '502 provider error', { status: 'failed', retries: 2, error: /HTTP 502.*(model down|provider returned error)/i });
memberScenario('http-503', '503 overloaded with Retry-After: 2', {
  status: 'failed', retries: 2, error: /HTTP 503.*(no provider available|overloaded)/i,
  check: async (m, s, { t0, detail }) => {
    const calls = logSince(await simLog(), t0, 'scenario/http-503');
    assert.equal(calls.length, 3, 'first try + 2 retries');
    const gaps = calls.slice(1).map((c, i) => Date.parse(c.time) - Date.parse(calls[i].time));
    for (const g of gaps) assert.ok(g >= 1950, `Retry-After: 2 honoured (${gaps.join(', ')} ms)`);
    detail.summary = `retry gaps ${gaps.join('/')} ms`;
  },
});
memberScenario('html-error', '502 with an HTML error page', {
  status: 'failed', retries: 2, error: /HTTP 502.*HTML page.*502 Bad Gateway/i,
  check: (m) => assert.ok(m.error.length < 300, 'the page is summarised, not pasted'),
});

// ---- [SECTION] Network-level failures ------------------------------------------------------
memberScenario('hang', 'accepts the request, never answers (idle timeout 3 s)', {
  status: 'timed out', retries: 0, error: /idle timeout|no data/i, opts: { idle_timeout_s: 3 },
  check: async (m, s, { page: p, detail }) => {
    const mem = (await exported(p)).members.find((x) => x.model === 'scenario/hang');
    const waited = mem.t_end - mem.t_start;
    assert.ok(waited >= 2.9 && waited < 8, `gave up after the idle limit (${waited.toFixed(1)} s)`);
    detail.summary = `gave up after ${waited.toFixed(1)} s`;
  },
});
memberScenario('no-cors', 'answers without CORS headers', {
  status: 'failed', retries: 0, error: /CORS/,
  check: (m) => assert.match(m.error, /\/chat\/completions/, 'names the URL'),
});

// ---- [SECTION] Stream shapes ---------------------------------------------------------------
{
  // At speed S the simulator sends 20 s / S of comment-only keep-alives; the idle limit is
  // set below that period (but above the comment interval), so only comments keep it alive.
  const commentOnly = 20 / SPEED, interval = 2 / SPEED;
  const idle = Math.min(5, Math.max(interval * 4, commentOnly * 0.8));
  memberScenario('keepalive-20s', `20 s of keep-alive comments (sim speed ${SPEED}: ${commentOnly} s, idle limit ${idle} s)`, {
    status: 'done', retries: 0, opts: { idle_timeout_s: idle },
    check: async (m, s, { page: p, prompt, detail }) => {
      assert.ok(commentOnly > idle, 'the comment-only period is longer than the idle limit');
      const { run } = await assertExactText(p, 'scenario/keepalive-20s', prompt);
      const mem = run.members.find((x) => x.model === 'scenario/keepalive-20s');
      const silent = mem.t_first_token - mem.t_start;
      assert.ok(silent >= commentOnly * 0.95, `first token only after the comments (${silent.toFixed(2)} s)`);
      detail.summary = `${silent.toFixed(1)} s of comments only, idle limit ${idle} s`;
    },
  });
}
memberScenario('utf8-split', 'multi-byte UTF-8 split across network writes', {
  status: 'done', retries: 0,
  check: async (m, s, { page: p, prompt, detail }) => {
    const { got } = await assertExactText(p, 'scenario/utf8-split', prompt, { suffix: '\n\n' + demo.UNICODE_LINE, detail });
    for (const ch of ['café', '—', 'Ж', '你好', '😀', '…', '“quoted”', '€42']) assert.ok(got.includes(ch), `kept ${ch}`);
    assert.ok(!got.includes('\uFFFD'), 'no replacement characters');
    assert.equal(m.chars, Buffer.byteLength(got), 'byte count matches');
    detail.summary = 'Unicode line intact';
  },
});
memberScenario('crlf', 'CRLF line endings', {
  status: 'done', retries: 0,
  check: async (m, s, { page: p, prompt, detail }) => {
    const { got } = await assertExactText(p, 'scenario/crlf', prompt, { detail });
    assert.ok(!got.includes('\r'), 'no stray carriage returns');
    detail.summary = 'text intact';
  },
});
memberScenario('midstream-error', 'error event after some content', {
  status: 'failed', retries: 0, error: /mid-stream.*(upstream|disconnect)/i,
  check: async (m, s, { page: p, prompt, detail }) => {
    assert.ok(m.chars > 0, 'partial text kept');
    const want = demo.buildAnswer(personaForModel('scenario/midstream-error'), prompt).text;
    const got = (await exported(p)).members.find((x) => x.model === 'scenario/midstream-error').content;
    assert.ok(got.length < want.length && want.startsWith(got), 'the kept text is exactly what arrived before the error');
    detail.summary = `${got.length} of ${want.length} chars kept`;
  },
});
memberScenario('empty', 'empty answer', { status: 'failed', retries: 0, error: /empty/i });
memberScenario('huge', 'about 1 MB answer', {
  status: 'done', retries: 0, timeout: 90000,
  check: async (m, s, { page: p, prompt, detail }) => {
    assert.ok(m.chars > 1e6 && m.chars < 1.2e6, `about 1 MB kept (${m.chars})`);
    await assertExactText(p, 'scenario/huge', prompt, { huge: true, detail });
    detail.summary = `${m.chars} bytes kept in full`;
  },
});
memberScenario('bad-json-chunk', 'one malformed data line', {
  status: 'done', retries: 0,
  check: async (m, s, { page: p, prompt, detail }) => {
    const { got } = await assertExactText(p, 'scenario/bad-json-chunk', prompt);
    assert.ok(!got.includes('oops'), 'the malformed event is skipped');
    detail.summary = 'bad line skipped, rest intact';
  },
});
memberScenario('no-done', 'stream ends without [DONE]', {
  status: 'done', retries: 0,
  check: async (m, s, { page: p, prompt, detail }) => {
    await assertExactText(p, 'scenario/no-done', prompt);
    detail.summary = 'answer kept as complete';
  },
});
// An answer that is not whole is kept, judged and marked: on its card, in the state, in the
// export (finish_reason / unterminated), and it is never the one shown when there is no synthesis.
async function assertIncomplete(p, m, model, prompt, why, detail) {
  assert.match(m.incomplete, why, `the card says why the answer is incomplete (${m.incomplete})`);
  const r = await api(p, { cmd: 'rect', name: `card.${m.label.charCodeAt(0) - 65}.incomplete` });
  assert.ok(!r.error && r.w > 0, 'the "Incomplete" line is on the card');
  const { run } = await assertExactText(p, model, prompt, { cut: true, detail });
  return run.members.find((x) => x.model === model);
}
memberScenario('length', 'stops mid-way at the token limit (finish_reason "length")', {
  status: 'done', retries: 0,
  check: async (m, s, { page: p, prompt, detail, model }) => {
    const mem = await assertIncomplete(p, m, model, prompt, /token limit/, detail);
    assert.equal(mem.finish_reason, 'length');
    detail.summary = `kept ${mem.content.length} chars, marked "cut off at the model's token limit"`;
  },
});
memberScenario('cut-stream', 'half the answer, then the response ends with no finish reason and no [DONE]', {
  status: 'done', retries: 0,
  check: async (m, s, { page: p, prompt, detail, model }) => {
    const mem = await assertIncomplete(p, m, model, prompt, /may be cut short/, detail);
    assert.equal(mem.unterminated, true);
    detail.summary = `kept ${mem.content.length} chars, marked "may be cut short"`;
  },
});
// The connection breaks mid-answer (the browser's reader fails): what arrived is the answer,
// marked cut short, and never reported as "blocked by CORS".
memberScenario('reset-stream', 'half the answer, then the connection drops', {
  status: 'done', retries: 0,
  check: async (m, s, { page: p, prompt, detail, model }) => {
    const mem = await assertIncomplete(p, m, model, prompt, /connection was lost mid-answer/, detail);
    assert.doesNotMatch(m.incomplete, /CORS/);
    detail.summary = `kept ${mem.content.length} chars, marked "${m.incomplete.slice(0, 60)}…"`;
  },
});
// OpenRouter can send a rate limit as an error event inside a 200 stream: retried like a 429.
memberScenario('rate-limit-in-stream-once', 'a 429 error event in a 200 stream, then OK', {
  status: 'done', retries: 1,
  check: async (m, s, { t0, prompt, page: p, detail }) => {
    const run = await exported(p);
    const mem = run.members.find((x) => x.model === 'scenario/rate-limit-in-stream-once');
    assert.equal(mem.retried_errors[0].id, 'sse.midstream', 'the retry was for the error event');
    const calls = logSince(await simLog(), t0, 'scenario/rate-limit-in-stream-once');
    assert.equal(calls.length, 2);
    detail.summary = 'retried once, then answered';
    await assertExactText(p, 'scenario/rate-limit-in-stream-once', prompt);
  },
});
// No usage at all: the card and the total never say $0 for a call whose cost nobody reported.
memberScenario('no-usage', 'a whole answer with no usage at all', {
  status: 'done', retries: 0,
  check: async (m, s, { page: p, prompt, detail, model }) => {
    await assertExactText(p, model, prompt);
    assert.equal(m.usage_unreported, true, 'the member is known to have reported no usage');
    assert.equal(s.usage_unreported_calls, 1, 'the run counts one call with unknown cost');
    const r = await api(p, { cmd: 'rect', name: 'summary.cost_unreported' });
    assert.ok(!r.error && r.w > 0, 'the cost line says a call reported no usage');
    detail.summary = 'card: "tokens and cost not reported by the provider"; total: "+ 1 call of unknown cost"';
  },
});
// The idle limit is 60 s: a client that waited for the connection's end would still be waiting.
memberScenario('open-after-done', '[DONE], then the connection held open', {
  status: 'done', retries: 0, timeout: 20000,
  check: async (m, s, { t0, prompt, page: p, detail, seconds }) => {
    await assertExactText(p, 'scenario/open-after-done', prompt);
    // The held request is let go two seconds after its [DONE]: it holds no connection for ever.
    let held;
    for (let i = 0; i < 50; i++) {
      held = logSince(await simLog(), t0, 'scenario/open-after-done')[0];
      if (held && held.outcome !== 'pending') break;
      await p.waitForTimeout(100);
    }
    assert.equal(held?.outcome, 'client-closed', 'the held-open request was released by the client');
    detail.summary = `answer taken at [DONE] (run ${seconds.toFixed(1)} s); the held connection released after ${(held.ms / 1000).toFixed(1)} s`;
  },
});

// ---- [SECTION] Judge failures --------------------------------------------------------------
function judgeScenario(id, title, judges, check, extra = {}) {
  scenario(id, title, async (p, detail) => {
    const { s } = await runScenario(p, { panel: [...PANEL, 'demo/cirrus'], judges });
    note(detail, s, null);
    Object.assign(detail, { judges: s.judges, has_analysis: s.has_analysis, final_note: s.final_note });
    assert.equal(s.stage, 'done', `run completed (error: ${s.error})`);
    assert.deepEqual(s.members.map((m) => m.status), ['done', 'done', 'done']);
    assert.deepEqual(s.judged, ['A', 'B', 'C']);
    assert.ok(s.final_answer.length > 100, 'there is a final answer');
    if (SHOTS.has(id)) await shot(p, `reliability-${id}`);
    await check(s, detail);
    await assertHistoryKeeps(p, s);
  }, extra);
}
judgeScenario('judge-fenced', 'judge wraps its JSON in ```json fences with prose', ['scenario/judge-fenced'], (s, d) => {
  assert.equal(s.judges[0].status, 'done');
  assert.equal(s.has_analysis, true, 'the fenced JSON was read');
  assert.ok(s.consensus >= 1 && s.contradictions >= 1, 'analysis has content');
  assert.equal(s.final_note, '', 'no fallback needed');
  d.summary = `analysis read (${s.consensus} consensus, ${s.contradictions} contradictions)`;
});
judgeScenario('judge-truncated', 'judge JSON cut off near the end', ['scenario/judge-truncated'], (s, d) => {
  assert.equal(s.judges[0].status, 'done');
  assert.equal(s.has_analysis, true, 'the truncated JSON was repaired');
  assert.ok(s.consensus >= 1, 'analysis has content');
  assert.match(s.analysis_note, /cut off\. Recovered: .* Lost: /, 'and it says what was lost');
  assert.equal(s.final_note, '', 'no fallback needed');
  d.summary = `repaired, named as partial: "${s.analysis_note.slice(0, 70)}…"`;
});
judgeScenario('writer-json', 'writer replies with the analysis JSON', ['scenario/writer-json'], (s, d) => {
  assert.ok(!s.final_answer.trimStart().startsWith('{'), 'the answer shown is not JSON');
  assert.match(s.final_note, /JSON/, 'and the note says it came out of JSON');
  d.summary = `answer read from its final_answer field: "${s.final_note.slice(0, 60)}…"`;
});
judgeScenario('writer-one-token', 'writer replies with one word (no fallback writer)', ['scenario/writer-one-token'], (s, d) => {
  assert.notEqual(s.final_answer.trim(), 'Yes', 'a one-word reply is not shown as the answer');
  assert.match(s.final_note, /No writer gave a usable final answer/);
  assert.equal(s.writer_attempts, 0, 'the only writer is the last call');
  d.summary = `best member shown: "${s.final_note.slice(0, 70)}…"`;
});
judgeScenario('judge-ghost-label', 'judge cites a Response D it was never shown', ['scenario/judge-ghost-label'], (s, d) => {
  assert.equal(s.has_analysis, true);
  assert.match(s.analysis_note, /Response D, which it was not shown/);
  assert.deepEqual(s.judged, ['A', 'B', 'C']);
  d.summary = s.analysis_note;
});
judgeScenario('judge-not-json', 'judge answers in prose only (no fallback judge)', ['scenario/judge-not-json'], (s, d) => {
  assert.equal(s.judges[0].status, 'failed');
  assertClearError(s.judges[0].error, /judge.*(could not be read|no JSON)/i, 'judge');
  assert.equal(s.has_analysis, false);
  assert.match(s.final_note, /no synthesis|judge/i, 'the fallback answer is explained');
  d.summary = `fallback: "${s.final_note.slice(0, 80)}…"`;
});
judgeScenario('judge-500', 'judge 500, fallback judge used', ['scenario/judge-500', JUDGE], (s, d) => {
  assert.equal(s.judges.length, 2);
  assert.equal(s.judges[0].status, 'failed');
  assertClearError(s.judges[0].error, /HTTP 500/, 'judge');
  assert.equal(s.judges[1].model, JUDGE);
  assert.equal(s.judges[1].status, 'done', 'fallback judge answered');
  assert.equal(s.has_analysis, true);
  d.summary = 'fallback judge wrote the analysis';
});

judgeScenario('judge-500-only', 'the only judge fails with 500: fallback answer says why', ['scenario/judge-500'], (s, d) => {
  assert.equal(s.judges.length, 1);
  assert.equal(s.judges[0].status, 'failed');
  assertClearError(s.judges[0].error, /HTTP 500/, 'judge');
  assert.equal(s.has_analysis, false);
  assert.match(s.final_note, /no synthesis/i, 'the fallback answer is marked');
  d.summary = `fallback: "${s.final_note.slice(0, 60)}…"`;
  // The judge panel draws the error of every judge but the last one, and this note is the
  // only explanation on screen: it has to carry the judge's reason.
  assertClearError(s.final_note, /HTTP 500|Internal Server Error/i, 'fallback note');
});

// ---- [SECTION] Every member failing --------------------------------------------------------
function assertAllFailed(s, t0, entries) {
  assert.equal(s.stage, 'failed');
  assert.equal(s.judges.length, 0, 'no judge call');
  assert.equal(logSince(entries, t0, JUDGE).length, 0, 'the simulator saw no judge request');
  assert.match(s.error, /every panel member failed/i);
  for (const m of s.members) {
    assert.notEqual(m.status, 'done');
    assert.ok(s.error.includes(`${m.label} (${m.model}): ${m.error}`), `the run message lists ${m.label}'s reason`);
  }
  assert.equal(s.final_answer, '');
}
scenario('all-fail', 'every member fails (401, 402, 403): clear message, no judge call', async (p, detail) => {
  const { s, t0 } = await runScenario(p, { panel: ['scenario/http-401', 'scenario/http-402', 'scenario/http-403'], opts: { max_retries: 0 } });
  note(detail, s, null);
  detail.error = s.error;
  for (const m of s.members) assertClearError(m.error, /HTTP 40[123]/, m.model);
  assertAllFailed(s, t0, await simLog());
  await shot(p, 'reliability-all-failed');
  await assertHistoryKeeps(p, s);
});
scenario('refused-all', 'demo provider on a closed port: every member refused', async (p, detail) => {
  const dead = `http://127.0.0.1:${closedPort}/api/v1`;
  const { s, t0 } = await runScenario(p, { panel: [...PANEL, 'demo/cirrus'], opts: { demo_base: dead } });
  note(detail, s, null);
  detail.error = s.error;
  for (const m of s.members) {
    assert.equal(m.status, 'failed');
    assertClearError(m.error, /unreachable/i, m.model);
    assert.ok(m.error.includes(`127.0.0.1:${closedPort}`), 'names the address');
  }
  assertAllFailed(s, t0, await simLog());
  await assertHistoryKeeps(p, s);
});

// ---- [SECTION] Custom endpoints: a page whose stored settings put one member on another base URL ----
// The window API puts every member on one endpoint, so these runs load settings with custom
// endpoints from localStorage (exactly what the Setup panel saves) and reload the app.
async function openWithSettings(settings) {
  if (!customPage) {
    const context = await browser.newContext({ deviceScaleFactor: 1, viewport: { width: 1440, height: 900 } });
    customPage = await context.newPage();
    customPage.errors = [];
    customPage.on('console', (m) => { if (m.type() === 'error') customPage.errors.push(m.text()); });
    customPage.on('pageerror', (e) => customPage.errors.push(String(e)));
  }
  await customPage.goto(new URL('/__blank__', servers.site.url).href); // same origin, not the app: storage first
  await customPage.evaluate((t) => localStorage.setItem('concord.settings', t), JSON.stringify(settings));
  await customPage.goto(servers.site.url + '#demo=' + encodeURIComponent(demoBase()));
  await customPage.bringToFront();
  await customPage.waitForFunction(() => document.body.getAttribute('data-ready') === '1', null, { timeout: 30000 });
  await waitState(customPage, (s) => s.catalogue > 0, { what: 'catalogue' });
  return customPage;
}
const ref = (endpoint, model) => ({ endpoint, model, temperature: -1 });
const customSettings = (first) => ({
  version: 1, force_demo: true, demo_base: demoBase(), idle_timeout_s: 60, total_timeout_s: 300, max_retries: 2, search: 0,
  custom: [
    { id: 'offline', base_url: `http://127.0.0.1:${closedPort}/api/v1`, kind: 'openrouter' },
    { id: 'realtime', base_url: realtimeSim.url + '/api/v1', kind: 'openrouter' },
  ],
  panel: [first, ref('demo', PANEL[0]), ref('demo', PANEL[1])], judges: [ref('demo', JUDGE)],
});

scenario('refused', 'one member on a closed loopback port (connection refused)', async (p, detail) => {
  await openWithSettings(customSettings(ref('offline', 'demo/cirrus')));
  const { s } = await runScenario(customPage, { configure: false });
  const [, m] = memberOf(s, 'demo/cirrus');
  note(detail, s, m);
  assert.equal(m.endpoint, 'offline');
  assert.equal(m.status, 'failed');
  assert.equal(m.retries, 0);
  assertClearError(m.error, /unreachable/i, 'refused member');
  assert.ok(m.error.includes(`127.0.0.1:${closedPort}`), 'names the address');
  assertFused(s, { failedLabels: [m.label] });
  await shot(customPage, 'reliability-refused');
  await assertHistoryKeeps(customPage, s);
}, { p: () => null });

scenario('keepalive-20s-realtime', '20 s of keep-alive comments in real time (idle limit 5 s)', async (p, detail) => {
  await openWithSettings(customSettings(ref('realtime', 'scenario/keepalive-20s')));
  const { s, prompt } = await runScenario(customPage, { configure: false, opts: { idle_timeout_s: 5 }, timeout: 90000 });
  const [, m] = memberOf(s, 'scenario/keepalive-20s');
  note(detail, s, m);
  assert.equal(m.endpoint, 'realtime');
  assert.equal(m.status, 'done', `kept alive by comments (error: ${m.error})`);
  assertFused(s);
  assert.ok(s.judged.includes(m.label));
  const { run } = await assertExactText(customPage, 'scenario/keepalive-20s', prompt);
  const mem = run.members.find((x) => x.model === 'scenario/keepalive-20s');
  const silent = mem.t_first_token - mem.t_start;
  assert.ok(silent >= 20, `first token after 20 s of comments (${silent.toFixed(1)} s)`);
  detail.summary = `${silent.toFixed(1)} s of comments only, idle limit 5 s`;
  await assertHistoryKeeps(customPage, s);
}, { p: () => null });
