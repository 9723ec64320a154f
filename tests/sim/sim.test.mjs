// Tests for the provider simulator and the static server: node --test tests/sim/
//
// Index of this file:
// [SECTION] helpers
// [SECTION] catalogue, key, CORS
// [SECTION] streaming and plain answers
// [SECTION] judge
// [SECTION] error scenarios
// [SECTION] search, log, health
// [SECTION] loopback only
// [SECTION] static server
// [SECTION] OAuth PKCE ("Connect OpenRouter")
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import http from 'node:http';
import http2 from 'node:http2';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn, execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';

import { startSim, SCENARIOS, isLoopbackHost, cutMidway, personaForModel } from '../../scripts/sim/provider-sim.mjs';
import { startStatic } from '../../scripts/serve.mjs';
import { DISCLAIMER, PERSONAS, buildAnswer } from '../../web/demo/script.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const FAST = 200; // sim speed for most tests

let sim, base;
before(async () => {
  sim = await startSim({ port: 0, speed: FAST });
  base = `http://127.0.0.1:${sim.port}`;
});
after(async () => { await sim?.close(); });

// ---- [SECTION] helpers ---------------------------------------------------------------------
function chat(body, { headers = {}, prefix = '', signal } = {}) {
  return fetch(`${base}${prefix}/api/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
    signal,
  });
}

const user = (content) => [{ role: 'user', content }];

// Minimal SSE parser: returns events (data strings), comment count, raw text.
function parseSse(raw) {
  const events = [];
  let comments = 0;
  for (const block of raw.split(/\r?\n\r?\n/)) {
    const data = [];
    for (const line of block.split(/\r?\n/)) {
      if (line.startsWith(':')) comments++;
      else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
    }
    if (data.length) events.push(data.join('\n'));
  }
  return { events, comments, raw };
}

async function streamChat(body, opts) {
  const res = await chat({ stream: true, ...body }, opts);
  const raw = await res.text();
  const sse = parseSse(raw);
  const chunks = [];
  let bad = 0;
  for (const e of sse.events) {
    if (e === '[DONE]') continue;
    try { chunks.push(JSON.parse(e)); } catch { bad++; }
  }
  const content = chunks.map((c) => c.choices?.[0]?.delta?.content ?? '').join('');
  return { res, ...sse, chunks, bad, content, done: sse.events[sse.events.length - 1] === '[DONE]' };
}

async function plainChat(body, opts) {
  const res = await chat({ stream: false, ...body }, opts);
  return { res, json: await res.json() };
}

// Mirrors the shape of Concord's judge prompt (src/core/judge.cpp): the opening sentence,
// the two-phase instruction, "Question:" then "Answers:" then the response blocks. The wording
// does not make a request the judge's: the request says so, by stating its role (AS_JUDGE,
// as Concord tells a demo endpoint) or by asking for structured output (ANALYSIS_FORMAT, as
// Concord's judge asks OpenRouter).
function judgeMessages(question, answers, { twoPhase = false, phrase } = {}) {
  const labels = answers.map((_, i) => String.fromCharCode(65 + i));
  let sys = 'You are the judge of a panel of AI models. Several models answered the same question independently. ' +
    'Their answers are shown anonymised as Response A, Response B, and so on. Compare them carefully and write a structured analysis.\n\n' +
    `Rules:\n- Refer to a model only by its response label: ${labels.map((l) => `"${l}"`).join(', ')}.\n` +
    '- consensus: claims that two or more responses make.\n';
  if (twoPhase) sys += phrase ?? '- final_answer: set it to the empty string "". The final answer is written in a separate step.\n';
  else sys += '- final_answer: the best possible answer to the question, in markdown, written for the user.\n';
  sys += '\nOutput ONLY one JSON object that matches the JSON Schema below.\n\nJSON Schema:\n{"type":"object","properties":{"final_answer":{"type":"string"}}}\n';
  const blocks = answers.map((a, i) => `=== Response ${labels[i]} ===\n${a}`).join('\n\n');
  return [{ role: 'system', content: sys }, { role: 'user', content: `Question:\n${question}\n\nAnswers:\n\n${blocks}` }];
}

const ANALYSIS_FORMAT = { type: 'json_schema', json_schema: { name: 'analysis', strict: true,
  schema: { type: 'object', properties: { final_answer: { type: 'string' } }, required: ['final_answer'] } } };
const stated = (role, twoPhase) => ({ concord_demo: { call: twoPhase === undefined ? { role } : { role, two_phase: twoPhase } } });

async function panel(question, models) {
  const out = [];
  for (const m of models) {
    const { json } = await plainChat({ model: m, messages: user(question) });
    out.push(json.choices[0].message.content);
  }
  return out;
}

function rawGet(port, p) {
  return new Promise((resolve, reject) => {
    http.get({ host: '127.0.0.1', port, path: p }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks).toString() }));
    }).on('error', reject);
  });
}

// ---- [SECTION] catalogue, key, CORS --------------------------------------------------------
test('models list has OpenRouter shape and all required ids', async () => {
  const res = await fetch(`${base}/api/v1/models`);
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('access-control-allow-origin'), '*');
  const { data } = await res.json();
  assert.ok(Array.isArray(data));
  const ids = new Set(data.map((m) => m.id));
  for (const id of ['demo/atlas', 'demo/borealis', 'demo/cirrus', 'demo/dune', 'demo/ember', 'demo/judge',
    'google/gemini-3-flash-preview', 'moonshotai/kimi-k2.6', 'deepseek/deepseek-v4-pro', 'openai/gpt-5.2',
    'anthropic/claude-opus-4.6', 'anthropic/claude-sonnet-4.6', 'google/gemini-3-pro-preview',
    'x-ai/grok-4.1-fast', 'meta-llama/llama-4-maverick', 'openai/gpt-5-mini',
    ...SCENARIOS.map((s) => `scenario/${s}`)]) {
    assert.ok(ids.has(id), `missing ${id}`);
  }
  for (const m of data) {
    assert.equal(typeof m.name, 'string');
    assert.equal(typeof m.created, 'number');
    assert.equal(typeof m.description, 'string');
    assert.equal(typeof m.context_length, 'number');
    for (const k of ['prompt', 'completion', 'request', 'image', 'web_search', 'internal_reasoning']) {
      assert.equal(typeof m.pricing[k], 'string', `${m.id} pricing.${k}`);
      assert.ok(Number.isFinite(Number(m.pricing[k])));
    }
    assert.ok(Number(m.pricing.prompt) > 0 && Number(m.pricing.prompt) < 0.0001);
    assert.deepEqual(m.architecture.input_modalities, ['text']);
    assert.deepEqual(m.architecture.output_modalities, ['text']);
    assert.equal(typeof m.top_provider.context_length, 'number');
    assert.equal(typeof m.top_provider.max_completion_tokens, 'number');
    assert.equal(typeof m.top_provider.is_moderated, 'boolean');
    for (const p of ['response_format', 'tools', 'temperature', 'max_tokens']) assert.ok(m.supported_parameters.includes(p));
  }
  const noSo = data.filter((m) => !m.supported_parameters.includes('structured_outputs'));
  assert.ok(noSo.length >= 1 && noSo.length < data.length);
  assert.ok(data.find((m) => m.id === 'demo/atlas').name.includes('Atlas'));

  const filtered = await (await fetch(`${base}/api/v1/models?supported_parameters=structured_outputs`)).json();
  assert.equal(filtered.data.length, data.length - noSo.length);
});

test('key endpoint: no key (demo), a key, and a bad key', async () => {
  const demo = await fetch(`${base}/api/v1/key`);
  assert.equal(demo.status, 200);
  const k = await fetch(`${base}/api/v1/key`, { headers: { authorization: 'Bearer sk-or-v1-good' } });
  assert.equal(k.status, 200);
  assert.deepEqual((await k.json()).data, { label: 'sim key', usage: 0.42, limit: 10, limit_remaining: 9.58, is_free_tier: false });
  const bad = await fetch(`${base}/api/v1/key`, { headers: { authorization: 'Bearer sk-bad' } });
  assert.equal(bad.status, 401);
  assert.deepEqual(await bad.json(), { error: { code: 401, message: 'No auth credentials found' } });
  assert.equal(bad.headers.get('access-control-allow-origin'), '*');
});

test('CORS preflight', async () => {
  const res = await fetch(`${base}/api/v1/chat/completions`, {
    method: 'OPTIONS',
    headers: { origin: 'https://example.github.io', 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type' },
  });
  assert.equal(res.status, 204);
  assert.equal(res.headers.get('access-control-allow-origin'), '*');
  assert.match(res.headers.get('access-control-allow-methods'), /GET/);
  assert.match(res.headers.get('access-control-allow-methods'), /POST/);
  assert.match(res.headers.get('access-control-allow-methods'), /OPTIONS/);
  const allowed = res.headers.get('access-control-allow-headers').split(',').map((s) => s.trim());
  for (const h of ['authorization', 'content-type', 'http-referer', 'x-openrouter-title', 'x-title', 'anthropic-version', 'x-api-key', 'anthropic-dangerous-direct-browser-access']) {
    assert.ok(allowed.includes(h), h);
  }
  assert.equal(res.headers.get('access-control-expose-headers'), 'x-generation-id, retry-after');
  assert.equal(res.headers.get('access-control-max-age'), '600');
});

test('no-cors: answers without any Access-Control-* headers', async () => {
  const { res, json } = await plainChat({ model: 'scenario/no-cors', messages: user('hi') });
  assert.equal(res.status, 200);
  assert.ok(json.choices[0].message.content.startsWith(DISCLAIMER));
  for (const [k] of res.headers) assert.ok(!k.startsWith('access-control-'), k);
  const pre = await fetch(`${base}/no-cors/api/v1/chat/completions`, { method: 'OPTIONS' });
  assert.equal(pre.status, 204);
  for (const [k] of pre.headers) assert.ok(!k.startsWith('access-control-'), k);
  const s = await streamChat({ model: 'scenario/no-cors', messages: user('hi') });
  assert.equal(s.res.headers.get('access-control-allow-origin'), null);
  assert.ok(s.done);
});

// ---- [SECTION] streaming and plain answers -------------------------------------------------
test('streaming a demo answer: comments, chunks, usage with cost, [DONE]', async () => {
  const s = await streamChat({ model: 'demo/atlas', messages: user('Is coffee bad for my health?') });
  assert.equal(s.res.status, 200);
  assert.match(s.res.headers.get('content-type'), /^text\/event-stream/);
  assert.match(s.res.headers.get('x-generation-id'), /^gen-/);
  assert.equal(s.res.headers.get('access-control-allow-origin'), '*');
  assert.match(s.res.headers.get('access-control-expose-headers'), /x-generation-id/);
  assert.ok(s.comments >= 1);
  assert.ok(s.raw.startsWith(': OPENROUTER PROCESSING\n\n'));
  assert.equal(s.bad, 0);
  assert.ok(s.done);
  assert.ok(s.chunks.length > 20, 'streamed in many small chunks');
  const first = s.chunks[0];
  assert.equal(first.object, 'chat.completion.chunk');
  assert.equal(first.model, 'demo/atlas');
  assert.equal(first.provider, 'Concord Sim');
  assert.equal(first.choices[0].delta.role, 'assistant');
  assert.equal(first.id, s.res.headers.get('x-generation-id'));
  const last = s.chunks[s.chunks.length - 1];
  assert.equal(last.choices[0].finish_reason, 'stop');
  const u = last.usage;
  assert.ok(u.prompt_tokens > 0 && u.completion_tokens > 0);
  assert.equal(u.total_tokens, u.prompt_tokens + u.completion_tokens);
  assert.ok(u.cost > 0);
  assert.equal(u.cost_details.upstream_inference_cost, u.cost);
  assert.equal(typeof u.completion_tokens_details.reasoning_tokens, 'number');
  assert.equal(u.prompt_tokens_details.cached_tokens, 0);
  assert.equal(u.server_tool_use.web_search_requests, 0);
  assert.equal(s.chunks.filter((c) => c.usage).length, 1, 'usage only in the last chunk');
  assert.ok(s.content.startsWith(DISCLAIMER + '\n'));
  assert.ok(s.content.includes('CYP1A2'), 'coffee topic');
  const words = s.content.split(/\s+/).length;
  assert.ok(words >= 150 && words <= 400, `words=${words}`);
});

test('non-streaming answer and prompt-dependent content', async () => {
  const { res, json } = await plainChat({ model: 'demo/cirrus', messages: user('Should I pick Rust or C++ for a new project?') });
  assert.equal(res.status, 200);
  assert.match(res.headers.get('x-generation-id'), /^gen-/);
  assert.equal(json.object, 'chat.completion');
  const msg = json.choices[0].message;
  assert.equal(msg.role, 'assistant');
  assert.ok(msg.content.includes('wasm-bindgen'));
  assert.equal(json.choices[0].finish_reason, 'stop');
  assert.ok(json.usage.cost > 0);

  const q = 'Should I learn the piano or the guitar first?';
  const g = await plainChat({ model: 'demo/ember', messages: user(q) });
  const lines = g.json.choices[0].message.content.split('\n').filter(Boolean);
  assert.equal(lines[0], DISCLAIMER);
  assert.ok(lines[1].includes(q), 'generic answer restates the question');
});

test('any catalogue model answers with a persona; the budget panel gets three different ones', async () => {
  const ids = ['google/gemini-3-flash-preview', 'moonshotai/kimi-k2.6', 'deepseek/deepseek-v4-pro'];
  const answers = await panel('Is remote work more productive?', ids);
  const sigs = answers.map((a) => Object.values(PERSONAS).find((p) => a.includes(p.signature))?.id);
  assert.ok(sigs.every(Boolean));
  assert.equal(new Set(sigs).size, 3);
  const unknown = await plainChat({ model: 'some-lab/unlisted-model', messages: user('hello') });
  assert.equal(unknown.res.status, 200);
});

test('web plugin: url_citation annotations in a late chunk and web_search_requests 1', async () => {
  const s = await streamChat({ model: 'demo/dune', messages: user('Is coffee healthy?'), plugins: [{ id: 'web', max_results: 5 }] });
  const withAnn = s.chunks.filter((c) => c.choices?.[0]?.delta?.annotations);
  assert.equal(withAnn.length, 1);
  assert.ok(s.chunks.indexOf(withAnn[0]) > s.chunks.length / 2);
  const anns = withAnn[0].choices[0].delta.annotations;
  assert.ok(anns.length >= 1);
  for (const a of anns) {
    assert.equal(a.type, 'url_citation');
    assert.match(a.url_citation.url, /^https:\/\/example\.org\//);
    for (const k of ['title', 'content']) assert.equal(typeof a.url_citation[k], 'string');
    assert.ok(a.url_citation.start_index >= 0 && a.url_citation.end_index > a.url_citation.start_index);
    assert.ok(a.url_citation.end_index <= s.content.length);
  }
  assert.equal(s.chunks.at(-1).usage.server_tool_use.web_search_requests, 1);
  const p = await plainChat({ model: 'demo/dune', messages: user('Is coffee healthy?'), plugins: [{ id: 'web' }] });
  assert.equal(p.json.choices[0].message.annotations.length, anns.length);
});

test('speed scaling: sim_speed body field, x-sim-speed header, invalid speed rejected', async () => {
  const body = { model: 'demo/atlas', messages: user('hello there') };
  let t = Date.now();
  await streamChat({ ...body, sim_speed: 10 });
  const slow = Date.now() - t;
  t = Date.now();
  await streamChat(body, { headers: { 'x-sim-speed': '100' } });
  const fast = Date.now() - t;
  assert.ok(slow > 3 * fast, `slow=${slow}ms fast=${fast}ms`);
  assert.ok(slow > 250, `speed 10 should take a while (${slow}ms)`);
  const bad = await chat({ ...body, sim_speed: 0 });
  assert.equal(bad.status, 400);
  const bad2 = await chat(body, { headers: { 'x-sim-speed': 'abc' } });
  assert.equal(bad2.status, 400);
});

test('slow scenario is about 10x slower than ok', async () => {
  let t = Date.now();
  await streamChat({ model: 'scenario/ok', messages: user('hi'), sim_speed: 100 });
  const ok = Date.now() - t;
  t = Date.now();
  await streamChat({ model: 'scenario/slow', messages: user('hi'), sim_speed: 100 });
  const slow = Date.now() - t;
  assert.ok(slow > 3 * ok, `ok=${ok} slow=${slow}`);
});

test('fixed latency: model@ms suffix, body field and header; timings in the log', async () => {
  const since = Math.max(0, ...(await (await fetch(`${base}/__sim/log`)).json()).entries.map((e) => e.seq));
  // The suffix wins over the speed and the answer length; the content is the base model's.
  let t = performance.now();
  const s = await streamChat({ model: 'demo/borealis@300', messages: user('Is coffee healthy?') });
  const took = performance.now() - t;
  assert.ok(took >= 295 && took < 600, `took ${took}ms for a 300 ms budget`);
  assert.ok(s.done && s.content.includes(DISCLAIMER));
  assert.equal(s.chunks[0].model, 'demo/borealis@300');
  t = performance.now();
  await streamChat({ model: 'demo/atlas', messages: user('hi'), sim_latency_ms: 120 }, { headers: { 'x-sim-speed': '0.01' } });
  assert.ok(performance.now() - t < 600, 'sim_latency_ms overrides a very slow speed');
  t = performance.now();
  const p = await plainChat({ model: 'demo/cirrus', messages: user('hi') }, { headers: { 'x-sim-latency-ms': '150' } });
  assert.ok(performance.now() - t >= 145 && p.json.choices[0].message.content.length > 100);
  assert.equal((await chat({ model: 'demo/atlas', messages: user('hi'), sim_latency_ms: -1 })).status, 400);
  const log = await (await fetch(`${base}/__sim/log?since=${since}`)).json();
  assert.ok(log.entries.every((e) => e.seq > since));
  const e = log.entries.find((x) => x.model === 'demo/borealis@300');
  assert.equal(e.fixed_ms, 300);
  assert.ok(e.t1 - e.t0 >= 297 && e.t1 - e.t0 < 400, `logged ${e.t1 - e.t0}ms`);
});

// The bench also runs the simulator over HTTP/2 with TLS (OpenRouter's transport): the same
// stream, the same log, no HTTP/1.1-only header.
test('HTTP/2 with TLS: the same answer stream on the h2 port, logged as on HTTP/1.1', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sim-h2-'));
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
    '-keyout', path.join(dir, 'k.pem'), '-out', path.join(dir, 'c.pem'), '-days', '1', '-subj', '/CN=127.0.0.1',
    '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
  const tls = { key: fs.readFileSync(path.join(dir, 'k.pem')), cert: fs.readFileSync(path.join(dir, 'c.pem')) };
  fs.rmSync(dir, { recursive: true, force: true });
  const s2 = await startSim({ port: 0, speed: FAST, tls });
  const warnings = [];
  const onWarning = (w) => warnings.push(`${w.name}: ${w.message}`);
  process.on('warning', onWarning);
  try {
    assert.match(s2.h2url, /^https:\/\/127\.0\.0\.1:\d+$/);
    const client = http2.connect(s2.h2url, { ca: tls.cert });
    const req = client.request({ ':method': 'POST', ':path': '/api/v1/chat/completions', 'content-type': 'application/json',
      authorization: 'Bearer test', origin: 'http://127.0.0.1:8080' });
    req.end(JSON.stringify({ model: 'demo/atlas@50', stream: true, messages: [{ role: 'user', content: 'Is a hot dog a sandwich?' }] }));
    let head = null, body = '';
    req.on('response', (h) => { head = h; });
    req.setEncoding('utf8');
    req.on('data', (d) => { body += d; });
    await new Promise((resolve, reject) => { req.on('end', resolve); req.on('error', reject); });
    client.close();
    assert.equal(head[':status'], 200);
    assert.equal(head['content-type'], 'text/event-stream');
    assert.equal(head['access-control-allow-origin'], '*', 'CORS as on HTTP/1.1');
    assert.ok(body.includes('"content":') && body.trimEnd().endsWith('data: [DONE]'), 'chunks, then [DONE]');
    let entry;
    for (let i = 0; i < 50 && !(entry = (await (await fetch(`${s2.url}/__sim/log`)).json()).entries.find((e) => e.path === '/api/v1/chat/completions' && e.outcome !== 'pending')); i++)
      await new Promise((r) => setTimeout(r, 20));
    assert.equal(entry.status, 200);
    assert.equal(entry.outcome, 'ok', 'a finished HTTP/2 response is logged as ok');
    assert.equal(entry.model, 'demo/atlas@50');
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(warnings, [], 'no HTTP/1.1-only header (Connection) sent over HTTP/2');
  } finally {
    process.off('warning', onWarning);
    await s2.close();
  }
});

// ---- [SECTION] judge -----------------------------------------------------------------------
test('judge analysis is consistent with the answers present', async () => {
  const question = 'Is coffee good or bad for my health?';
  const answers = await panel(question, ['demo/atlas', 'demo/borealis', 'demo/cirrus', 'demo/dune']);
  const s = await streamChat({ model: 'demo/judge', messages: judgeMessages(question, answers), response_format: ANALYSIS_FORMAT });
  assert.ok(s.done);
  assert.ok(s.chunks.length > 10, 'judge output is streamed');
  const a = JSON.parse(s.content);
  const labels = ['A', 'B', 'C', 'D'];
  const byLabel = Object.fromEntries(labels.map((l, i) => [l, answers[i]]));
  assert.ok(a.consensus.length > 0);
  assert.ok(a.contradictions.length > 0);
  assert.ok(a.unique_insights.length > 0);
  assert.ok(a.partial_coverage.length > 0);
  assert.ok(a.blind_spots.length > 0);
  for (const c of a.consensus) {
    assert.equal(typeof c.claim, 'string');
    assert.ok(c.models.length >= 3 && c.models.every((m) => labels.includes(m)));
    assert.ok(c.confidence > 0 && c.confidence <= 1);
  }
  for (const c of a.contradictions) {
    assert.ok(c.topic && c.assessment);
    assert.ok(new Set(c.stances.map((x) => x.stance)).size >= 2);
    for (const st of c.stances) {
      assert.ok(labels.includes(st.model));
      assert.ok(byLabel[st.model].includes(st.stance), `stance is an exact quote of response ${st.model}`);
    }
  }
  for (const p of a.partial_coverage) assert.ok(p.models.length >= 2 && p.models.every((m) => labels.includes(m)));
  for (const u of a.unique_insights) {
    assert.ok(labels.includes(u.model));
    assert.ok(byLabel[u.model].includes(u.insight));
  }
  const fa = a.final_answer;
  assert.match(fa, /^## /m);
  assert.match(fa, /^- /m);
  assert.match(fa, /\*\*[^*]+\*\*/);
  assert.match(fa, /`[^`]+`/);
  assert.match(fa, /^\|.*\|$/m);
  assert.match(fa, /\[[^\]]+\]\(https:\/\/[^)]+\)/);
});

