#!/usr/bin/env node
// Concord benchmarks in headless Chromium against the provider simulator (loopback only), plus
// the engine benchmark results produced by scripts/bench. Writes bench.json and bench.md.
//
//   node scripts/bench.mjs [--out DIR] [--dist DIR] [--engine-native FILE] [--engine-wasm FILE] [--quick]
//                          [--only cold,overhead,limit,limit-no-devtools,worker,straggler,frames,soak] [--viewport 1440x900]
//
// Measures (see scripts/bench for the whole list): bytes shipped, cold start to the first
// interactive frame, orchestration overhead over the physical limit (simulator timings with
// fixed latencies: model ids "demo/<persona>@<ms>"), quorum with a 10x straggler, frame time with
// 8 x 30 KB answers and a 60-claim map, idle redraws, and heap after 10 vs 200 runs. The
// issue-13 timing (three members, judge, writer) runs twice: driven through Playwright, and
// driven from inside the page in a Chromium with no DevTools client (section 1c). Section 1d
// measures what moving the engine into a Worker could win.
//
// Index of this file:
// [SECTION] options
// [SECTION] synthetic 8 x 30 KB run with a 60-claim analysis (same recipe as tests/bench/engine_bench.cpp)
// [SECTION] browser helpers
// [SECTION] 1. orchestration overhead
// [SECTION] 1b. the issue-13 timing: three members 300/600/900 ms, judge 500 ms, writer 500 ms
// [SECTION] 1c. the same timing with no DevTools client attached
// [SECTION] 1d. a Worker instead of the page thread: the same request chain
// [SECTION] 2. straggler with quorum n-1
// [SECTION] 3. cold start and bytes
// [SECTION] 4. frame time with 8 x 30 KB answers and 60 claims; idle redraws
// [SECTION] 6. soak: heap after 10 vs 200 runs
// [SECTION] report
// [SECTION] main
import { chromium } from 'playwright-core';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import crypto from 'node:crypto';
import { execFileSync, spawn } from 'node:child_process';
import http from 'node:http';
import { fileURLToPath } from 'node:url';
import { startStatic } from './serve.mjs';
import { startSim } from './sim/provider-sim.mjs';
import { CHROMIUM_ARGS } from './chromium-args.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

// ---- [SECTION] options ---------------------------------------------------------------------
const args = {};
for (let i = 2; i < process.argv.length; i++) {
  const m = /^--([\w-]+)(?:=(.*))?$/.exec(process.argv[i]);
  if (!m) { console.error(`bench: unexpected argument ${process.argv[i]}`); process.exit(2); }
  args[m[1]] = m[2] ?? (m[1] === 'quick' ? '1' : process.argv[++i]);
}
const OUT = path.resolve(args.out ?? path.join(ROOT, 'build', 'bench-output'));
const DIST = path.resolve(args.dist ?? path.join(ROOT, 'dist'));
const QUICK = !!args.quick;
const ONLY = args.only ? new Set(args.only.split(',')) : null;
const want = (name) => !ONLY || ONLY.has(name);
const [VW, VH] = (args.viewport ?? '1440x900').split('x').map(Number);
const N = {
  cold: QUICK ? 3 : 7,          // fresh contexts (after one discarded warm-up)
  overhead: QUICK ? 5 : 12,     // runs per panel size (after one warm-up)
  straggler: QUICK ? 3 : 8,
  frames: QUICK ? 120 : 300,    // timed frames per maps tab
  idleS: QUICK ? 3 : 5,
  soak: 200,
};
fs.mkdirSync(OUT, { recursive: true });

const log = (...a) => console.error('bench:', ...a);
const median = (v) => { const s = [...v].sort((a, b) => a - b); const n = s.length; return n ? (n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2) : NaN; };
const r1 = (x) => Math.round(x * 10) / 10;
const r2 = (x) => Math.round(x * 100) / 100;
const stats = (v) => ({ median: r2(median(v)), min: r2(Math.min(...v)), max: r2(Math.max(...v)), n: v.length, all: v.map(r2) });

// ---- [SECTION] synthetic 8 x 30 KB run with a 60-claim analysis (same recipe as tests/bench/engine_bench.cpp) ----
function rng(seed) {
  let s = (BigInt(seed) * 0x9E3779B97F4A7C15n + 1n) & 0xFFFFFFFFFFFFFFFFn;
  const next = () => {
    s ^= (s << 13n) & 0xFFFFFFFFFFFFFFFFn; s ^= s >> 7n; s ^= (s << 17n) & 0xFFFFFFFFFFFFFFFFn;
    return Number(s >> 11n) >>> 0;
  };
  return { next, unit: () => next() / 4294967296, range: (lo, hi) => lo + (next() % (hi - lo + 1)) };
}
const VOCAB = (() => {
  const syl = ['ka', 'lo', 'mi', 'ren', 'tas', 'vel', 'dor', 'qui', 'sen', 'ar', 'po', 'lin', 'ex', 'tra', 'mon', 'zu', 'bel',
    'cor', 'fi', 'gan', 'hu', 'jor', 'nes', 'pra', 'sol', 'tem', 'ul', 'vy', 'wen', 'yar'];
  const out = ['the', 'a', 'of', 'and', 'to', 'in', 'is', 'that', 'for', 'it', 'with', 'as', 'on', 'be', 'are', 'this', 'by',
    'or', 'can', 'more', 'not', 'most', 'which', 'when'];
  const r = rng(7);
  while (out.length < 2500) { let w = ''; for (let n = r.range(2, 4); n > 0; n--) w += syl[r.next() % 30]; out.push(w); }
  return out;
})();
function sentence(r, lo = 8, hi = 20) {
  const n = r.range(lo, hi);
  let s = '';
  for (let i = 0; i < n; i++) {
    const u = r.unit();
    let w = VOCAB[Math.min(VOCAB.length - 1, Math.floor(VOCAB.length * u * u * u))];
    if (i === 0) w = w[0].toUpperCase() + w.slice(1);
    s += (i ? ' ' : '') + w;
    if (i + 1 < n && r.next() % 11 === 0) s += ',';
  }
  return s + '.';
}
const claim = (k) => sentence(rng(1000 + k), 10, 14);
const label = (i) => String.fromCharCode(65 + i);
function answer(i, bytes = 30 * 1024) {
  const r = rng(100 + i);
  let s = '', section = 0, c = i % 3;
  while (s.length < bytes) {
    s += `## Section ${++section}\n\n`;
    for (let p = 0; p < 3 && s.length < bytes; p++) {
      for (let k = r.range(3, 6); k > 0; k--) s += sentence(r) + ' ';
      if (c < 60) { s += claim(c) + ' '; c += 2; }
      s += '\n\n';
    }
    for (let b = r.range(2, 5); b > 0; b--) s += '- ' + sentence(r, 5, 12) + '\n';
    s += '\n';
  }
  return s.slice(0, bytes);
}
function analysis(members) {
  const models = (seed, n) => Array.from({ length: n }, (_, j) => label((seed + j * 3) % members));
  const a = { consensus: [], contradictions: [], partial_coverage: [], unique_insights: [], blind_spots: [] };
  let k = 0;
  for (let c = 0; c < 30; c++, k++) a.consensus.push({ claim: claim(k), models: models(k, 2 + (k % 6)), confidence: 0.5 + (k % 5) * 0.1 });
  for (let c = 0; c < 15; c++, k++) {
    const stances = Array.from({ length: 2 + (k % 4) }, (_, j) => ({ model: label((k + j) % members), stance: (j % 2 ? 'No: ' : 'Yes: ') + sentence(rng(5000 + k * 10 + j), 6, 12) }));
    a.contradictions.push({ topic: claim(k), stances, assessment: sentence(rng(6000 + k)) });
  }
  for (let c = 0; c < 8; c++, k++) a.partial_coverage.push({ point: claim(k), models: models(k, 1 + (k % 3)) });
  for (let c = 0; c < 5; c++, k++) a.unique_insights.push({ model: label(k % members), insight: claim(k), assessment: sentence(rng(7000 + k)) });
  for (let c = 0; c < 2; c++, k++) a.blind_spots.push(claim(k));
  const r = rng(9);
  let fin = '# Synthesis\n\n';
  while (fin.length < 3000) fin += sentence(r) + (r.next() % 4 === 0 ? '\n\n' : ' ');
  a.final_answer = fin;
  return a;
}
export function syntheticRunJson(members = 8, bytes = 30 * 1024) {
  const a = analysis(members);
  const judgeRaw = JSON.stringify(a, null, 2);
  const call = (model, lbl, content, i) => ({
    endpoint: 'demo', model, temperature: -1, label: lbl, status: 'done', attempt: 0, t_queued: 0, t_start: 0.01,
    t_first_token: 0.4 + 0.1 * i, t_end: 20 + i, content, reasoning: '', citations: [],
    usage: { prompt_tokens: 120, completion_tokens: Math.ceil(content.length / 4), reasoning_tokens: 0, cached_tokens: 0, web_search_requests: 0, cost: 0.001 * (i + 1), has_cost: true },
    finish_reason: 'stop', generation_id: `gen-bench-${i}`, error: null, retried_errors: [], cost: 0.001 * (i + 1), late: false,
  });
  const panel = Array.from({ length: members }, (_, i) => `demo/bench-${i}`);
  return JSON.stringify({
    format: 'concord.run', version: 1, id: 'bench-8x30k', created_unix: 1767225600,
    config: { prompt: 'Benchmark: 8 answers of 30 KB and a 60-claim map.', panel: panel.map((m) => ({ endpoint: 'demo', model: m, temperature: -1 })),
      judges: [{ endpoint: 'demo', model: 'demo/judge', temperature: -1 }], search: 'off', search_url: '', quorum: 0,
      quorum_deadline_s: 0, two_phase_judge: false, structured_output: true, max_tokens: 0 },
    history: [], stage: 'done', sources: [], search_error: '',
    members: panel.map((m, i) => call(m, label(i), answer(i, bytes), i)),
    judge_calls: [call('demo/judge', 'judge', judgeRaw, members)],
    final_call: null, judged_labels: panel.map((_, i) => label(i)), judge_raw: judgeRaw, final_answer: a.final_answer,
    final_note: '', warning: '', error: '', t_end: 30, t_panel_start: 0, t_judge_start: 28,
  });
}

