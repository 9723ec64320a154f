// The hosted page demos fusion by itself: dist/ served under a sub-path by a plain static
// server, no simulator process, no key. Every gallery example runs to a complete fusion
// through the in-page demo provider, and nothing is requested outside the page's own
// static files. A free question gets the honest message and the Connect button.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { startStatic } from '../../scripts/serve.mjs';
import { ROOT, OUT, launch, openApp, api, waitState, shot, settle, tap, rectOf } from './harness.mjs';

let site, browser;
before(async () => {
  site = await startStatic({ dir: path.join(ROOT, 'dist'), port: 0, host: '127.0.0.1', base: '/concord/' });
  browser = await launch();
});
after(async () => { await browser?.close(); await site?.close(); });

const finished = (s) => !s.busy && ['done', 'failed', 'cancelled'].includes(s.stage);
const STATIC = /^(|index\.html|concord\.js|concord\.wasm|fonts\/[\w.-]+\.(otf|ttf)|demo\/[\w.-]+\.mjs)$/;

// Opens the page as a first-time visitor and records every request it makes.
async function visit(dpr) {
  const requests = [];
  const page = await openApp(browser, site.url, { dpr, onRequest: (u) => requests.push(u) });
  const st = await waitState(page, (s) => s.catalogue > 0 && s.examples.length >= 6, { what: 'demo catalogue and examples' });
  return { page, requests, st };
}

function assertOnlyStatic(requests) {
  for (const u of new Set(requests)) {
    assert.ok(u.startsWith(site.url), `request outside the page's origin and sub-path: ${u}`);
    const rel = u.slice(site.url.length).split(/[?#]/)[0];
    assert.match(rel, STATIC, `request for something other than a static file: ${u}`);
  }
}

test('first visit, no key, no simulator: every example question runs to a complete fusion', async () => {
  const { page, requests, st } = await visit(1);
  assert.equal(st.demo, true);
  assert.equal(st.demo_base, 'demo://in-page/api/v1');
  assert.equal(st.catalogue_error, '');
  assert.ok(st.examples.every((q) => typeof q === 'string' && q.length > 10), 'examples are the gallery questions');
  await shot(page, 'demo-empty-gallery');

  const times = [];
  for (let i = 0; i < st.examples.length; i++) {
    const t0 = Date.now();
    if (i === 0) { await tap(page, 'example.0', { settled: false }); await page.mouse.move(5, 5); }  // the first one is tapped like a visitor does
    else assert.equal((await api(page, { cmd: 'example', i })).ok, true);
    const running = await waitState(page, (s) => s.stage !== 'idle' && s.prompt === st.examples[i], { what: `example ${i} start` });
    if (i === 0) {
      await waitState(page, (s) => s.members.some((m) => m.chars > 80) && s.busy, { what: 'streaming', timeout: 10000 });
      await shot(page, 'demo-running', { live: true });
    }
    const s = await waitState(page, finished, { timeout: 30000, what: `example ${i} end` });
    times.push(Date.now() - t0);
    const q = st.examples[i];
    assert.equal(s.stage, 'done', `${q}: ${s.error}`);
    assert.equal(running.members.length, 3);
    for (const m of s.members) {
      assert.equal(m.status, 'done', `${q}: member ${m.label}`);
      assert.ok(m.chars > 200 && m.cost > 0 && m.ttft > 0, `${q}: member ${m.label} answered, with cost and time`);
      assert.ok(!/cannot answer this one/.test(m.text), `${q}: member ${m.label} has a written answer`);
    }
    assert.equal(s.has_analysis, true, `${q}: analysis`);
    assert.ok(s.consensus >= 1 && s.contradictions >= 1, `${q}: consensus and contradictions`);
    assert.ok(s.map_rows >= 3, `${q}: stance grid rows`);
    assert.ok(s.final_answer.length > 300 && !s.final_answer.trimStart().startsWith('{'), `${q}: a written final answer`);
    assert.equal(s.final_note, '', `${q}: the final answer is the judge's own`);
    assert.ok(s.total_cost > 0, `${q}: costs`);
    assert.deepEqual(s.judged, ['A', 'B', 'C']);
    if (/K2-18/.test(q)) {
      assert.ok(s.members.every((m) => m.citations > 0), 'grounded members cite sources');
      assert.equal(s.merged_sources, 3, 'their sources are merged into one list under the answer');
      await shot(page, 'demo-grounded-sources');
    }
    if (/six in four rolls/.test(q)) {
      assert.deepEqual(s.panel.map((m) => m.model), ['demo/atlas', 'demo/atlas', 'demo/atlas'], 'self-fusion: one model');
      assert.deepEqual(s.panel.map((m) => m.temperature), [0.2, 0.7, 1.1]);
      assert.match(s.final_answer, /51\.8%/);
    }
    if (/bat and a ball/.test(q)) {
      assert.match(s.final_answer, /5 cents/, 'the lone correct answer is kept');
      assert.ok(s.minority >= 1, 'and listed as a minority position');
    }
    if (/Great Wall/.test(q)) assert.match(s.final_answer, /\*\*No\.\*\*/, 'the confidently wrong member is caught');
    if (i === 1) await shot(page, 'demo-finished');
  }
  assertOnlyStatic(requests);
  const sorted = times.slice().sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)];
  fs.writeFileSync(path.join(OUT, 'demo-times.json'), JSON.stringify({ times_ms: times, median_ms: median }, null, 2));
  console.log(`demo run times (ms): ${times.join(', ')}; median ${median}`);
  assert.ok(median <= 6000, `median demo run ${median} ms (goal ≤ 6 s)`);
  assert.deepEqual(page.errors, [], 'no console errors');
  await page.context().close();
});