test('judge over a generic question with three personas; unknown text handled', async () => {
  const question = 'Should I move to a bigger city for my career?';
  const answers = await panel(question, ['demo/atlas', 'demo/cirrus', 'demo/ember']);
  answers.push('I think you should move. Cities have more jobs. That is all.');
  const { json } = await plainChat({ model: 'demo/judge', messages: judgeMessages(question, answers), response_format: ANALYSIS_FORMAT });
  const a = JSON.parse(json.choices[0].message.content);
  const labels = ['A', 'B', 'C', 'D'];
  assert.ok(a.consensus.length > 0 && a.contradictions.length > 0 && a.unique_insights.length > 0);
  const all = [...a.consensus.flatMap((c) => c.models), ...a.contradictions.flatMap((c) => c.stances.map((x) => x.model)),
    ...a.partial_coverage.flatMap((p) => p.models), ...a.unique_insights.map((u) => u.model)];
  assert.ok(all.every((l) => labels.includes(l)));
  assert.ok(a.unique_insights.some((u) => u.model === 'D' && u.insight === 'I think you should move.'));
  assert.ok(a.final_answer.includes(question), 'generic final answer is titled with the question');
});

test('two-phase judge: analysis with empty final_answer, then a markdown final answer', async () => {
  const question = 'Rust or C++ for a new project?';
  const answers = await panel(question, ['demo/borealis', 'demo/dune', 'demo/ember']);
  const { json } = await plainChat({ model: 'demo/judge', ...stated('judge', true), messages: judgeMessages(question, answers, { twoPhase: true }) });
  const a = JSON.parse(json.choices[0].message.content);
  assert.equal(a.final_answer, '');
  assert.ok(a.consensus.length > 0);

  // Another wording of the analysis-only instruction: the stated two_phase decides, not the words.
  const alt = await plainChat({ model: 'demo/judge', ...stated('judge', true), messages: judgeMessages(question, answers, { twoPhase: true, phrase: 'Analysis only: leave "final_answer" empty.\n' }) });
  assert.equal(JSON.parse(alt.json.choices[0].message.content).final_answer, '');

  const blocks = answers.map((x, i) => `=== Response ${'ABC'[i]} ===\n${x}`).join('\n\n');
  for (const sys of ['You write the final answer for a panel of AI models. Output only the answer (no JSON, no preamble).',
    'Write the final answer to the user question, using the panel responses and the analysis.']) {
    const fin = await streamChat({ model: 'demo/judge', ...stated('writer'), messages: [
      { role: 'system', content: sys },
      { role: 'user', content: `Question:\n${question}\n\nAnalysis (JSON):\n${JSON.stringify(a, null, 1)}\n\nAnswers:\n\n${blocks}` },
    ] });
    assert.ok(fin.done);
    assert.match(fin.content, /^## Rust or C\+\+/);
    assert.throws(() => JSON.parse(fin.content));
    assert.ok(fin.content.includes('| Point |'));
  }
});

test('no stated role: structured output makes the judge, the prompt\'s wording never does', async () => {
  const question = 'Is coffee good or bad for my health?';
  const answers = await panel(question, ['demo/atlas', 'demo/borealis', 'demo/cirrus']);
  // The judge's own wording, but no response_format and no stated role: a member's answer.
  const member = await plainChat({ model: 'demo/judge', messages: judgeMessages(question, answers, { twoPhase: true }) });
  const prose = member.json.choices[0].message.content;
  assert.ok(prose.length > 50);
  assert.throws(() => JSON.parse(prose), 'a member writes prose, not an analysis');
  // A system prompt no wording rule would know, with response_format json_schema: the judge.
  const blocks = answers.map((x, i) => `=== Response ${'ABC'[i]} ===\n${x}`).join('\n\n');
  const judge = await streamChat({ model: 'demo/judge', response_format: ANALYSIS_FORMAT, messages: [
    { role: 'system', content: 'Summarise what these texts have in common.' },
    { role: 'user', content: `Question:\n${question}\n\nAnswers:\n\n${blocks}` }] });
  assert.ok(judge.done);
  const a = JSON.parse(judge.content);
  assert.ok(a.consensus.length > 0 && a.contradictions.length > 0, 'the analysis of the answers given');
  assert.ok(a.final_answer.length > 0, 'untold, the judge is one-phase: its analysis carries a final answer');
  // A response_format other than json_schema does not make a judge either.
  const obj = await plainChat({ model: 'demo/judge', response_format: { type: 'json_object' }, messages: judgeMessages(question, answers) });
  assert.throws(() => JSON.parse(obj.json.choices[0].message.content));
});

test('judge scenarios: not-json, fenced, truncated, 500', async () => {
  const question = 'Is remote work more productive?';
  const answers = await panel(question, ['demo/atlas', 'demo/dune', 'demo/cirrus']);
  const msgs = judgeMessages(question, answers);
  const rf = ANALYSIS_FORMAT;  // the simulator as OpenRouter: the judge asks for its schema

  const prose = (await plainChat({ model: 'scenario/judge-not-json', messages: msgs, response_format: rf })).json.choices[0].message.content;
  assert.ok(!prose.includes('{'));
  assert.ok(prose.length > 50);

  const fenced = await streamChat({ model: 'scenario/judge-fenced', messages: msgs, response_format: rf });
  const m = /```json\n([\s\S]*?)\n```/.exec(fenced.content);
  assert.ok(m, 'has a json fence');
  assert.ok(fenced.content.indexOf('```') > 0, 'prose before the fence');
  assert.ok(JSON.parse(m[1]).consensus.length > 0);

  const trunc = (await plainChat({ model: 'scenario/judge-truncated', messages: msgs, response_format: rf })).json.choices[0].message.content;
  assert.throws(() => JSON.parse(trunc));
  assert.ok(trunc.trimStart().startsWith('{'));
  assert.ok(trunc.length > 500);
  // Cut inside a string: closing the string and the brackets makes it valid again.
  const closers = [];
  let inStr = false, esc = false;
  for (const ch of trunc) {
    if (inStr) { if (esc) esc = false; else if (ch === '\\') esc = true; else if (ch === '"') inStr = false; continue; }
    if (ch === '"') inStr = true; else if (ch === '{') closers.push('}'); else if (ch === '[') closers.push(']'); else if (ch === '}' || ch === ']') closers.pop();
  }
  assert.ok(inStr, 'cut mid-string');
  assert.doesNotThrow(() => JSON.parse(trunc + '"' + closers.reverse().join('')));

  const r500 = await chat({ model: 'scenario/judge-500', messages: msgs, response_format: rf, stream: true });
  assert.equal(r500.status, 500);
  assert.equal((await r500.json()).error.code, 500);
});

// ---- [SECTION] error scenarios -------------------------------------------------------------
test('HTTP error scenarios: status, OpenRouter error body, headers', async () => {
  const cases = [
    ['http-401', 401, null], ['http-402', 402, 'payment_required'], ['http-403', 403, 'moderation'],
    ['http-408', 408, 'timeout'], ['http-500', 500, null], ['http-502', 502, null], ['http-503', 503, 'provider_overloaded'],
  ];
  for (const [name, status, type] of cases) {
    for (const stream of [true, false]) {
      const res = await chat({ model: `scenario/${name}`, messages: user('Tell me something violent'), stream });
      assert.equal(res.status, status, name);
      assert.match(res.headers.get('content-type'), /application\/json/);
      assert.equal(res.headers.get('access-control-allow-origin'), '*');
      const body = await res.json();
      assert.equal(body.error.code, status);
      assert.equal(typeof body.error.message, 'string');
      if (type) assert.equal(body.error.metadata.error_type, type, name);
      if (name === 'http-403') {
        assert.deepEqual(body.error.metadata.reasons, ['violence']);
        assert.equal(body.error.metadata.flagged_input, 'Tell me something violent');
        assert.equal(body.error.metadata.provider_name, 'Concord Sim');
        assert.equal(body.error.metadata.model_slug, 'scenario/http-403');
      }
      if (name === 'http-503') assert.equal(res.headers.get('retry-after'), '2');
    }
  }
  const unknown = await chat({ model: 'scenario/nope', messages: user('x') });
  assert.equal(unknown.status, 400);
  const noModel = await chat({ messages: user('x') });
  assert.equal(noModel.status, 400);
  const badKey = await chat({ model: 'demo/atlas', messages: user('x') }, { headers: { authorization: 'Bearer sk-bad' } });
  assert.equal(badKey.status, 401);
});

test('html-error: 502 with an HTML page', async () => {
  const res = await chat({ model: 'scenario/html-error', messages: user('x'), stream: true });
  assert.equal(res.status, 502);
  assert.match(res.headers.get('content-type'), /^text\/html/);
  assert.match(await res.text(), /<html>/);
});

test('rate-limit-once: 429 with Retry-After, then OK; a new run sees one 429 again', async () => {
  const body = { model: 'scenario/rate-limit-once', messages: user(`rate limit me ${Math.random()}`), stream: true };
  const r1 = await chat(body);
  assert.equal(r1.status, 429);
  assert.equal(r1.headers.get('retry-after'), '1');
  assert.equal(r1.headers.get('access-control-expose-headers'), 'x-generation-id, retry-after');
  const b1 = await r1.json();
  assert.equal(b1.error.code, 429);
  assert.equal(b1.error.metadata.error_type, 'rate_limit_exceeded');
  const s2 = await streamChat(body);
  assert.equal(s2.res.status, 200);
  assert.ok(s2.done);
  const other = await chat({ ...body, messages: user('a different prompt') });
  assert.equal(other.status, 429, 'keyed by messages');
  await other.text();
  const r3 = await chat(body);
  assert.equal(r3.status, 429, 'a repeated run sees one 429 again');
  await r3.text();
});

test('hang: client aborts after 500 ms and the server keeps working', async () => {
  const ac = new AbortController();
  const t = Date.now();
  setTimeout(() => ac.abort(), 500);
  await assert.rejects(chat({ model: 'scenario/hang', messages: user('x'), stream: true }, { signal: ac.signal }), { name: 'AbortError' });
  assert.ok(Date.now() - t >= 450);
  const h = await fetch(`${base}/__sim/health`);
  assert.deepEqual(await h.json(), { ok: true });
});

test('client disconnect mid-stream does not break the server', async () => {
  const ac = new AbortController();
  const res = await chat({ model: 'demo/borealis', messages: user('Is coffee healthy?'), stream: true, sim_speed: 2 }, { signal: ac.signal });
  const reader = res.body.getReader();
  await reader.read();
  ac.abort();
  await new Promise((r) => setTimeout(r, 100));
  const s = await streamChat({ model: 'scenario/ok', messages: user('still alive?') });
  assert.ok(s.done);
  const log = await (await fetch(`${base}/__sim/log`)).json();
  assert.ok(log.entries.some((e) => e.model === 'demo/borealis' && e.outcome === 'client-closed'));
});

test('keepalive-20s: ten keep-alive comments, then a normal answer', async () => {
  const s = await streamChat({ model: 'scenario/keepalive-20s', messages: user('hi'), sim_speed: 100 });
  assert.ok(s.comments >= 11, `comments=${s.comments}`);
  assert.ok(s.done);
  assert.ok(s.content.startsWith(DISCLAIMER));
});

test('utf8-split: multi-byte characters split across writes reassemble to valid text', async () => {
  const res = await chat({ model: 'scenario/utf8-split', messages: user('hi'), stream: true });
  const reader = res.body.getReader();
  const parts = [];
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    parts.push(Buffer.from(value));
  }
  assert.ok(parts.length > 1);
  const raw = new TextDecoder('utf-8', { fatal: true }).decode(Buffer.concat(parts));
  const { events } = parseSse(raw);
  const content = events.filter((e) => e !== '[DONE]').map((e) => JSON.parse(e).choices[0].delta.content ?? '').join('');
  assert.ok(content.includes('café — Ж 你好 😀'));
  assert.ok(!content.includes('\uFFFD'));
  // At least one network chunk ends inside a multi-byte character.
  const splitInside = parts.some((p) => {
    try { new TextDecoder('utf-8', { fatal: true }).decode(p); return false; } catch { return true; }
  });
  assert.ok(splitInside, 'some chunk boundary falls inside a character');
});