// ---- [SECTION] browser helpers -------------------------------------------------------------
let sim, site, browser, demoHash, demoHashH2;
async function newPage({ width = VW, height = VH } = {}) {
  const context = await browser.newContext({ viewport: { width, height }, deviceScaleFactor: 1 });
  const page = await context.newPage();
  page.errors = [];
  page.on('console', (m) => { if (m.type() === 'error') page.errors.push(m.text()); });
  page.on('pageerror', (e) => page.errors.push(String(e)));
  return page;
}
async function openApp(size, hash = demoHash) {
  const page = await newPage(size);
  await page.goto(site.url + '#' + hash);
  await page.waitForFunction(() => document.body.getAttribute('data-ready') === '1', null, { timeout: 60000 });
  await page.waitForFunction(() => window.concord({ cmd: 'state' }).catalogue > 0, null, { timeout: 30000, polling: 50 });
  const probe = await api(page, { cmd: 'bench_run' });
  if (probe.error) throw new Error(`dist/ has no benchmark probes (${probe.error}): rebuild it with scripts/build-web`);
  return page;
}
const api = (page, cmd) => page.evaluate((c) => window.concord(c), cmd);
async function settle(page, { quietMs = 500, maxMs = 8000 } = {}) {
  const t0 = Date.now();
  let last = -1, since = Date.now();
  while (Date.now() - t0 < maxMs) {
    const f = (await api(page, { cmd: 'frames' })).frames;
    if (f !== last) { last = f; since = Date.now(); } else if (Date.now() - since >= quietMs) return true;
    await page.waitForTimeout(50);
  }
  return false;
}
async function simLog(since) {
  return (await (await fetch(`${sim.url}/__sim/log?since=${since}`)).json()).entries;
}
async function simSeq() {
  const e = (await (await fetch(`${sim.url}/__sim/log`)).json()).entries;
  return e.length ? e[e.length - 1].seq : 0;
}
async function click(page, name) {
  const r = await api(page, { cmd: 'rect', name });
  if (r.error) throw new Error(`widget ${name} not on screen`);
  await page.mouse.move(r.x + Math.min(r.w / 2, 30), r.y + r.h / 2);
  await settle(page, { quietMs: 300 });
  await page.mouse.down();
  await page.mouse.up();
  await settle(page, { quietMs: 300 });
}

// One run from the window API. Returns the page-side times (performance.now() ms): when the
// run command was issued and the end of the first frame that showed the stage `until`.
async function timedRun(page, prompt, until = 'done') {
  const t = await page.evaluate((p) => {
    const t0 = performance.now();
    const r = window.concord({ cmd: 'run', prompt: p });
    if (!r.ok) throw new Error('run refused: ' + r.error);
    return t0;
  }, prompt);
  await page.waitForFunction(([t0, st]) => {
    const s = window.concord({ cmd: 'bench_run' });
    return s.t_stage_ms > t0 && (s.stage === st || s.stage === 'failed' || s.stage === 'cancelled');
  }, [t, until], { timeout: 60000, polling: 10 });
  const s = await api(page, { cmd: 'bench_run' });
  if (s.stage !== until) throw new Error(`run ended in stage ${s.stage}: ${JSON.stringify(await api(page, { cmd: 'state' })).slice(0, 1500)}`);
  return { t_run: t, t_done: s.t_stage_ms, engine: s };
}
async function waitIdle(page) {
  await page.waitForFunction(() => !window.concord({ cmd: 'bench_run' }).busy, null, { timeout: 60000, polling: 10 });
}
const chatEntries = (entries) => entries.filter((e) => e.method === 'POST' && e.path === '/api/v1/chat/completions');
// The page's own view of each chat call (Resource Timing, epoch ms; the simulator sends
// Timing-Allow-Origin): the browser starts the request (start: its startTime, taken inside or
// just after fetch(), whose own call costs 0.5-2.5 ms here), the request goes on a connection
// (req), the browser's network stack has the last byte (end). Sorted by start. Cleared by
// resetCallTimes.
const resetCallTimes = (page) => page.evaluate(() => { performance.setResourceTimingBufferSize(2000); performance.clearResourceTimings(); });
function callTimesInPage() {
  return performance.getEntriesByType('resource')
    .filter((e) => e.name.endsWith('/chat/completions'))
    .map((e) => ({ start: performance.timeOrigin + e.startTime, req: performance.timeOrigin + (e.requestStart || e.startTime),
      end: performance.timeOrigin + e.responseEnd }))
    .sort((a, b) => a.start - b.start);
}
const callTimes = (page) => page.evaluate(callTimesInPage);
// One gap split in three (page and simulator clocks are both the system clock): the last byte
// travelling to the browser (in), the page's own part from the browser having it to the next
// request's start (page; fetch() included), and that request travelling to the simulator (out;
// of which queued: until a connection takes it).
const gapSplit = (prevSim, prevPage, nextPage, nextSim) => ({
  in: prevPage.end - prevSim.t1, page: nextPage.start - prevPage.end, out: nextSim.t0 - nextPage.start, queued: nextPage.req - nextPage.start,
});
const dur = (e) => e.t1 - e.t0;

// ---- [SECTION] 1. orchestration overhead ---------------------------------------------------
const MEMBER_MS = [300, 350, 400, 450, 500];
const PERSONAS = ['atlas', 'borealis', 'cirrus', 'dune', 'ember'];
const JUDGE_MS = 300;
async function overhead(page, n) {
  const panel = PERSONAS.slice(0, n).map((p, i) => `demo/${p}@${MEMBER_MS[i]}`);
  const judge = `demo/judge@${JUDGE_MS}`;
  const c = await api(page, { cmd: 'configure', panel, judges: [judge], quorum: 0, quorum_deadline_s: 0, max_retries: 0 });
  if (!c.ok) throw new Error('configure failed');
  const origin = await page.evaluate(() => performance.timeOrigin);
  const rows = [];
  for (let i = 0; i < N.overhead + 1; i++) {
    const seq = await simSeq();
    // Times every frame of the run too (the app redraws each frame while a run is busy anyway).
    await api(page, { cmd: 'bench_frames', n: 100000 });
    const r = await timedRun(page, `Overhead benchmark, ${n} members, run ${i}: should a small team adopt Rust?`);
    const fr = await api(page, { cmd: 'bench_frames' });
    await api(page, { cmd: 'bench_frames', n: 1 });  // stop forcing frames
    await waitIdle(page);
    const e = chatEntries(await simLog(seq));
    const members = e.filter((x) => x.model !== judge), judges = e.filter((x) => x.model === judge);
    if (members.length !== n || judges.length < 1) throw new Error(`unexpected simulator log: ${members.length} member and ${judges.length} judge requests`);
    const slowest = Math.max(...members.map(dur)), judgeMs = judges.reduce((s, x) => s + dur(x), 0);
    const physical = slowest + judgeMs, wall = r.t_done - r.t_run;
    const lastMember = Math.max(...members.map((x) => x.t1));
    if (i === 0) continue;  // warm-up: CORS preflights, first-use compilation
    rows.push({
      wall, physical, overhead: wall - physical, pct: (100 * (wall - physical)) / physical,
      // Approximate split (browser and simulator clocks are both the system clock):
      dispatch: Math.min(...members.map((x) => x.t0)) - (origin + r.t_run),
      member_to_judge: Math.min(...judges.map((x) => x.t0)) - lastMember,
      judge_to_frame: origin + r.t_done - Math.max(...judges.map((x) => x.t1)),
      frames: fr.count, frame_p50: fr.p50_ms, frame_p95: fr.p95_ms, frame_max: fr.max_ms,
    });
  }
  const pick = (k) => stats(rows.map((x) => x[k]));
  return { members: n, panel, judge, runs: rows.length, wall_ms: pick('wall'), physical_ms: pick('physical'), overhead_ms: pick('overhead'),
    overhead_pct: pick('pct'), split_ms: { dispatch: pick('dispatch'), member_to_judge: pick('member_to_judge'), judge_to_frame: pick('judge_to_frame') },
    frames_during_run: { frames: pick('frames'), cpu_p50_ms: pick('frame_p50'), cpu_p95_ms: pick('frame_p95'), cpu_max_ms: pick('frame_max') } };
}

