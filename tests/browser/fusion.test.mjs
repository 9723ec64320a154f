// End-to-end fusion runs in a real browser against the provider simulator (OpenRouter's
// wire format: SSE with comments, errors, retries). Every state gets a screenshot.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServers, launch, openApp, api, waitState, shot, settle, click } from './harness.mjs';

let servers, browser;
before(async () => { servers = await startServers(); browser = await launch(); });
after(async () => { await browser?.close(); await servers?.close(); });

const finished = (s) => !s.busy && ['done', 'failed', 'cancelled'].includes(s.stage);

async function open(dpr = 1, opts = {}) {
  const demo = encodeURIComponent(servers.sim.url + '/api/v1');
  const page = await openApp(browser, servers.site.url, { dpr, hash: `demo=${demo}`, ...opts });
  await waitState(page, (s) => s.catalogue > 0, { what: 'catalogue' });
  return page;
}
async function runWith(page, { panel, judges, prompt, ...rest }) {
  const c = await api(page, { cmd: 'configure', panel, judges, ...rest });
  assert.equal(c.ok, true);
  const r = await api(page, { cmd: 'run', prompt });
  assert.equal(r.ok, true, `run refused: ${r.error}`);
}

for (const dpr of [1, 2]) {
  test(`full demo fusion at DPR ${dpr}: panel, judge, maps, costs`, async () => {
    const page = await open(dpr);
    // Start from the UI: type the question and press the Run button.
    await click(page, 'prompt.input');
    await page.keyboard.type('Should a small team adopt Rust for a new backend service?');
    if (dpr === 1) await click(page, 'prompt.run');
    else await page.keyboard.press('Control+Enter');  // the shortcut shown next to the button
    const mid = await waitState(page, (s) => s.stage !== 'idle', { what: 'run start' });
    assert.equal(mid.members.length, 3);
    await page.waitForTimeout(300);
    await shot(page, 'fusion-streaming');
    const s = await waitState(page, finished, { timeout: 60000, what: 'fusion end' });
    assert.equal(s.stage, 'done', s.error);
    assert.deepEqual(s.members.map((m) => m.status), ['done', 'done', 'done']);
    for (const m of s.members) {
      assert.ok(m.chars > 200, `member ${m.label} answered`);
      assert.ok(m.cost > 0, `member ${m.label} has a cost`);
      assert.ok(m.ttft > 0, `member ${m.label} has a time to first token`);
    }
    assert.equal(s.has_analysis, true, 'judge analysis parsed');
    assert.ok(s.consensus >= 1 && s.contradictions >= 1, 'analysis has consensus and contradictions');
    assert.ok(s.final_answer.length > 200, 'final answer written');
    assert.deepEqual(s.judged, ['A', 'B', 'C']);
    assert.ok(s.map_rows >= 2, 'stance grid has rows');
    assert.ok(s.total_cost > 0);
    await shot(page, 'fusion-done-grid');
    // Clicking a stance cell jumps to that model's quote and highlights it in its card.
    await click(page, 'maps.grid.cell.0.1');
    const jumped = await api(page, { cmd: 'state' });
    assert.equal(jumped.focus_member, 1, 'the clicked column\'s card is focused');
    assert.ok(jumped.highlight[1] > jumped.highlight[0], 'the quote was found and highlighted');
    await shot(page, 'fusion-grid-jump-to-quote');
    await click(page, 'maps.tab.agreement');
    const ag = await api(page, { cmd: 'state' });
    assert.equal(ag.maps_tab, 1, 'agreement tab opened by a click');
    assert.equal(ag.gl_heatmap, true, 'the heat map shader compiled and linked');
    assert.ok(ag.gl_heatmap_draws > 0, 'the agreement view drew through the GLSL heat map');
    await shot(page, 'fusion-done-agreement');
    await click(page, 'maps.tab.graph');
    assert.equal((await api(page, { cmd: 'state' })).maps_tab, 2, 'graph tab opened by a click');
    await shot(page, 'fusion-done-graph');
    await click(page, 'judge.tab.analysis');
    assert.equal((await api(page, { cmd: 'state' })).judge_tab, 1, 'analysis tab opened by a click');
    await shot(page, 'fusion-done-analysis');
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });
}

test('failing members: 401 is explained, 429 is retried after Retry-After, the run still fuses', async () => {
  const page = await open();
  await runWith(page, { panel: ['demo/atlas', 'scenario/http-401', 'scenario/rate-limit-once'], judges: ['demo/judge'],
    prompt: 'Compare SQLite and Postgres for a desktop app.' });
  const s = await waitState(page, finished, { timeout: 60000, what: 'run end' });
  assert.equal(s.stage, 'done', s.error);
  assert.equal(s.members[0].status, 'done');
  assert.equal(s.members[1].status, 'failed');
  assert.match(s.members[1].error, /key|401|unauthori[sz]ed/i, 'the 401 says what is wrong');
  assert.equal(s.members[2].status, 'done', 'rate-limited member succeeded on retry');
  assert.equal(s.members[2].retries, 1);
  assert.deepEqual(s.judged, ['A', 'C'], 'judge saw exactly the answers that exist');
  assert.ok(s.final_answer.length > 100);
  await shot(page, 'fusion-member-errors');
  await page.context().close();
});