test('DPR 2: the gallery, a running demo and a finished one', async () => {
  const { page, requests } = await visit(2);
  await shot(page, 'demo-empty-gallery');
  await tap(page, 'example.1', { settled: false });
  await waitState(page, (s) => s.busy && s.members.some((m) => m.chars > 80), { what: 'streaming', timeout: 10000 });
  await shot(page, 'demo-running', { live: true });
  const s = await waitState(page, finished, { timeout: 30000, what: 'end' });
  assert.equal(s.stage, 'done');
  await shot(page, 'demo-finished');
  assertOnlyStatic(requests);
  await page.context().close();
});

test('taps (move and press in one frame) select tabs and stance cells and press buttons', async () => {
  const { page } = await visit(1);
  await tap(page, 'example.2', { settled: false });
  await waitState(page, (s) => s.stage === 'done' && !s.busy, { timeout: 30000, what: 'demo run' });
  await settle(page);
  const state = () => api(page, { cmd: 'state' });
  await tap(page, 'maps.tab.agreement');
  assert.equal((await state()).maps_tab, 1, 'a tapped maps tab opens');
  await tap(page, 'maps.tab.grid');
  assert.equal((await state()).maps_tab, 0);
  await tap(page, 'maps.grid.cell.0.1');
  assert.equal((await state()).focus_member, 1, 'a tapped stance cell shows that answer');
  await tap(page, 'judge.tab.analysis');
  assert.equal((await state()).judge_tab, 1, 'a tapped judge tab opens');
  await shot(page, 'demo-tapped-analysis');
  assert.equal((await state()).setup_open, true);
  await tap(page, 'toggle.setup');
  assert.equal((await state()).setup_open, false, 'a tapped button is pressed');
  await page.context().close();
});

test('a free question in the demo gets the honest message and a one-click Connect', async () => {
  const { page } = await visit(1);
  await tap(page, 'prompt.input');
  await page.keyboard.type('Is it safe to eat raw cookie dough? Give the real risks.');
  await tap(page, 'prompt.run');
  const s = await waitState(page, (x) => x.demo_only_examples, { what: 'the demo-only message' });
  assert.equal(s.stage, 'idle', 'nothing ran');
  assert.equal(s.members.length, 0);
  assert.match(s.message, /only its example questions/);
  await rectOf(page, 'demo.connect');  // the Connect OpenRouter button is drawn in the frame after the refusal
  await shot(page, 'demo-free-question');
  // One click leaves for OpenRouter's sign-in page (answered here by a stand-in).
  let signIn = null;
  await page.route('https://openrouter.ai/**', (route) => { signIn = route.request().url(); route.fulfill({ status: 200, contentType: 'text/html', body: '<p>sign-in stand-in</p>' }); });
  await tap(page, 'demo.connect', { settled: false });
  await page.waitForURL(/openrouter\.ai\/auth/, { timeout: 10000 });
  assert.match(signIn, /^https:\/\/openrouter\.ai\/auth\?callback_url=/);
  assert.match(signIn, /code_challenge_method=S256/);
  await page.context().close();
});