test('crlf: CRLF line endings only', async () => {
  const s = await streamChat({ model: 'scenario/crlf', messages: user('hi') });
  assert.ok(s.raw.includes('\r\n\r\n'));
  assert.ok(!/[^\r]\n/.test(s.raw), 'no bare LF');
  assert.ok(s.done);
  assert.ok(s.content.startsWith(DISCLAIMER));
});

test('midstream-error: some content, then an error event, no [DONE]', async () => {
  const s = await streamChat({ model: 'scenario/midstream-error', messages: user('hi') });
  assert.equal(s.res.status, 200);
  assert.ok(!s.done);
  const last = s.chunks.at(-1);
  assert.equal(last.error.code, 502);
  assert.equal(last.error.message, 'Upstream provider disconnected');
  assert.equal(last.choices[0].finish_reason, 'error');
  assert.ok(s.content.length > 0);
});

test('empty: finish stop with empty content', async () => {
  const s = await streamChat({ model: 'scenario/empty', messages: user('hi') });
  assert.equal(s.content, '');
  assert.equal(s.chunks.at(-1).choices[0].finish_reason, 'stop');
  assert.ok(s.done);
  const p = await plainChat({ model: 'scenario/empty', messages: user('hi') });
  assert.equal(p.json.choices[0].message.content, '');
});