// ---- [SECTION] 1b. the issue-13 timing: three members 300/600/900 ms, judge 500 ms, writer 500 ms ----
// The physical limit is what the simulator's own request times allow: the slowest member, then
// the judge, then (two-phase) the writer, back to back. Everything else is ours: the gaps between
// one request's last byte and the next request (from the simulator's clock), and the last byte
// to the frame that shows it (the page's clock; both are the system clock). Main-thread busy
// time comes from Chromium's own task accounting (CDP Performance.getMetrics TaskDuration).
const LIMIT_MEMBERS = [300, 600, 900];
const LIMIT_JUDGE = 500;
// Runs per mode (after one warm-up each). Single gaps range widely here (a dispatch of 4.9 to
// 35 ms within one row on 2026-12-05, the long ones queued in Chromium), so a median of 6 moved by
// 2-3 ms from one bench to the next; 10 per mode hold it steadier.
const LIMIT_RUNS = QUICK ? 3 : 10;
const LIMIT_PANEL = ['atlas', 'borealis', 'cirrus'].map((p, i) => `demo/${p}@${LIMIT_MEMBERS[i]}`);
const LIMIT_JUDGE_MODEL = `demo/judge@${LIMIT_JUDGE}`;
const limitConfig = (mode) => ({ cmd: 'configure', panel: LIMIT_PANEL, judges: [LIMIT_JUDGE_MODEL], writers: [], quorum: 0,
  quorum_deadline_s: 0, max_retries: 0, two_phase_judge: mode === 'two', search: 0 });
// The floor under every gap: a bare fetch round trip from the (idle) page to the simulator, with
// the same request shape as a call: an authorised CORS request whose preflight is cached (cache
// 'no-store' would bypass Chromium's preflight cache and add a round trip). Runs in the page.
async function bareFetchRtt(u) {
  const out = [];
  for (let i = 0; i < 30; i++) {
    const t0 = performance.now();
    await (await fetch(u + '/api/v1/key', { headers: { Authorization: 'Bearer bench' } })).text();
    out.push(performance.now() - t0);
    await new Promise((r) => setTimeout(r, 20));
  }
  return out;
}
// One run's figures: log, the simulator's log since the run; ct, the page's Resource Timing of
// its chat calls (callTimesInPage); origin, the page's performance.timeOrigin; r, the page's
// times (t_run, the run command; t_done, the end of the frame that showed the answer).
function limitRow(mode, log, ct, origin, r) {
  const e = chatEntries(log).sort((a, b) => a.t0 - b.t0);
  const members = e.filter((x) => x.model !== LIMIT_JUDGE_MODEL), calls = e.filter((x) => x.model === LIMIT_JUDGE_MODEL);
  const want = mode === 'two' ? 2 : 1;
  if (members.length !== 3 || calls.length !== want) throw new Error(`unexpected simulator log: ${members.length} members, ${calls.length} judge/writer calls`);
  if (ct.length !== 3 + want) throw new Error(`Resource Timing has ${ct.length} chat calls, not ${3 + want}`);
  const lastMember = Math.max(...members.map((x) => x.t1));
  const [j, w] = calls;
  const pm = ct.slice(0, 3), [pj, pw] = ct.slice(3);
  const lastSim = members.reduce((a, b) => (b.t1 > a.t1 ? b : a)), lastPage = pm.reduce((a, b) => (b.end > a.end ? b : a));
  const lateSim = members.reduce((a, b) => (b.t0 > a.t0 ? b : a)), latePage = pm.reduce((a, b) => (b.start > a.start ? b : a));
  const wall = r.t_done - r.t_run;
  const physical = Math.max(...members.map(dur)) + calls.reduce((sum, x) => sum + dur(x), 0);
  return {
    wall, physical, ratio: wall / physical,
    dispatch: Math.max(...members.map((x) => x.t0)) - (origin + r.t_run),
    member_to_judge: j.t0 - lastMember,
    judge_to_writer: w ? w.t0 - j.t1 : null,
    last_byte_to_frame: origin + r.t_done - (w ?? j).t1,
    panel_s: (lastMember - Math.min(...members.map((x) => x.t0))) / 1000,
    split: {
      dispatch: { in: 0, page: latePage.start - (origin + r.t_run), out: lateSim.t0 - latePage.start, queued: latePage.req - latePage.start },
      member_to_judge: gapSplit(lastSim, lastPage, pj, j),
      judge_to_writer: w ? gapSplit(j, pj, pw, w) : null,
    },
  };
}
// The rows of both modes summarised (medians, min, max and every sample).
function limitSummary(rows, size, rtt) {
  const pick = (m, k) => stats(rows[m].map((x) => x[k]).filter((x) => x !== null && x !== undefined));
  const out = { size, members_ms: LIMIT_MEMBERS, judge_ms: LIMIT_JUDGE, runs: rows.two.length, bare_fetch_rtt_ms: stats(rtt) };
  for (const m of ['two', 'one']) {
    out[m] = { wall_ms: pick(m, 'wall'), physical_ms: pick(m, 'physical'), ratio: pick(m, 'ratio'), dispatch_ms: pick(m, 'dispatch'),
      member_to_judge_ms: pick(m, 'member_to_judge'), judge_to_writer_ms: m === 'two' ? pick(m, 'judge_to_writer') : null,
      last_byte_to_frame_ms: pick(m, 'last_byte_to_frame'),
      gap_split_ms: Object.fromEntries(['dispatch', 'member_to_judge', ...(m === 'two' ? ['judge_to_writer'] : [])].map((g) =>
        [g, Object.fromEntries(['in', 'page', 'out', 'queued'].map((k) => [k, stats(rows[m].map((x) => x.split[g][k]))]))])) };
    if (rows[m].some((x) => x.busy_pct !== undefined)) Object.assign(out[m], { busy_pct: pick(m, 'busy_pct'), frames_per_s: pick(m, 'frames_per_s') });
  }
  return out;
}
async function limitRuns(page, size) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  const taskS = async () => (await cdp.send('Performance.getMetrics')).metrics.find((m) => m.name === 'TaskDuration').value;
  const origin = await page.evaluate(() => performance.timeOrigin);
  const rtt = await page.evaluate(bareFetchRtt, sim.url);
  const rows = { two: [], one: [] };
  const n = LIMIT_RUNS;
  for (let i = 0; i < 2 * (n + 1); i++) {
    const mode = i % 2 === 0 ? 'two' : 'one';  // interleaved, so both see the same machine
    const c = await api(page, limitConfig(mode));
    if (!c.ok) throw new Error('configure failed');
    await settle(page, { quietMs: 300 });
    const seq = await simSeq();
    await resetCallTimes(page);
    const f0 = (await api(page, { cmd: 'frames' })).frames;
    const busy0 = await taskS(), w0 = Date.now();
    const r = await timedRun(page, `Limit benchmark (${mode}-phase) ${i}: should a small team adopt Rust?`);
    const busy1 = await taskS(), w1 = Date.now();
    const f1 = (await api(page, { cmd: 'frames' })).frames;
    await waitIdle(page);
    const row = limitRow(mode, await simLog(seq), await page.evaluate(callTimesInPage), origin, r);
    if (i < 2) continue;  // one warm-up run of each mode
    rows[mode].push({ ...row, busy_pct: (100 * (busy1 - busy0)) / ((w1 - w0) / 1000), frames_per_s: (f1 - f0) / (row.wall / 1000) });
  }
  await cdp.detach();
  const out = limitSummary(rows, size, rtt);
  const fr = await api(page, { cmd: 'bench_frames', n: QUICK ? 30 : 60 });
  if (fr.ok) {
    await page.waitForFunction(() => !window.concord({ cmd: 'bench_frames' }).running, null, { timeout: 120000, polling: 100 });
    out.frame = await api(page, { cmd: 'bench_frames' });
  }
  return out;
}

