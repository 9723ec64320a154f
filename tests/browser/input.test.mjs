// Bad input gets a clear inline message and nothing typed or received is lost.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServers, launch, openApp, api, waitState, shot, settle, click } from './harness.mjs';

let servers, browser, page;
before(async () => {
  servers = await startServers();
  browser = await launch();
  page = await openApp(browser, servers.site.url, { hash: `demo=${encodeURIComponent(servers.sim.url + '/api/v1')}` });
  await waitState(page, (s) => s.catalogue > 0, { what: 'catalogue' });
});
after(async () => { await browser?.close(); await servers?.close(); });

const DEMO = ['demo/atlas', 'demo/borealis', 'demo/cirrus'];
async function refused(cfg, prompt) {
  await api(page, { cmd: 'configure', ...cfg });
  const r = await api(page, { cmd: 'run', prompt });
  assert.equal(r.ok, false, 'the run is refused');
  const st = await api(page, { cmd: 'state' });
  assert.equal(st.message, r.error, 'the reason is shown inline under the question');
  assert.equal(st.prompt, prompt, 'the prompt is kept');
  return r.error;
}

test('validation messages: empty prompt, no models, duplicate, bad URL, judge in panel', async () => {
  assert.match(await refused({ panel: DEMO, judges: ['demo/judge'] }, '   '), /empty/i);
  assert.match(await refused({ panel: [], judges: ['demo/judge'] }, 'Hello?'), /panel|model/i);
  assert.match(await refused({ panel: ['demo/atlas', 'demo/atlas'], judges: ['demo/judge'] }, 'Hello?'), /twice|duplicate/i);
  assert.match(await refused({ panel: DEMO, judges: [] }, 'Hello?'), /judge/i);
  assert.match(await refused({ panel: DEMO, judges: ['demo/judge'], demo_base: 'not a url' }, 'Hello?'), /URL/);
  await shot(page, 'input-bad-url');
  await api(page, { cmd: 'configure', demo_base: servers.sim.url + '/api/v1', panel: DEMO, judges: ['demo/atlas'] });
  const ok = await api(page, { cmd: 'run', prompt: 'Judge in the panel?' });
  assert.equal(ok.ok, true, 'a judge that is also a member is allowed');
  const s = await waitState(page, (x) => !x.busy && x.stage === 'done', { timeout: 60000 });
  assert.match(s.warning, /also a panel member/i, 'but the user is warned');
  await shot(page, 'input-judge-in-panel');
});

test('a long question wraps in the box, and the question keeps its spaces', async () => {
  await api(page, { cmd: 'configure', panel: DEMO, judges: ['demo/judge'] });
  await click(page, 'prompt.input');
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Delete');
  const q = 'A bat and a ball cost $1.10 in total. The bat costs $1.00 more than the ball. ' +
    'How much does the ball cost, and why do most people answer ten cents at first?';
  await page.keyboard.type(q.slice(0, 40));      // key by key
  await page.keyboard.insertText(q.slice(40));   // and as an IME commit
  await settle(page);
  let st = await api(page, { cmd: 'state' });
  assert.equal(st.prompt, q, 'the question is exactly what was typed');
  assert.ok(st.prompt_wrapped_at >= 1, `the box shows it wrapped (${st.prompt_wrapped_at} wrap points)`);
  await shot(page, 'input-long-question');
  // Backspace at the start of the last wrapped line deletes the space it wrapped at; Ctrl+Z undoes it.
  await page.keyboard.press('Home');
  await page.keyboard.press('Backspace');
  await settle(page);
  st = await api(page, { cmd: 'state' });
  assert.equal(st.prompt.length, q.length - 1, 'one character deleted');
  assert.equal(st.prompt.replace(/\s/g, ''), q.replace(/\s/g, ''), 'and it was a space');
  await page.keyboard.press('Control+Z');
  await settle(page);
  assert.equal((await api(page, { cmd: 'state' })).prompt, q, 'undo brings it back');
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Delete');
  await settle(page);
});

test('a 1 MB paste is kept whole, with a note about its size', async () => {
  await api(page, { cmd: 'configure', panel: DEMO, judges: ['demo/judge'] });
  await click(page, 'prompt.input');  // the field is active before the shortcuts
  await page.keyboard.press('Control+A');
  await settle(page);
  const big = ('Lorem ipsum dolor sit amet — “ünïcödé” €. ').repeat(Math.ceil(1e6 / 44)).slice(0, 1e6);
  await page.evaluate((t) => navigator.clipboard.writeText(t), big);
  await page.keyboard.press('Control+V');
  await settle(page);
  const st = await api(page, { cmd: 'state' });
  assert.equal(st.prompt_chars, Buffer.byteLength(big, 'utf8'), 'every byte of the paste arrived');
  await shot(page, 'input-1mb-paste');
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Delete');
  await settle(page);
});

test('storage full: the run is kept on screen and the user is told', async () => {
  await api(page, { cmd: 'configure', panel: DEMO, judges: ['demo/judge'] });
  // Fill localStorage to the brim with junk under our own key prefix.
  const filled = await page.evaluate(() => {
    let i = 0; const chunk = 'x'.repeat(256 * 1024);
    try { for (; i < 200; i++) localStorage.setItem('concord.test.fill.' + i, chunk); } catch (e) { return i; }
    return i;
  });
  assert.ok(filled > 0);
  await page.evaluate(() => {  // top up with small items until even those fail
    let n = 0; try { for (;;) localStorage.setItem('concord.test.small.' + n++, 'y'.repeat(1024)); } catch (e) { return n; }
  });
  await api(page, { cmd: 'run', prompt: 'Does a run survive full storage?' });
  // The run is saved right after the frame that shows it: the note follows within a frame or two.
  const s = await waitState(page, (x) => !x.busy && x.stage === 'done' && x.history_note !== '', { timeout: 60000 });
  assert.ok(s.final_answer.length > 0, 'the answer is on screen');
  assert.match(s.history_note, /storage is full/i, 'the history says storage is full');
  await shot(page, 'input-storage-full');
  await page.evaluate(() => { for (const k of Object.keys(localStorage)) if (k.startsWith('concord.test.')) localStorage.removeItem(k); });
});