test('a failing judge is survived: fallback judge, then a clearly marked fallback answer', async () => {
  const page = await open();
  await runWith(page, { panel: ['demo/atlas', 'demo/borealis'], judges: ['scenario/judge-500', 'demo/judge'],
    prompt: 'Is a 4-day work week productive?' });
  let s = await waitState(page, finished, { timeout: 60000, what: 'run end' });
  assert.equal(s.stage, 'done', s.error);
  assert.equal(s.judges[0].status, 'failed');
  assert.equal(s.has_analysis, true, 'the fallback judge produced the analysis');
  assert.ok(s.final_answer.length > 100);

  await runWith(page, { panel: ['demo/atlas', 'demo/borealis'], judges: ['scenario/judge-not-json'],
    prompt: 'Is a 4-day work week productive?' });
  s = await waitState(page, (x) => finished(x) && x.prompt.includes('4-day'), { timeout: 60000, what: 'run end' });
  assert.notEqual(s.stage, 'failed', 'a prose-only judge does not fail the run');
  assert.ok(s.final_answer.length > 50, 'there is still a final answer');
  assert.ok((s.warning + s.final_note).length > 0, 'the fallback is explained on screen');
  await shot(page, 'fusion-judge-fallback');
  await page.context().close();
});

test('quorum: the judge starts without the straggler, which is kept and marked late', async () => {
  const page = await open();
  await runWith(page, { panel: ['demo/atlas', 'demo/borealis', 'scenario/slow'], judges: ['demo/judge'],
    quorum: 2, quorum_deadline_s: 0, prompt: 'What is the best way to learn piano as an adult?' });
  const judging = await waitState(page, (s) => s.judges.length > 0, { timeout: 30000, what: 'judge start' });
  assert.notEqual(judging.members[2].status, 'done', 'judge started before the straggler finished');
  const s = await waitState(page, (x) => finished(x) && x.members[2].status !== 'streaming' && x.members[2].status !== 'queued',
    { timeout: 90000, what: 'straggler end' });
  assert.equal(s.stage, 'done', s.error);
  assert.deepEqual(s.judged, ['A', 'B']);
  assert.equal(s.members[2].late, true, 'straggler marked late');
  assert.ok(s.members[2].chars > 0, 'the late answer is kept, not lost');
  await shot(page, 'fusion-quorum-late');
  await page.context().close();
});

test('cancel one member mid-stream, and cancel a whole run', async () => {
  const page = await open();
  await runWith(page, { panel: ['demo/atlas', 'demo/borealis', 'scenario/hang'], judges: ['demo/judge'],
    idle_timeout_s: 60, prompt: 'Explain CRDTs briefly.' });
  await waitState(page, (s) => s.members[0].status === 'done' && s.members[1].status === 'done', { what: 'two answers' });
  assert.equal((await api(page, { cmd: 'state' })).members[2].status, 'streaming');
  await api(page, { cmd: 'cancel_member', i: 2 });
  const s = await waitState(page, finished, { timeout: 60000, what: 'run end after cancel' });
  assert.equal(s.members[2].status, 'cancelled');
  assert.equal(s.stage, 'done', 'the judge ran on the two answers');
  assert.deepEqual(s.judged, ['A', 'B']);

  await runWith(page, { panel: ['scenario/hang', 'scenario/keepalive-20s'], judges: ['demo/judge'], prompt: 'Explain CRDTs again.' });
  await waitState(page, (x) => x.members.every((m) => m.status === 'streaming'), { what: 'streams open' });
  await api(page, { cmd: 'cancel' });
  const c = await waitState(page, finished, { what: 'cancelled' });
  assert.equal(c.stage, 'cancelled');
  const log = await (await fetch(servers.sim.url + '/__sim/log')).json();
  assert.ok(Array.isArray(log.entries ?? log), 'simulator log readable');
  await shot(page, 'fusion-cancelled');
  await page.context().close();
});

test('CORS failure and HTML error pages get clear messages', async () => {
  const page = await open();
  await runWith(page, { panel: ['demo/atlas', 'scenario/no-cors', 'scenario/html-error'], judges: ['demo/judge'],
    max_retries: 0, prompt: 'Why is the sky blue?' });
  const s = await waitState(page, finished, { timeout: 60000, what: 'run end' });
  assert.match(s.members[1].error, /CORS|unreachable/i);
  assert.equal(s.members[2].status, 'failed');
  assert.ok(!/<html|<body/i.test(s.members[2].error), 'HTML is summarised, not shown raw');
  assert.equal(s.stage, 'done');
  await shot(page, 'fusion-cors-html');
  await page.context().close();
});

test('history survives a reload; export then import restores the run', async () => {
  const page = await open();
  await runWith(page, { panel: ['demo/atlas', 'demo/borealis', 'demo/cirrus'], judges: ['demo/judge'],
    prompt: 'History check: tabs or spaces?' });
  const done = await waitState(page, finished, { timeout: 60000 });
  const exp = await api(page, { cmd: 'export' });
  assert.ok(exp.json.includes('History check'));
  assert.ok(exp.markdown.includes(done.final_answer.split('\n')[0]));
  await page.reload();
  await page.waitForFunction(() => document.body.getAttribute('data-ready') === '1');
  const after = await api(page, { cmd: 'state' });
  assert.ok(after.history >= 1, 'history kept across reload');
  await api(page, { cmd: 'open_history', i: 0 });
  const reopened = await waitState(page, (s) => s.final_answer.length > 0, { what: 'history reopened' });
  assert.equal(reopened.final_answer, done.final_answer);

  const bad = await api(page, { cmd: 'import', text: '{"format":"something-else"}' });
  assert.match(bad.message, /import/i, 'a wrong file gets a clear message');
  const good = await api(page, { cmd: 'import', text: exp.json });
  assert.ok(!/error|fail/i.test(good.message), good.message);
  await shot(page, 'history-after-reload');
  await page.context().close();
});