test('huge: about 1 MB streamed quickly', async () => {
  const t = Date.now();
  const s = await streamChat({ model: 'scenario/huge', messages: user('hi'), sim_speed: 50 });
  assert.ok(s.content.length >= 1_000_000, `len=${s.content.length}`);
  assert.ok(s.done);
  assert.ok(Date.now() - t < 5000);
});

test('bad-json-chunk: exactly one malformed data line among good ones', async () => {
  const s = await streamChat({ model: 'scenario/bad-json-chunk', messages: user('hi') });
  assert.equal(s.bad, 1);
  assert.ok(s.done);
  assert.ok(s.content.startsWith(DISCLAIMER));
});

test('no-done: ends without [DONE] but with usage', async () => {
  const s = await streamChat({ model: 'scenario/no-done', messages: user('hi') });
  assert.ok(!s.done);
  assert.ok(!s.raw.includes('[DONE]'));
  assert.ok(s.chunks.at(-1).usage);
});

test('length: half the answer, then finish_reason "length" with usage and [DONE]', async () => {
  const whole = buildAnswer(personaForModel('scenario/length'), 'Is Rust worth it?').text;
  const s = await streamChat({ model: 'scenario/length', messages: user('Is Rust worth it?') });
  assert.ok(s.done);
  assert.ok(s.content.length > 20 && s.content.length < whole.length * 0.6, `cut mid-way (${s.content.length} of ${whole.length})`);
  assert.equal(s.content, cutMidway(whole), 'the first half, cut after a word');
  const last = s.chunks.at(-1);
  assert.equal(last.choices[0].finish_reason, 'length');
  assert.ok(last.usage.completion_tokens > 0);
  const p = await plainChat({ model: 'scenario/length', messages: user('Is Rust worth it?') });
  assert.equal(p.json.choices[0].finish_reason, 'length');
  assert.equal(p.json.choices[0].message.content, s.content);
});

