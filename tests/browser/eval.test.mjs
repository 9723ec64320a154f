// Eval mode in the demo (the simulator stands in for the demo provider, so its request log
// shows every call): a 20-question eval is set up and confirmed by taps, the page is reloaded
// mid-way, the eval resumes, and no call of an answer finished before the reload is made again.
// Then the results: the table, the score-vs-cost chart, the grid and an opened cell; the
// exports; screenshots at DPR 1 and 2 of the setup, a running eval and the results.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServers, launch, openApp, api, waitState, shot, settle, tap, rectOf } from './harness.mjs';

let servers, browser;
before(async () => { servers = await startServers(); browser = await launch(); });
after(async () => { await browser?.close(); await servers?.close(); });

const evalState = (page) => api(page, { cmd: 'eval_state' });
async function waitEval(page, pred, what, timeout = 120000) {
  const t0 = Date.now();
  let last;
  while (Date.now() - t0 < timeout) {
    last = await evalState(page);
    if (pred(last)) return last;
    await page.waitForTimeout(150);
  }
  throw new Error(`timed out waiting for ${what}: ${JSON.stringify(last).slice(0, 1500)}`);
}
async function simLog() { return (await (await fetch(servers.sim.url + '/__sim/log')).json()).entries; }

for (const dpr of [1, 2]) {
  test(`DPR ${dpr}: a 20-question demo eval, reloaded mid-way, resumes without repeating a finished call`, async () => {
    const hash = `demo=${encodeURIComponent(servers.sim.url + '/api/v1')}`;
    const page = await openApp(browser, servers.site.url, { dpr, hash });
    await waitState(page, (s) => s.catalogue > 0, { what: 'catalogue' });
    const st = await api(page, { cmd: 'state' });
    assert.ok(st.eval_sets.some((s) => s.id === 'builtin:mixed' && s.items >= 150), 'the built-in sets are listed');
    await api(page, { cmd: 'configure', panel: ['demo/atlas', 'demo/borealis', 'demo/cirrus'], judges: ['demo/judge'], search: 0 });
    await tap(page, 'toggle.eval');
    assert.equal((await evalState(page)).open, true, 'eval mode opens with a tap');
    await tap(page, 'eval.set.0');  // builtin:mixed
    await tap(page, 'eval.confirm');
    await shot(page, 'eval-setup-confirm');
    await tap(page, 'eval.start');
    let s = await waitEval(page, (x) => x.busy && x.done >= 20, 'a running eval', 60000);
    await shot(page, 'eval-running', { live: true });

    // Reload mid-way: what was finished is saved; what was in flight is asked again.
    const saved = JSON.parse((await api(page, { cmd: 'eval_export' })).json);
    const finished = new Set(saved.tasks.filter((t) => t.status === 'done').map((t) => `${t.c}|${t.i}`));
    assert.ok(finished.size >= 20 && finished.size < saved.items.length * saved.contestants.length, `mid-way: ${finished.size} finished`);
    const mark = Math.max(...(await simLog()).map((e) => e.seq));
    await page.reload();
    await page.waitForFunction(() => document.body.getAttribute('data-ready') === '1', null, { timeout: 30000 });
    await waitState(page, (x) => x.catalogue > 0, { what: 'catalogue after reload' });
    s = await evalState(page);
    assert.equal(s.interrupted, true, 'the page knows the eval was interrupted');
    assert.equal(s.open, true, 'and opens eval mode with Resume');
    await settle(page);
    await tap(page, 'eval.resume');
    s = await waitEval(page, (x) => !x.busy && x.stage === 'done', 'the resumed eval to finish', 180000);
    assert.equal(s.done, s.total);

    const after = (await simLog()).filter((e) => e.seq > mark && e.eval_task);
    assert.ok(after.length > 0, 'the resumed eval made calls');
    const repeated = after.filter((e) => finished.has(e.eval_task));
    assert.deepEqual(repeated.map((e) => e.eval_task), [], 'no finished answer was asked for again');

    // Results: every contestant scored, the vote made no calls, the fusion is there.
    const ids = s.contestants.map((c) => c.id);
    assert.ok(ids.includes('fusion') && ids.includes('vote') && ids.filter((x) => x.startsWith('single:')).length === 3, ids.join(', '));
    for (const c of s.contestants) {
      assert.equal(c.done + c.failed, 20, `${c.label}: every question`);
      assert.ok(c.ci_lo <= c.accuracy && c.accuracy <= c.ci_hi, `${c.label}: the interval holds the accuracy`);
    }
    assert.ok(!(await simLog()).some((e) => e.eval_task?.startsWith('vote|')), 'the vote reads the members\' answers');
    await settle(page);
    for (const r of ['eval.table', 'eval.chart']) await rectOf(page, r);  // both on screen
    await shot(page, 'eval-results');
    await tap(page, 'eval.cell.0.0');
    await rectOf(page, 'eval.answer');  // a tapped cell opens its answer
    await shot(page, 'eval-cell-open');
    assert.deepEqual((await evalState(page)).selected, [0, 0]);
    await page.keyboard.press('ArrowRight');
    await settle(page);
    assert.deepEqual((await evalState(page)).selected, [0, 1], 'the right arrow opens the next contestant\'s cell');
    await page.keyboard.press('ArrowDown');
    await settle(page);
    assert.deepEqual((await evalState(page)).selected, [1, 1], 'the down arrow, the next question');
    // Adding a contestant with taps: Setup kept as a snapshot (it runs as the fusion until Setup changes).
    await tap(page, 'eval.add');
    await tap(page, 'eval.add_setup');
    s = await evalState(page);
    assert.match(s.message, /^Added /);
    assert.ok(s.available.some((c) => c.added) === false, 'a snapshot equal to Setup is not a second contestant');
    await api(page, { cmd: 'configure', panel: ['demo/atlas', 'demo/borealis'] });
    assert.ok((await evalState(page)).available.some((c) => c.added), 'after Setup changes it is one');
    await settle(page);
    await shot(page, 'eval-add-open');
    const ex = await api(page, { cmd: 'eval_export' });
    assert.equal(ex.csv.trim().split('\n').length, 1 + 20 * s.contestants.length, 'one CSV row per answer');
    assert.equal(JSON.parse(ex.json).scripted_demo, true, 'the export says the demo is scripted');
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });
}