// ---- [SECTION] 1c. the same timing with no DevTools client attached ------------------------
// Playwright drives its pages through the DevTools protocol, with the Network domain on: Chromium
// then reports every request and every streamed piece to the bench, in the network stack's own
// path. A bare fetch round trip from a blank page took about 1.3 ms longer with Playwright
// attached than in a Chromium nobody drives (5.0-5.5 vs 3.8-4.1 ms median, 3 interleaved
// rounds, 2026-12-05), and a visitor's browser has no such client. So the same runs are also
// made by a driver inside the page (bench-driver.js, added to a temporary copy of dist/'s
// index.html; the product's page is unchanged) in a Chromium started without any remote
// debugging, which posts its figures to a loopback collector. Main-thread busy time needs
// DevTools, so these rows have none.
async function benchDriver(P, ready, callTimes, bareRtt) {
  const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
  const until = async (f, ms = 60000) => {
    const t = performance.now();
    while (!f()) { if (performance.now() - t > ms) throw new Error('timed out'); await sleep(10); }
  };
  const api = (c) => window.concord(c);
  const post = (x) => fetch(P.collector, { method: 'POST', mode: 'no-cors', body: JSON.stringify(x) });
  const simLog = async (since) => (await (await fetch(`${P.sim}/__sim/log${since === undefined ? '' : `?since=${since}`}`)).json()).entries;
  try {
    if (!await ready(P, post)) return;
    const quiet = async (ms) => {
      let last = -1, since = performance.now();
      for (;;) {
        const f = api({ cmd: 'frames' }).frames;
        if (f !== last) { last = f; since = performance.now(); } else if (performance.now() - since >= ms) return;
        await sleep(50);
      }
    };
    const rtt = await bareRtt(P.sim);
    const runs = [];
    for (let i = 0; i < 2 * (P.n + 1); i++) {
      const mode = i % 2 === 0 ? 'two' : 'one';
      if (!api(P.configure[mode]).ok) throw new Error('configure failed');
      await quiet(300);
      const all = await simLog();
      const seq = all.length ? all[all.length - 1].seq : 0;
      performance.setResourceTimingBufferSize(2000);
      performance.clearResourceTimings();
      const t0 = performance.now();
      const r = api({ cmd: 'run', prompt: `Limit benchmark, no DevTools (${mode}-phase) ${i}: should a small team adopt Rust?` });
      if (!r.ok) throw new Error('run refused: ' + r.error);
      await until(() => { const s = api({ cmd: 'bench_run' }); return s.t_stage_ms > t0 && ['done', 'failed', 'cancelled'].includes(s.stage); });
      const s = api({ cmd: 'bench_run' });
      if (s.stage !== 'done') throw new Error(`run ended in stage ${s.stage}`);
      await until(() => !api({ cmd: 'bench_run' }).busy);
      runs.push({ mode, warm_up: i < 2, t_run: t0, t_done: s.t_stage_ms, log: await simLog(seq), ct: callTimes() });
    }
    await post({ origin: performance.timeOrigin, runs_viewport: [innerWidth, innerHeight, devicePixelRatio], rtt, runs });
  } catch (e) {
    await post({ error: String((e && e.stack) || e) });
  }
}
// Chromium with no remote debugging (Playwright's switches that matter for timing: no throttling
// of timers or renderers in the background; then the bench's own), killed with every process it
// started. A headless window's page is smaller than the window (its frame), by `extra` pixels.
function bareChromium(url, [width, height], profile, extra = [0, 0]) {
  const child = spawn(process.env.CHROMIUM || '/usr/bin/chromium', ['--headless', '--hide-scrollbars', '--mute-audio',
    '--disable-background-timer-throttling', '--disable-backgrounding-occluded-windows', '--disable-renderer-backgrounding',
    '--disable-ipc-flooding-protection', '--disable-hang-monitor', '--disable-back-forward-cache', '--disable-extensions',
    '--disable-field-trial-config', '--force-color-profile=srgb', '--password-store=basic', ...CHROMIUM_ARGS,
    `--window-size=${width + extra[0]},${height + extra[1]}`, `--user-data-dir=${profile}`, url], { stdio: 'ignore', detached: true });
  return async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    try { process.kill(-child.pid, 'SIGKILL'); } catch { child.kill('SIGKILL'); }
    await exited;
  };
}
// Shared by the in-page drivers: the window's size settles after load, so wait for two frames
// and tell the bench (false) if the page is not the size asked; then wait for the app.
async function driverReady(P, post) {
  await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
  if (innerWidth !== P.want[0] || innerHeight !== P.want[1]) { await post({ viewport: [innerWidth, innerHeight] }); return false; }
  const t = performance.now();
  while (!(document.body.getAttribute('data-ready') === '1' && window.concord && window.concord({ cmd: 'state' }).catalogue > 0)) {
    if (performance.now() - t > 60000) throw new Error('the app never became ready');
    await new Promise((r) => setTimeout(r, 10));
  }
  return true;
}
// Runs driver(P, driverReady, ...helpers) inside a temporary copy of dist/ (with `files` added
// beside it) in a Chromium with no DevTools client, and returns what the driver posts last.
// P gets sim, collector and want (the page size) added.
async function inPageDriver(size, P, driver, helpers = [], files = {}) {
  const want = size.split('x').map(Number);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'concord-bench-nodt-'));
  let collector, site2, stop;
  try {
    const www = path.join(dir, 'www');
    fs.cpSync(DIST, www, { recursive: true });
    const index = fs.readFileSync(path.join(www, 'index.html'), 'utf8');
    if (!index.includes('</body>')) throw new Error('dist/index.html has no </body>');
    fs.writeFileSync(path.join(www, 'index.html'), index.replace('</body>', '<script src="bench-driver.js"></script></body>'));
    for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(www, name), text);
    // Each POST to the collector is the next result.
    const results = [];
    let waiting = null;
    collector = http.createServer((req, res) => {
      let b = '';
      req.on('data', (d) => { b += d; });
      req.on('end', () => {
        res.end();
        let x;
        try { x = JSON.parse(b); } catch (e) { x = { error: `unreadable result: ${e.message}` }; }
        if (waiting) { waiting(x); waiting = null; } else results.push(x);
      });
    });
    const next = (ms) => (results.length ? Promise.resolve(results.shift()) : Promise.race([
      new Promise((resolve) => { waiting = resolve; }),
      new Promise((resolve) => setTimeout(() => resolve({ error: `no result in ${ms / 1000} s` }), ms).unref())]));
    await new Promise((resolve) => collector.listen(0, '127.0.0.1', resolve));
    site2 = await startStatic({ dir: www, port: 0, host: '127.0.0.1' });
    const P2 = { ...P, sim: sim.url, collector: `http://127.0.0.1:${collector.address().port}/`, want };
    fs.writeFileSync(path.join(www, 'bench-driver.js'), `(${driver})(${JSON.stringify(P2)}, ${[driverReady, ...helpers].join(', ')});\n`);
    // The driver first reports the page's size; a headless window's frame takes some of the
    // window, so a page of the wrong size is closed and the window made larger by the difference.
    let extra = [0, 0];
    for (let attempt = 0; attempt < 4; attempt++) {
      stop = bareChromium(`${site2.url}#${demoHash}`, want, path.join(dir, `profile${attempt}`), extra);
      const got = await next(240000);
      if (got.error) throw new Error(`page driver: ${got.error}`);
      if (!got.viewport) return got;
      await stop();
      extra = [extra[0] + want[0] - got.viewport[0], extra[1] + want[1] - got.viewport[1]];
    }
    throw new Error(`the page never had the size ${size}`);
  } finally {
    await stop?.();
    await site2?.close();
    collector?.close();
    fs.rmSync(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
  }
}
async function limitRunsNoDevtools(size) {
  const P = { n: LIMIT_RUNS, configure: { two: limitConfig('two'), one: limitConfig('one') } };
  const R = await inPageDriver(size, P, benchDriver, [callTimesInPage, bareFetchRtt]);
  if (R.runs_viewport[0] + 'x' + R.runs_viewport[1] !== size) throw new Error(`the page became ${R.runs_viewport.join('x')}, not ${size}`);
  const rows = { two: [], one: [] };
  for (const x of R.runs) if (!x.warm_up) rows[x.mode].push(limitRow(x.mode, x.log, x.ct, R.origin, x));
  return { ...limitSummary(rows, size, R.rtt), viewport: R.runs_viewport.join('x'), no_devtools: true };
}