test('cut-stream: half the answer, then the response ends with no finish reason and no [DONE]', async () => {
  const s = await streamChat({ model: 'scenario/cut-stream', messages: user('Is Rust worth it?') });
  assert.equal(s.res.status, 200);
  assert.ok(!s.done);
  assert.ok(!s.raw.includes('[DONE]'));
  assert.ok(s.content.length > 20, 'some text arrived');
  assert.ok(s.chunks.every((c) => !c.choices?.[0]?.finish_reason && !c.usage), 'no finish reason, no usage');
});

test('reset-stream: half the answer, then the connection breaks: the reader fails, not ends', async () => {
  const res = await chat({ model: 'scenario/reset-stream', messages: user('Is Rust worth it?'), stream: true });
  assert.equal(res.status, 200);
  const reader = res.body.getReader();
  const dec = new TextDecoder();
  let raw = '', failed = null;
  try {
    for (;;) { const r = await reader.read(); if (r.done) break; raw += dec.decode(r.value, { stream: true }); }
  } catch (e) { failed = e; }
  assert.ok(failed, 'reading the body fails: the HTTP body never ended');
  assert.ok(raw.includes('"content"') && !raw.includes('[DONE]') && !raw.includes('"finish_reason":"stop"'), 'some text, no end');
});

test('rate-limit-in-stream-once: a 200 stream holding one 429 error event, then OK', async () => {
  const body = { model: 'scenario/rate-limit-in-stream-once', messages: user(`in-stream limit ${Math.random()}`) };
  const s1 = await streamChat(body);
  assert.equal(s1.res.status, 200);
  assert.equal(s1.chunks.length, 1);
  assert.equal(s1.chunks[0].error.code, 429);
  assert.equal(s1.chunks[0].choices[0].finish_reason, 'error');
  assert.equal(s1.content, '');
  const s2 = await streamChat(body);
  assert.ok(s2.done);
  assert.ok(s2.content.length > 20);
});