test('a bad eval file says its line and keeps what was loaded', async () => {
  const page = await openApp(browser, servers.site.url, { hash: `demo=${encodeURIComponent(servers.sim.url + '/api/v1')}` });
  await api(page, { cmd: 'eval_open', open: true });
  const good = await api(page, { cmd: 'eval_load', name: 'mine.jsonl', text: '{"question":"2+2?","number":4}\n{"question":"Capital of France?","answer":"Paris"}\n' });
  assert.match(good.message, /Loaded mine\.jsonl: 2 questions/);
  const bad = await api(page, { cmd: 'eval_load', name: 'broken.csv', text: 'question,answer\nok,1\n"unclosed,2\n' });
  assert.match(bad.message, /nothing was loaded/);
  assert.match(bad.message, /line 3/);
  const st = await api(page, { cmd: 'state' });
  assert.ok(st.eval_sets.some((x) => x.id === 'file:mine.jsonl' && x.items === 2), 'the good file is still there');
  // Through the real file picker: Excel's CSV in a European locale (semicolons, Windows-1252),
  // then a file too large to read into the page.
  await settle(page);
  const pick = async (file) => {
    const [chooser] = await Promise.all([page.waitForEvent('filechooser'), tap(page, 'eval.load_file')]);
    await chooser.setFiles(file);
    await page.waitForTimeout(300);
    return (await api(page, { cmd: 'eval_state' })).file_message;
  };
  const excel = Buffer.concat([Buffer.from('sep=;\r\nquestion;answer\r\nCapital of Brazil?;Bras'), Buffer.from([0xed]), Buffer.from('lia\r\n;\r\n')]);
  assert.equal(await pick({ name: 'excel.csv', mimeType: 'text/csv', buffer: excel }),
    'Loaded excel.csv: 1 question (read as Windows-1252, as Excel saves CSV: not UTF-8; semicolon-separated).');
  const set = (await api(page, { cmd: 'state' })).eval_sets.find((x) => x.id === 'file:excel.csv');
  assert.equal(set?.items, 1);
  const big = Buffer.alloc(33 * 1024 * 1024, 0x20);
  assert.equal(await pick({ name: 'huge.jsonl', mimeType: 'application/json', buffer: big }),
    'Could not open huge.jsonl (nothing was loaded): it is 35 MB, and Concord reads files of up to 32 MB.');
  await page.context().close();
});