// ---- [SECTION] 1d. a Worker instead of the page thread: the same request chain ---------------
// Issue 13's fallback, were frame pacing not to meet the gap goal: move the engine and its
// transport into a Worker, so the page thread only draws. What that could win at most is
// measured before any such rewrite: the same chain of two calls (each read until its [DONE],
// then the next sent at once, as the engine does) made from the page thread and from a Worker,
// alternately, while the app streams a run at 1440x900 (its frames drawn as in a real run), and
// with the app idle. The gap is the simulator's: the first call's end → the second call's arrival.
// No DevTools client (the in-page driver of section 1c).
const CHAIN_MODEL = { page: 'demo/judge@151', worker: 'demo/judge@152' };
async function requestChain(sim, model) {
  for (let k = 0; k < 2; k++) {
    const res = await fetch(`${sim}/api/v1/chat/completions`, { method: 'POST', credentials: 'omit', referrerPolicy: 'strict-origin',
      headers: { Authorization: 'Bearer bench', 'Content-Type': 'application/json' },
      body: JSON.stringify({ model, stream: true, messages: [{ role: 'user', content: 'Worker or page thread?' }] }) });
    if (!res.ok) throw new Error(`chain call: HTTP ${res.status}`);
    const reader = res.body.getReader(), dec = new TextDecoder();
    let text = '';
    for (;;) {
      const { done, value } = await reader.read();
      if (done) throw new Error('chain call: the stream ended with no [DONE]');
      text += dec.decode(value, { stream: true });
      if (text.includes('[DONE]')) break;  // the rest of the response is left to end by itself
    }
  }
}
async function workerDriver(P, ready, requestChain) {
  const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
  const post = (x) => fetch(P.collector, { method: 'POST', mode: 'no-cors', body: JSON.stringify(x) });
  const lastSeq = async () => { const e = (await (await fetch(`${P.sim}/__sim/log`)).json()).entries; return e.length ? e[e.length - 1].seq : 0; };
  try {
    if (!await ready(P, post)) return;
    const worker = new Worker('bench-worker.js');
    const chain = { page: (m) => requestChain(P.sim, m),
      worker: (m) => new Promise((resolve, reject) => {
        worker.onmessage = (e) => (e.data.error ? reject(new Error(e.data.error)) : resolve());
        worker.postMessage({ sim: P.sim, model: m });
      }) };
    for (const w of ['page', 'worker']) await chain[w](P.chain[w]);  // warm-up: connections and preflight
    const blocks = [];
    for (let round = 0; round < P.rounds; round++) {
      for (const busy of [false, true]) {
        if (busy) {
          if (!window.concord(P.configure).ok) throw new Error('configure failed');
          if (!window.concord({ cmd: 'run', prompt: `Worker question ${round}: should a small team adopt Rust?` }).ok) throw new Error('run refused');
          await sleep(1200);  // the members are streaming
        }
        const seq = await lastSeq();
        const f0 = window.concord({ cmd: 'frames' }).frames, t0 = performance.now();
        for (let i = 0; i < P.per; i++) {
          for (const w of i % 2 ? ['page', 'worker'] : ['worker', 'page']) { await chain[w](P.chain[w]); await sleep(30); }
        }
        const fps = (window.concord({ cmd: 'frames' }).frames - f0) / ((performance.now() - t0) / 1000);
        const stage = window.concord({ cmd: 'bench_run' }).stage;
        if (busy) {
          window.concord({ cmd: 'cancel' });
          await sleep(1000);
        }
        await sleep(50);
        const log = (await (await fetch(`${P.sim}/__sim/log?since=${seq}`)).json()).entries
          .filter((x) => x.path === '/api/v1/chat/completions' && Object.values(P.chain).includes(x.model));
        blocks.push({ busy, fps, stage, log });
      }
    }
    worker.terminate();
    await post({ blocks });
  } catch (e) {
    await post({ error: String((e && e.stack) || e) });
  }
}
async function workerQuestion(size) {
  const P = { rounds: QUICK ? 2 : 3, per: 6, chain: CHAIN_MODEL,
    configure: { ...limitConfig('one'), panel: ['atlas', 'borealis', 'cirrus'].map((p) => `demo/${p}@9000`) } };
  const worker = `const benchChain = ${requestChain};\n` +
    'onmessage = (e) => benchChain(e.data.sim, e.data.model).then(() => postMessage({}), (err) => postMessage({ error: String(err) }));\n';
  const R = await inPageDriver(size, P, workerDriver, [requestChain], { 'bench-worker.js': worker });
  const gaps = { page: { idle: [], busy: [] }, worker: { idle: [], busy: [] } };
  const fps = [];
  for (const b of R.blocks) {
    if (b.busy) {
      if (b.stage !== 'panel answering') throw new Error(`the app's run was not streaming its members (stage ${b.stage})`);
      fps.push(b.fps);
    }
    for (const w of ['page', 'worker']) {
      const e = b.log.filter((x) => x.model === CHAIN_MODEL[w]).sort((x, y) => x.t0 - y.t0);
      if (e.length !== 2 * P.per) throw new Error(`${e.length} ${w} chain calls in a block, not ${2 * P.per}`);
      for (let i = 0; i < e.length; i += 2) gaps[w][b.busy ? 'busy' : 'idle'].push(e[i + 1].t0 - e[i].t1);
    }
  }
  return { size, chains_per_cell: gaps.page.busy.length, busy_frames_per_s: stats(fps),
    page: { idle_ms: stats(gaps.page.idle), busy_ms: stats(gaps.page.busy) }, worker: { idle_ms: stats(gaps.worker.idle), busy_ms: stats(gaps.worker.busy) } };
}

// ---- [SECTION] 2. straggler with quorum n-1 ------------------------------------------------
async function straggler(page, n) {
  const normal = MEMBER_MS.slice(0, n - 1);
  const slow = 10 * Math.max(...normal);
  const panel = PERSONAS.slice(0, n).map((p, i) => `demo/${p}@${i < n - 1 ? normal[i] : slow}`);
  const judge = `demo/judge@${JUDGE_MS}`;
  await api(page, { cmd: 'configure', panel, judges: [judge], quorum: n - 1, quorum_deadline_s: 0, max_retries: 0 });
  const origin = await page.evaluate(() => performance.timeOrigin);
  const rows = [];
  for (let i = 0; i < N.straggler + 1; i++) {
    const seq = await simSeq();
    await resetCallTimes(page);
    const r = await timedRun(page, `Straggler benchmark, ${n} members, run ${i}: is a 4-day work week productive?`);
    const st = await api(page, { cmd: 'state' });
    const judged = st.judged.length;
    await api(page, { cmd: 'cancel_member', i: n - 1 });
    await waitIdle(page);
    const e = chatEntries(await simLog(seq));
    const members = e.filter((x) => x.model !== judge && x.fixed_ms !== slow), judges = e.filter((x) => x.model === judge);
    if (members.length !== n - 1 || judges.length < 1) throw new Error('unexpected simulator log in the straggler run');
    const reference = Math.max(...members.map(dur)) + judges.reduce((s, x) => s + dur(x), 0);
    const finish = r.t_done - r.t_run;
    if (i === 0) continue;
    // Where the time over the reference goes (simulator and page clocks are both the system clock).
    const calls = [...judges].sort((a, b) => a.t0 - b.t0);
    // The dispatch's two parts: the run command → the last member's request starts in the
    // browser (page), then → the simulator (out). Every member starts before the first answer ends.
    const sent = (await callTimes(page)).filter((x) => x.start < origin + r.t_run + Math.min(...members.map(dur)));
    const lateSim = e.filter((x) => x.model !== judge).reduce((a, b) => (b.t0 > a.t0 ? b : a));
    const latePage = sent.reduce((a, b) => (b.start > a.start ? b : a));
    const split = {
      dispatch_page: latePage.start - (origin + r.t_run),
      dispatch_out: lateSim.t0 - latePage.start,
      dispatch: Math.max(...members.map((x) => x.t0)) - (origin + r.t_run),
      member_to_judge: calls[0].t0 - Math.max(...members.map((x) => x.t1)),
      judge_to_writer: calls.length > 1 ? calls[1].t0 - calls[0].t1 : 0,
      last_byte_to_frame: origin + r.t_done - calls[calls.length - 1].t1,
    };
    rows.push({ finish, reference, ratio: finish / reference, judged, ...split });
  }
  const pick = (k) => stats(rows.map((x) => x[k]));
  return { members: n, panel, judge, quorum: n - 1, straggler_ms: slow, runs: rows.length, finish_ms: pick('finish'),
    reference_ms: pick('reference'), ratio: pick('ratio'), judged: rows.map((x) => x.judged),
    split_ms: { dispatch: pick('dispatch'), member_to_judge: pick('member_to_judge'), judge_to_writer: pick('judge_to_writer'),
      last_byte_to_frame: pick('last_byte_to_frame'), dispatch_page: pick('dispatch_page'), dispatch_out: pick('dispatch_out') } };
}