test('no-usage: a whole answer with [DONE] and no usage anywhere', async () => {
  const s = await streamChat({ model: 'scenario/no-usage', messages: user('hi') });
  assert.ok(s.done);
  assert.ok(s.content.length > 20);
  assert.equal(s.chunks.at(-1).choices[0].finish_reason, 'stop');
  assert.ok(s.chunks.every((c) => !('usage' in c)), 'no usage in any chunk');
  const p = await plainChat({ model: 'scenario/no-usage', messages: user('hi') });
  assert.ok(!('usage' in p.json));
  assert.equal(p.json.choices[0].message.content, s.content);
});

test('open-after-done: [DONE] arrives, then the response stays open until the client leaves', async () => {
  const ac = new AbortController();
  const res = await chat({ stream: true, model: 'scenario/open-after-done', messages: user('hi') }, { signal: ac.signal });
  const reader = res.body.getReader();
  const dec = new TextDecoder();
  let raw = '';
  while (!raw.includes('data: [DONE]')) {
    const r = await reader.read();
    assert.ok(!r.done, 'the stream carries [DONE] before any end');
    raw += dec.decode(r.value, { stream: true });
  }
  const next = await Promise.race([reader.read().then(() => 'ended'), sleep(400).then(() => 'open')]);
  assert.equal(next, 'open', 'no end follows [DONE]');
  ac.abort();
  await sleep(100);
  const entry = (await (await fetch(`${base}/__sim/log`)).json()).entries.filter((e) => e.model === 'scenario/open-after-done').at(-1);
  assert.equal(entry.outcome, 'client-closed');
});