// A throwaway loopback certificate for the simulator's HTTP/2 port (openssl; Debian's package
// is in scripts/setup), with the SHA-256 of its public key for Chromium's trust flag. Null, and
// no HTTP/2 rows, when openssl is missing.
function loopbackCert() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'concord-bench-'));
  const keyFile = path.join(dir, 'key.pem'), certFile = path.join(dir, 'cert.pem');
  try {
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
      '-keyout', keyFile, '-out', certFile, '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'],
    { stdio: 'ignore' });
    const key = fs.readFileSync(keyFile), cert = fs.readFileSync(certFile);
    const spkiDer = new crypto.X509Certificate(cert).publicKey.export({ type: 'spki', format: 'der' });
    return { key, cert, spki: crypto.createHash('sha256').update(spkiDer).digest('base64') };
  } catch (e) {
    log(`no loopback certificate (${e.message}): the HTTP/2 rows are skipped`);
    return null;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

// ---- [SECTION] 3. cold start and bytes -----------------------------------------------------
function bytesShipped() {
  const files = ['index.html', 'concord.js', 'concord.wasm', ...fs.readdirSync(path.join(DIST, 'fonts')).map((f) => 'fonts/' + f)];
  const out = {};
  for (const f of files) {
    const buf = fs.readFileSync(path.join(DIST, f));
    out[f] = { raw: buf.length, gzip: zlib.gzipSync(buf, { level: 9 }).length };
  }
  const sum = (pred, k) => Object.entries(out).filter(([f]) => pred(f)).reduce((s, [, v]) => s + v[k], 0);
  const jw = (f) => f === 'concord.js' || f === 'concord.wasm';
  return { files: out, js_wasm_raw: sum(jw, 'raw'), js_wasm_gzip: sum(jw, 'gzip'),
    fonts_raw: sum((f) => f.startsWith('fonts/'), 'raw'), fonts_gzip: sum((f) => f.startsWith('fonts/'), 'gzip'),
    total_raw: sum(() => true, 'raw'), total_gzip: sum(() => true, 'gzip') };
}
async function coldStart() {
  const rows = [];
  for (let i = 0; i < N.cold + 1; i++) {
    const page = await newPage();
    await page.addInitScript(() => {
      // index.html: performance marks 'concord-wasm-compiled' and 'concord-runtime' (main() is
      // about to run), data-ready="1" once the first frame is drawn.
      new MutationObserver(() => {
        if (window.__benchReady === undefined && document.body?.getAttribute('data-ready') === '1') {
          window.__benchReady = performance.now();
          // The frame on screen: the browser's second animation frame after it (the first runs
          // before the compositor has the frame; the second after it was presented).
          requestAnimationFrame(() => requestAnimationFrame(() => { window.__benchPainted = performance.now(); }));
        }
      }).observe(document, { subtree: true, attributes: true, attributeFilter: ['data-ready'] });
    });
    await page.goto(site.url + '#' + demoHash);
    await page.waitForFunction(() => window.__benchPainted !== undefined, null, { timeout: 60000, polling: 20 });
    const m = await page.evaluate(() => {
      const nav = performance.getEntriesByType('navigation')[0];
      const res = (n) => performance.getEntriesByType('resource').find((e) => e.name.endsWith(n))?.responseEnd ?? -1;
      const mark = (n) => performance.getEntriesByName(n)[0]?.startTime ?? -1;
      const span = (a, b) => (mark(a) >= 0 && mark(b) >= 0 ? mark(b) - mark(a) : -1);  // -1: a build without the mark
      return { ready: window.__benchReady, painted: window.__benchPainted, runtime: mark('concord-runtime'), compiled: mark('concord-wasm-compiled'),
        main: mark('concord-main'), atlas_ms: span('concord-main', 'concord-atlas'), first_frame_ms: span('concord-atlas', 'concord-first-frame'), dcl: nav.domContentLoadedEventEnd, js: res('concord.js'), wasm: res('concord.wasm'),
        fonts: Math.max(res('Inter-Regular.otf'), res('Inter-Bold.ttf'), res('JetBrainsMono-Regular.ttf')) };
    });
    await page.context().close();
    if (i > 0) rows.push(m);
  }
  const pick = (k) => stats(rows.map((x) => x[k]));
  return { contexts: rows.length, ready_ms: pick('ready'), painted_ms: pick('painted'), dom_content_loaded_ms: pick('dcl'), js_loaded_ms: pick('js'),
    wasm_loaded_ms: pick('wasm'), wasm_compiled_ms: pick('compiled'), main_ms: pick('main'),
    main_to_atlas_ms: pick('atlas_ms'), atlas_to_first_frame_ms: pick('first_frame_ms'), fonts_loaded_ms: pick('fonts'), runtime_ready_ms: pick('runtime') };
}

// ---- [SECTION] 4. frame time with 8 x 30 KB answers and 60 claims; idle redraws ------------
async function frames(page) {
  const text = syntheticRunJson(8, 30 * 1024);
  const imp = await api(page, { cmd: 'import', text });
  const st = await api(page, { cmd: 'state' });
  if (st.members.length !== 8 || !st.has_analysis || st.map_rows !== 60)
    throw new Error(`synthetic run did not load as expected: ${imp.message}; members ${st.members.length}, analysis ${st.has_analysis}, rows ${st.map_rows}`);
  await settle(page);
  const out = { run_json_bytes: text.length, answers: st.members.map((m) => m.chars), map_rows: st.map_rows, tabs: {} };
  for (const tab of ['grid', 'agreement', 'graph']) {
    if (tab !== 'grid') await click(page, `maps.tab.${tab}`);
    else await page.mouse.move(5, 5);
    await settle(page);
    await api(page, { cmd: 'bench_frames', n: N.frames });
    await page.waitForFunction(() => !window.concord({ cmd: 'bench_frames' }).running, null, { timeout: 120000, polling: 100 });
    out.tabs[tab] = await api(page, { cmd: 'bench_frames' });
  }
  await page.mouse.move(5, 5);
  const quiet = await settle(page, { quietMs: 1000, maxMs: 10000 });
  const f0 = (await api(page, { cmd: 'frames' })).frames;
  await page.waitForTimeout(N.idleS * 1000);
  const f1 = (await api(page, { cmd: 'frames' })).frames;
  out.idle = { settled: quiet, seconds: N.idleS, frames: f1 - f0, per_second: (f1 - f0) / N.idleS };
  const worst = (k) => Math.max(...Object.values(out.tabs).map((t) => t[k]));
  out.p95_ms = worst('p95_ms');
  out.ui_p95_ms = worst('ui_p95_ms');
  out.gl_p95_ms = worst('gl_p95_ms');
  return out;
}

// ---- [SECTION] 6. soak: heap after 10 vs 200 runs ------------------------------------------
async function soak(page) {
  const panel = ['demo/atlas@15', 'demo/borealis@20', 'demo/cirrus@25'];
  await api(page, { cmd: 'configure', panel, judges: ['demo/judge@15'], quorum: 0, quorum_deadline_s: 0, max_retries: 0 });
  const t0 = Date.now();
  const res = await page.evaluate(async (total) => {
    const marks = {}, runMs = [];
    const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
    for (let i = 1; i <= total; i++) {
      const t0 = performance.now();
      const r = window.concord({ cmd: 'run', prompt: `Soak run ${i}: what is the best way to learn piano as an adult?` });
      if (!r.ok) return { error: `run ${i} refused: ${r.error}` };
      await sleep(5);
      for (;;) {
        const s = window.concord({ cmd: 'state' });
        if (!s.busy) { if (s.stage !== 'done') return { error: `run ${i} ended ${s.stage}: ${s.error}` }; break; }
        await sleep(5);
      }
      runMs.push(performance.now() - t0);
      if ([1, 10, 50, 100, 150, 200].includes(i)) { await sleep(50); marks[i] = window.concord({ cmd: 'heap' }); }
    }
    return { marks, runMs };
  }, N.soak);
  if (res.error) throw new Error(res.error);
  const m = res.marks;
  const at = (k) => ({ heap_bytes: m[k].heap_bytes, used_bytes: m[k].used_bytes });
  return { runs: N.soak, seconds: (Date.now() - t0) / 1000, panel,
    run_ms_first_10: stats(res.runMs.slice(0, 10)), run_ms_last_10: stats(res.runMs.slice(-10)), marks: Object.fromEntries(Object.keys(m).map((k) => [k, at(k)])),
    heap_growth_pct: (100 * (m[200].heap_bytes - m[10].heap_bytes)) / m[10].heap_bytes,
    used_growth_pct_10_200: (100 * (m[200].used_bytes - m[10].used_bytes)) / m[10].used_bytes,
    used_growth_pct_50_200: (100 * (m[200].used_bytes - m[50].used_bytes)) / m[50].used_bytes };
}

// ---- [SECTION] report ----------------------------------------------------------------------
const kb = (b) => `${r1(b / 1024)} KB`;
function goals(R) {
  const g = [];
  const add = (id, measure, result, goal, met, note = '') => g.push({ id, measure, result, goal, met, note });
  for (const o of R.overhead ?? []) {
    add(`overhead_${o.members}`, `Orchestration overhead, ${o.members} members (wall − physical limit, ${o.runs} runs)`,
      `median ${r1(o.overhead_ms.median)} ms (${r2(o.overhead_pct.median)} %), max ${r1(o.overhead_ms.max)} ms (${r2(o.overhead_pct.max)} %); limit ${Math.round(o.physical_ms.median)} ms`,
      '≤ 30 ms and ≤ 2 %', o.overhead_ms.median <= 30 && o.overhead_pct.median <= 2,
      `split (median): dispatch ${r1(o.split_ms.dispatch.median)} ms, last member → judge request ${r1(o.split_ms.member_to_judge.median)} ms, judge end → frame ${r1(o.split_ms.judge_to_frame.median)} ms; ${Math.round(o.frames_during_run.frames.median)} frames per run, frame time p50 ${r1(o.frames_during_run.cpu_p50_ms.median)} / p95 ${r1(o.frames_during_run.cpu_p95_ms.median)} ms (whole Frame(), GL included)`);
  }
  for (const s of R.straggler ?? []) {
    const h2 = s.protocol === 'h2';
    add(`straggler_${s.members}${h2 ? '_h2' : ''}`, `Straggler (10×, ${s.straggler_ms} ms), quorum ${s.quorum} of ${s.members}${h2 ? ', over HTTP/2 + TLS (as OpenRouter serves)' : ', over HTTP/1.1'}`,
      `finish ${Math.round(s.finish_ms.median)} ms = ${r2(s.ratio.median)} × reference (max ${r2(s.ratio.max)} ×)`,
      '≤ 1.05 × ((n−1)th member + judge + writer)', s.ratio.median <= 1.05,
      `split (median): dispatch ${r1(s.split_ms.dispatch.median)} ms (every member's request started in the browser by ${r1(s.split_ms.dispatch_page.median)} ms, the last at the simulator ${r1(s.split_ms.dispatch_out.median)} ms after), last counted member → judge request ${r1(s.split_ms.member_to_judge.median)} ms, judge → writer request ${r1(s.split_ms.judge_to_writer.median)} ms, last byte → frame ${r1(s.split_ms.last_byte_to_frame.median)} ms; reference ${Math.round(s.reference_ms.median)} ms`);
  }
  if (R.cold_start) {
    const c = R.cold_start, m = (x) => (x.median >= 0 ? `${Math.round(x.median)} ms` : 'n/a');
    add('cold_start', `Cold start to first interactive frame (${c.contexts} fresh contexts)`,
      `median ${m(c.ready_ms)} (min ${Math.round(c.ready_ms.min)}, max ${Math.round(c.ready_ms.max)}); on screen (2nd animation frame after) ${m(c.painted_ms)}`,
      '≤ 1.0 s', c.ready_ms.median <= 1000,
      `split (median): wasm downloaded at ${m(c.wasm_loaded_ms)} and compiled at ${m(c.wasm_compiled_ms)}, main() at ${m(c.main_ms)}, window + app + font atlas ${m(c.main_to_atlas_ms)}, first frame ${m(c.atlas_to_first_frame_ms)}`);
  }
  if (R.bytes) add('bytes', 'Bytes shipped, concord.js + concord.wasm',
    `${kb(R.bytes.js_wasm_gzip)} gzip (${kb(R.bytes.js_wasm_raw)} raw); fonts ${kb(R.bytes.fonts_gzip)} gzip (${kb(R.bytes.fonts_raw)} raw)`,
    '≤ 400 KB gzip', R.bytes.js_wasm_gzip <= 400 * 1024);
  if (R.frames) {
    const t = R.frames.tabs;
    add('frame_time', `Frame time (whole Frame(), CPU), 8 × 30 KB answers + ${R.frames.map_rows}-claim map, ${N.frames} frames per maps tab`,
      Object.entries(t).map(([k, v]) => `${k} p50 ${r2(v.p50_ms)} / p95 ${r2(v.p95_ms)} ms`).join('; '),
      'p95 ≤ 16 ms', R.frames.p95_ms <= 16,
      `of which GL submission (clear + GlRendererRender; the rasterising itself runs in the GPU process) p95 ${r2(R.frames.gl_p95_ms)} ms; ${Object.values(t)[0].vertices} vertices per frame`);
    add('frame_ui', 'Frame time, UI build only (NewFrame … Render: layout, text, maps; no GL)',
      Object.entries(t).map(([k, v]) => `${k} p50 ${r2(v.ui_p50_ms)} / p95 ${r2(v.ui_p95_ms)} ms`).join('; '),
      'p95 ≤ 16 ms', R.frames.ui_p95_ms <= 16);
    add('idle', 'Redraws while idle', `${r2(R.frames.idle.per_second)} per second (${R.frames.idle.frames} in ${R.frames.idle.seconds} s)`,
      '0', R.frames.idle.frames === 0);
  }
  for (const [flavour, e] of Object.entries(R.engine ?? {})) {
    if (!e) continue;
    add(`analysis_${flavour}`, `Local analysis (UpdateMapData: TF-IDF similarity + stances + layout), ${flavour}`,
      `median ${r2(e.update_map_data_ms.median)} ms (similarity ${r2(e.text_similarity_ms.median)}, stances + layout ${r2(e.stances_layout_ms.median)})`,
      '≤ 20 ms', flavour === 'wasm' ? e.update_map_data_ms.median <= 20 : null);
    add(`engine_${flavour}`, `Engine busy time per run, 8 × 30 KB via ScriptedTransport, ${flavour}`,
      `token-like 24 B deltas (${e.engine_stream.sse_events} events): ${r2(e.engine_stream.busy_ms.median)} ms; 1 KB deltas (${e.engine_1k.sse_events} events): ${r2(e.engine_1k.busy_ms.median)} ms`,
      '≤ 1 ms', flavour === 'wasm' ? e.engine_stream.busy_ms.median <= 1 : null,
      `worst single frame: ${r2(e.engine_stream.max_frame_ms.median)} ms (24 B), ${r2(e.engine_1k.max_frame_ms.median)} ms (1 KB)`);
  }
  if (R.soak) add('soak', `Heap after ${R.soak.runs} vs 10 runs (one page, fixed 15–25 ms latencies)`,
    `HEAP8 ${kb(R.soak.marks[10].heap_bytes)} → ${kb(R.soak.marks[200].heap_bytes)} (${r2(R.soak.heap_growth_pct)} %); malloc'd ${kb(R.soak.marks[10].used_bytes)} → ${kb(R.soak.marks[200].used_bytes)} (${r2(R.soak.used_growth_pct_10_200)} %; ${r2(R.soak.used_growth_pct_50_200)} % from run 50, when history is full)`,
    'flat within 5 %', Math.abs(R.soak.heap_growth_pct) <= 5,
    `time per run (run → idle): ${Math.round(R.soak.run_ms_first_10.median)} ms for runs 1–10, ${Math.round(R.soak.run_ms_last_10.median)} ms for runs 191–200`);
  for (const L of [...(R.limit ?? []), ...(R.limit_no_devtools ?? [])]) {
    const big = L.size === '1440x900';
    const nodt = L.no_devtools ? '_no_devtools' : '';
    for (const m of ['two', 'one']) {
      const x = L[m];
      const label = `${m}-phase, ${L.size}${nodt ? ', no DevTools client (driven from inside the page)' : ''}`;
      const goal = big ? 1.08 : 1.04;
      add(`limit_wall_${m}_${L.size}${nodt}`, `Wall ÷ physical limit, ${label} (members 300/600/900 ms, judge 500${m === 'two' ? ', writer 500' : ''}; ${L.runs} runs)`,
        `${r2(x.ratio.median)} × (wall ${Math.round(x.wall_ms.median)} ms, limit ${Math.round(x.physical_ms.median)} ms)`,
        `≤ ${goal} ×`, x.ratio.median <= goal);
      const gaps = [x.dispatch_ms.median, x.member_to_judge_ms.median, ...(x.judge_to_writer_ms ? [x.judge_to_writer_ms.median] : [])];
      add(`limit_gaps_${m}_${L.size}${nodt}`, `Orchestration gaps, ${label}`,
        `dispatch ${r1(x.dispatch_ms.median)} ms, last member → judge request ${r1(x.member_to_judge_ms.median)} ms` +
        (x.judge_to_writer_ms ? `, judge → writer request ${r1(x.judge_to_writer_ms.median)} ms` : ''),
        '≤ 10 ms each', Math.max(...gaps) <= 10, 'from the simulator\'s request times (dispatch: the run command → the last member request); ' +
        `single runs within 10 ms: ${[['dispatch', x.dispatch_ms], ['member → judge', x.member_to_judge_ms], ...(x.judge_to_writer_ms ? [['judge → writer', x.judge_to_writer_ms]] : [])]
          .map(([k, v]) => `${k} ${v.all.filter((t) => t <= 10).length} of ${v.n}`).join(', ')}; ` +
        `a bare fetch round trip from the idle page to the simulator: ${r1(L.bare_fetch_rtt_ms.median)} ms median (min ${r1(L.bare_fetch_rtt_ms.min)}); ` +
        'split (median, ms; in: the last byte reaches the browser, page: → the next request starts, fetch() included, out: → the simulator, of which queued for a connection): ' +
        Object.entries(x.gap_split_ms).map(([g, v]) => `${g.replace(/_/g, ' ')} ${g === 'dispatch' ? '' : `in ${r1(v.in.median)} + `}page ${r1(v.page.median)} + out ${r1(v.out.median)} (queued ${r1(v.queued.median)})`).join('; '));
      if (nodt) continue;  // no frame timing and no task accounting without DevTools
      // A frame's cost: frames drawn back to back, end to end (this thread, the GPU process's
      // rasterisation and the display); the CPU part alone is in the frame-time rows.
      const frameMs = L.frame ? Math.max(L.frame.p50_ms, L.frame.period_p50_ms ?? 0) : NaN;
      add(`limit_last_byte_${m}_${L.size}`, `Last byte → on screen, ${label}`,
        `${r1(x.last_byte_to_frame_ms.median)} ms (a frame costs ${r1(frameMs)} ms p50 here: frames drawn back to back, GPU included; ${r1(L.frame?.p50_ms)} ms of it on the page thread)`,
        '≤ one frame + 10 ms', x.last_byte_to_frame_ms.median <= frameMs + 10);
      add(`limit_busy_${m}_${L.size}`, `Main thread busy during the run, ${label}`,
        `${r1(x.busy_pct.median)} % (${r1(x.frames_per_s.median)} frames a second)`,
        big ? '≤ 50 %, ≥ 8 updates a second' : 'reported', big ? x.busy_pct.median <= 50 && x.frames_per_s.median >= 8 : null,
        'Chromium TaskDuration over the run; frames drawn ÷ wall');
    }
  }
  if (R.worker) {
    const w = R.worker, f = (x) => `${r1(x.median)} ms (${r1(x.min)}–${r1(x.max)})`;
    add('worker_question', `A Worker instead of the page thread: one call's [DONE] → the next request at the simulator, ${w.size}, no DevTools client (${w.chains_per_cell} chains each)`,
      `while the app streams a run (${r1(w.busy_frames_per_s.median)} frames a second): page thread ${f(w.page.busy_ms)}, Worker ${f(w.worker.busy_ms)}; ` +
      `app idle: page thread ${f(w.page.idle_ms)}, Worker ${f(w.worker.idle_ms)}`,
      'reported (what a Worker could win at most)', null,
      'the same chain of two streamed calls from each, alternately; the gap is the simulator\'s (first call\'s end → second call\'s arrival)');
  }
  return g;
}
function markdown(R) {
  const yes = (m) => (m === null || m === undefined ? 'n/a' : m ? 'yes' : '**no**');
  let md = `## Concord benchmarks\n\n${R.meta.date} · ${R.meta.cpu} × ${R.meta.cores} · load ${R.meta.load_start.join(' ')} → ${R.meta.load_end.join(' ')} · ${R.meta.chromium} · node ${R.meta.node} · ${R.meta.commit}\n\n`;
  md += '| Measure | Result | Goal | Met |\n|---|---|---|---|\n';
  for (const g of R.goals) md += `| ${g.measure} | ${g.result}${g.note ? `<br><sub>${g.note}</sub>` : ''} | ${g.goal} | ${yes(g.met)} |\n`;
  if (R.bytes) {
    md += '\n| File | Raw | Gzip -9 |\n|---|---|---|\n';
    for (const [f, v] of Object.entries(R.bytes.files)) md += `| ${f} | ${kb(v.raw)} | ${kb(v.gzip)} |\n`;
  }
  if (R.errors.length) md += `\nErrors:\n${R.errors.map((e) => `- ${e}`).join('\n')}\n`;
  md += `\nMedians of repeated runs; min/max and every sample are in bench.json. Timings on a shared or loaded machine are noisy (see the load averages above).\n`;
  return md;
}

// ---- [SECTION] main ------------------------------------------------------------------------
async function main() {
  const readJson = (f) => { try { return f ? JSON.parse(fs.readFileSync(f, 'utf8')) : null; } catch { return null; } };
  let commit = 'unknown';
  try {
    commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT }).toString().trim();
    if (execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], { cwd: ROOT }).toString().trim()) commit += '+dirty';
  } catch { /* not a checkout */ }
  const R = {
    meta: { viewport: `${VW}x${VH}`, date: new Date().toISOString(), cpu: os.cpus()[0]?.model ?? '?', cores: os.cpus().length, node: process.version,
      load_start: os.loadavg().map(r2), commit, quick: QUICK, samples: N },
    errors: [],
  };
  R.engine = { native: readJson(args['engine-native']), wasm: readJson(args['engine-wasm']) };
  R.bytes = bytesShipped();

  const tls = loopbackCert();
  sim = await startSim({ port: 0, host: '127.0.0.1', speed: 1, tls });
  site = await startStatic({ dir: DIST, port: 0, host: '127.0.0.1' });
  demoHash = `demo=${encodeURIComponent(sim.url + '/api/v1')}`;
  demoHashH2 = tls && `demo=${encodeURIComponent(sim.h2url + '/api/v1')}`;
  // The browser trusts the throwaway certificate and nothing else it would otherwise refuse.
  const trust = tls ? [`--ignore-certificate-errors-spki-list=${tls.spki}`] : [];
  browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', args: [...CHROMIUM_ARGS, ...trust] });
  R.meta.chromium = `Chromium ${browser.version()}`;
  const step = async (name, fn) => {
    const t = Date.now();
    log(`${name}…`);
    try { return await fn(); } catch (e) { R.errors.push(`${name}: ${e.message}`); log(`${name} FAILED: ${e.stack ?? e}`); return undefined; }
    finally { log(`${name} took ${((Date.now() - t) / 1000).toFixed(1)} s`); }
  };
  try {
    if (want('cold')) R.cold_start = await step('cold start', coldStart);
    const page = want('overhead') || want('straggler') ? await step('open app', openApp) : undefined;
    if (page) {
      R.overhead = [];
      for (const n of want('overhead') ? [3, 5] : []) { const o = await step(`overhead, ${n} members`, () => overhead(page, n)); if (o) R.overhead.push(o); }
      R.straggler = [];
      for (const n of want('straggler') ? [3, 5] : []) { const s = await step(`straggler, ${n} members`, () => straggler(page, n)); if (s) R.straggler.push(s); }
      if (page.errors.length) R.errors.push(`page errors: ${page.errors.slice(0, 5).join(' | ')}`);
      await page.context().close();
    }
    // The same straggler runs over HTTP/2 with TLS, OpenRouter's transport: a page's calls share
    // one connection, where over HTTP/1.1 each call in flight opens its own.
    const hpage = want('straggler') && demoHashH2 ? await step('open app (HTTP/2)', () => openApp(undefined, demoHashH2)) : undefined;
    if (hpage) {
      for (const n of [3, 5]) {
        const s = await step(`straggler over HTTP/2, ${n} members`, () => straggler(hpage, n));
        if (s) R.straggler.push({ ...s, protocol: 'h2' });
      }
      if (hpage.errors.length) R.errors.push(`page errors (HTTP/2): ${hpage.errors.slice(0, 5).join(' | ')}`);
      await hpage.context().close();
    }
    R.limit = [];
    for (const size of want('limit') ? [{ width: 1440, height: 900 }, { width: 720, height: 450 }] : []) {
      const lpage = await step(`open app (limit ${size.width}x${size.height})`, () => openApp(size));
      if (!lpage) continue;
      const L = await step(`limit runs ${size.width}x${size.height}`, () => limitRuns(lpage, `${size.width}x${size.height}`));
      if (L) R.limit.push(L);
      if (lpage.errors.length) R.errors.push(`page errors: ${lpage.errors.slice(0, 5).join(' | ')}`);
      await lpage.context().close();
    }
    R.limit_no_devtools = [];
    for (const size of want('limit') || want('limit-no-devtools') ? ['1440x900', '720x450'] : []) {
      const L = await step(`limit runs ${size}, no DevTools client`, () => limitRunsNoDevtools(size));
      if (L) R.limit_no_devtools.push(L);
    }
    if (want('worker')) R.worker = await step('a Worker instead of the page thread, 1440x900', () => workerQuestion('1440x900'));
    const fpage = want('frames') ? await step('open app (frames)', openApp) : undefined;
    if (fpage) { R.frames = await step('frame time + idle', () => frames(fpage)); await fpage.context().close(); }
    // A small canvas: the soak is about memory, and software GL on a large canvas only slows it.
    const spage = want('soak') ? await step('open app (soak)', () => openApp({ width: 800, height: 500 })) : undefined;
    if (spage) { R.soak = await step(`soak, ${N.soak} runs`, () => soak(spage)); await spage.context().close(); }
  } finally {
    await browser.close();
    await sim.close();
    await site.close();
  }
  R.meta.load_end = os.loadavg().map(r2);
  R.goals = goals(R);
  fs.writeFileSync(path.join(OUT, 'bench.json'), JSON.stringify(R, null, 2) + '\n');
  const md = markdown(R);
  fs.writeFileSync(path.join(OUT, 'bench.md'), md);
  process.stdout.write(md);
  if (R.errors.length) process.exitCode = 1;
}

const isMain = (() => { try { return fs.realpathSync(process.argv[1] ?? '') === fileURLToPath(import.meta.url); } catch { return false; } })();
if (isMain) main().catch((e) => { console.error(e); process.exit(1); });