// ---- [SECTION] search, log, health ---------------------------------------------------------
test('search endpoint returns five Jina-like results', async () => {
  const res = await fetch(`${base}/search?q=${encodeURIComponent('is coffee healthy')}`, { headers: { accept: 'application/json' } });
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('access-control-allow-origin'), '*');
  const j = await res.json();
  assert.equal(j.code, 200);
  assert.equal(j.status, 20000);
  assert.equal(j.data.length, 5);
  for (const r of j.data) {
    for (const k of ['title', 'url', 'description', 'content']) assert.equal(typeof r[k], 'string');
    assert.match(r.url, /^https:\/\/example\.org\//);
  }
  const g = await (await fetch(`${base}/search?q=${encodeURIComponent('best hiking boots')}`)).json();
  assert.ok(g.data[0].title.includes('best hiking boots'));
});

test('request log records auth presence but never the key', async () => {
  const secret = 'sk-or-v1-secret-should-never-appear';
  await plainChat({ model: 'scenario/ok', messages: user('log me') }, { headers: { authorization: `Bearer ${secret}` } });
  const text = await (await fetch(`${base}/__sim/log`)).text();
  assert.ok(!text.includes('secret-should-never'));
  const { entries } = JSON.parse(text);
  const e = entries.filter((x) => x.model === 'scenario/ok').at(-1);
  assert.equal(e.auth, true);
  assert.equal(e.status, 200);
  assert.equal(e.method, 'POST');
  assert.equal(e.path, '/api/v1/chat/completions');
});

// ---- [SECTION] loopback only ---------------------------------------------------------------
test('refuses non-loopback hosts', async () => {
  assert.ok(isLoopbackHost('127.0.0.1') && isLoopbackHost('::1') && isLoopbackHost('localhost'));
  for (const h of ['0.0.0.0', '::', '192.168.1.10', 'example.com', '']) assert.ok(!isLoopbackHost(h), h);
  await assert.rejects(startSim({ port: 0, host: '0.0.0.0' }), /non-loopback/);
  await assert.rejects(startSim({ port: 0, speed: 0 }), /speed/);
  await assert.rejects(startStatic({ dir: ROOT, port: 0, host: '0.0.0.0' }), /non-loopback/);

  const run = (script, args) => new Promise((resolve) => {
    const p = spawn(process.execPath, [path.join(ROOT, script), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    p.stdout.on('data', (d) => { out += d; });
    p.stderr.on('data', (d) => { out += d; });
    const timer = setTimeout(() => p.kill(), 5000);
    p.on('exit', (code) => { clearTimeout(timer); resolve({ code, out }); });
  });
  const r1 = await run('scripts/sim/provider-sim.mjs', ['--port', '0', '--host', '0.0.0.0']);
  assert.notEqual(r1.code, 0);
  assert.match(r1.out, /non-loopback/);
  const r2 = await run('scripts/sim/provider-sim.mjs', ['--port', '0', '--speed', '0']);
  assert.notEqual(r2.code, 0);
  const r3 = await run('scripts/serve.mjs', ['--dir', '.', '--port', '0', '--host', '0.0.0.0']);
  assert.notEqual(r3.code, 0);
});

test('CLI prints the listening line', async () => {
  const p = spawn(process.execPath, [path.join(ROOT, 'scripts/sim/provider-sim.mjs'), '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  const line = await new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error('no output')), 5000);
    p.stdout.on('data', (d) => {
      out += d;
      if (out.includes('\n')) { clearTimeout(timer); resolve(out.split('\n')[0]); }
    });
  });
  const m = /^provider-sim listening on http:\/\/127\.0\.0\.1:(\d+)$/.exec(line);
  assert.ok(m, line);
  const h = await fetch(`http://127.0.0.1:${m[1]}/__sim/health`);
  assert.equal(h.status, 200);
  await h.text();
  const exited = new Promise((r) => p.on('exit', r));
  p.kill('SIGTERM');
  await exited;
});

// ---- [SECTION] static server ---------------------------------------------------------------
test('static server: MIME types, index.html, 404, no traversal', async () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'concord-serve-'));
  const dir = path.join(tmp, 'dist');
  fs.mkdirSync(path.join(dir, 'sub'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>t</title>');
  fs.writeFileSync(path.join(dir, 'app.wasm'), Buffer.from([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]));
  fs.writeFileSync(path.join(dir, 'app.js'), 'console.log(1)');
  fs.writeFileSync(path.join(dir, 'sub', 'font.woff2'), 'x');
  fs.writeFileSync(path.join(tmp, 'secret.txt'), 'TOP SECRET');
  const s = await startStatic({ dir, port: 0 });
  try {
    const b = `http://127.0.0.1:${s.port}`;
    const idx = await fetch(`${b}/`);
    assert.equal(idx.status, 200);
    assert.match(idx.headers.get('content-type'), /^text\/html/);
    assert.equal(idx.headers.get('cache-control'), 'no-cache');
    assert.match(await idx.text(), /doctype/);
    const w = await fetch(`${b}/app.wasm`);
    assert.equal(w.headers.get('content-type'), 'application/wasm');
    assert.equal((await w.arrayBuffer()).byteLength, 8);
    const js = await fetch(`${b}/app.js`);
    assert.match(js.headers.get('content-type'), /^text\/javascript/);
    await js.text();
    const f = await fetch(`${b}/sub/font.woff2`);
    assert.equal(f.headers.get('content-type'), 'font/woff2');
    await f.text();
    const missing = await fetch(`${b}/nope.js`);
    assert.equal(missing.status, 404);
    await missing.text();
    for (const p of ['/../secret.txt', '/..%2fsecret.txt', '/%2e%2e/secret.txt', '/%2e%2e%2fsecret.txt', '/sub/..%2f..%2fsecret.txt', '/..%5csecret.txt']) {
      const r = await rawGet(s.port, p);
      assert.ok(r.status === 403 || r.status === 404, `${p} -> ${r.status}`);
      assert.ok(!r.body.includes('TOP SECRET'), p);
    }
  } finally {
    await s.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
});

// ---- [SECTION] OAuth PKCE ("Connect OpenRouter") -------------------------------------------
const s256 = (v) => crypto.createHash('sha256').update(v, 'ascii').digest('base64url');
function newVerifier() { return crypto.randomBytes(32).toString('base64url'); }
async function authorize(b, { callback = 'http://127.0.0.1:9/app/', challenge, method = 'S256' } = {}) {
  const q = new URLSearchParams({ callback_url: callback, code_challenge: challenge, code_challenge_method: method });
  return fetch(`${b}/auth?${q}`, { redirect: 'manual' });
}
function exchange(b, body, prefix = '') {
  return fetch(`${b}${prefix}/api/v1/auth/keys`, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

test('oauth: RFC 7636 Appendix B challenge', () => {
  assert.equal(s256('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk'), 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM');
});

test('oauth: sign-in redirects with a code that exchanges once for a working key', async () => {
  const verifier = newVerifier();
  const r = await authorize(base, { callback: 'http://127.0.0.1:9/app/?x=1#frag', challenge: s256(verifier) });
  assert.equal(r.status, 302);
  assert.match(r.headers.get('content-type'), /^text\/html/);
  assert.match(await r.text(), /<a href="http:\/\/127\.0\.0\.1:9\/app\/\?x=1&amp;code=/);
  const loc = new URL(r.headers.get('location'));
  assert.equal(loc.origin + loc.pathname, 'http://127.0.0.1:9/app/');
  assert.equal(loc.searchParams.get('x'), '1', 'the callback\'s own query is kept');
  assert.equal(loc.hash, '#frag');
  const code = loc.searchParams.get('code');
  assert.match(code, /^[A-Za-z0-9_-]{20,}$/);

  const ok = await exchange(base, { code, code_verifier: verifier, code_challenge_method: 'S256' });
  assert.equal(ok.status, 200);
  assert.equal(ok.headers.get('access-control-allow-origin'), '*');
  const { key, user_id } = await ok.json();
  assert.match(key, /^sk-or-v1-sim-[0-9a-f]{48}$/);
  assert.ok(user_id);
  const info = await fetch(`${base}/api/v1/key`, { headers: { authorization: `Bearer ${key}` } });
  assert.equal(info.status, 200, 'the issued key is accepted by the other endpoints');
  await info.text();

  const again = await exchange(base, { code, code_verifier: verifier, code_challenge_method: 'S256' });
  assert.equal(again.status, 403, 'a code is single use');
  const err = await again.json();
  assert.equal(err.error.code, 403);
  assert.match(err.error.message, /already used/);

  const log = JSON.stringify(await (await fetch(`${base}/__sim/log`)).json());
  assert.ok(!log.includes(code) && !log.includes(key) && !log.includes(verifier), 'no code, key or verifier in the log');
});

test('oauth: a wrong verifier is refused and burns the code', async () => {
  const verifier = newVerifier();
  const loc = new URL((await authorize(base, { challenge: s256(verifier) })).headers.get('location'));
  const code = loc.searchParams.get('code');
  const wrong = await exchange(base, { code, code_verifier: newVerifier(), code_challenge_method: 'S256' });
  assert.equal(wrong.status, 403);
  assert.match((await wrong.json()).error.message, /code_verifier/);
  const right = await exchange(base, { code, code_verifier: verifier, code_challenge_method: 'S256' });
  assert.equal(right.status, 403, 'the code was consumed by the failed attempt');
  await right.text();
});

test('oauth: malformed sign-in and exchange requests get 400s', async () => {
  const challenge = s256(newVerifier());
  for (const [opts, re] of [
    [{ challenge, method: 'plain' }, /S256/],
    [{ challenge, method: '' }, /S256/],
    [{ challenge: 'short' }, /43 base64url/],
    [{ challenge, callback: 'https://evil.example/cb' }, /loopback/],
    [{ challenge, callback: 'javascript:alert(1)' }, /http\(s\)/],
    [{ challenge, callback: '' }, /http\(s\)/],
  ]) {
    const r = await authorize(base, opts);
    assert.equal(r.status, 400, JSON.stringify(opts));
    assert.equal(r.headers.get('location'), null);
    assert.match(await r.text(), re);
  }
  const v = newVerifier();
  for (const [body, re] of [
    ['not json', /Invalid JSON/],
    ['[1]', /JSON object/],
    [{ code: 'x', code_verifier: v, code_challenge_method: 'plain' }, /only S256/],
    [{ code_verifier: v, code_challenge_method: 'S256' }, /Missing "code"/],
    [{ code: 'x', code_verifier: 'short', code_challenge_method: 'S256' }, /code_verifier/],
  ]) {
    const r = await exchange(base, body);
    assert.equal(r.status, 400, JSON.stringify(body));
    const j = await r.json();
    assert.equal(j.error.code, 400);
    assert.match(j.error.message, re);
  }
  const unknown = await exchange(base, { code: 'never-issued', code_verifier: v, code_challenge_method: 'S256' });
  assert.equal(unknown.status, 403);
  await unknown.text();
  const get = await fetch(`${base}/api/v1/auth/keys`);
  assert.equal(get.status, 405);
  await get.text();
  const pre = await fetch(`${base}/api/v1/auth/keys`, {
    method: 'OPTIONS', headers: { origin: 'http://127.0.0.1:1', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
  });
  assert.equal(pre.status, 204);
  assert.match(pre.headers.get('access-control-allow-headers'), /content-type/);
});

test('oauth: codes expire', async () => {
  const s = await startSim({ port: 0, oauthCodeTtlMs: 50 });
  try {
    const b = `http://127.0.0.1:${s.port}`;
    const verifier = newVerifier();
    const code = new URL((await authorize(b, { challenge: s256(verifier) })).headers.get('location')).searchParams.get('code');
    await new Promise((r) => setTimeout(r, 120));
    const r = await exchange(b, { code, code_verifier: verifier, code_challenge_method: 'S256' });
    assert.equal(r.status, 403);
    assert.match((await r.json()).error.message, /expired/);
  } finally {
    await s.close();
  }
});
