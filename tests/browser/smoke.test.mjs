// App shell smoke test: loads the served dist/, first frame, no console errors, clipboard
// paste through the real system clipboard, non-ASCII/IME text, idle without redraws,
// DPR 1 and 2 screenshots; the wasm loader with a wrong MIME type and with a missing wasm.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT, startServers, launch, openApp, api, waitState, shot, settle, click } from './harness.mjs';

let servers, browser;
before(async () => { servers = await startServers(); browser = await launch(); });
after(async () => { await browser?.close(); await servers?.close(); });

async function pasteViaClipboard(page, text) {
  await page.evaluate((t) => navigator.clipboard.writeText(t), text);
  await page.keyboard.press('Control+V');
  await settle(page);
}

for (const dpr of [1, 2]) {
  test(`app shell at DPR ${dpr}: first frame, paste, Unicode input, idle, screenshot`, async () => {
    const demo = encodeURIComponent(servers.sim.url + '/api/v1');
    const page = await openApp(browser, servers.site.url, { dpr, hash: `demo=${demo}` });
    const st0 = await waitState(page, (s) => s.catalogue > 0 || s.catalogue_error, { what: 'model catalogue' });
    assert.equal(st0.catalogue_error, '', 'demo catalogue loads');
    assert.equal(st0.demo, true, 'no key: the labelled demo provider is active');

    // Paste from the real clipboard into the question field.
    await click(page, 'prompt.input');
    const pasted = 'Pasted — “quotes”, €5, Ωμέγα, Привет';
    await pasteViaClipboard(page, pasted);
    let st = await api(page, { cmd: 'state' });
    assert.equal(st.prompt, pasted, 'clipboard text reached the ImGui text field');

    // Non-ASCII typing and an IME-style commit (insertText bypasses keypress).
    await page.keyboard.type(' ok');
    await page.keyboard.insertText(' é—Ж你好');
    await settle(page);
    st = await api(page, { cmd: 'state' });
    assert.equal(st.prompt, pasted + ' ok é—Ж你好', 'typed and composed text arrives once, in order');

    // Copy reaches the system clipboard: select all, Ctrl+C.
    await page.keyboard.press('Control+A');
    await page.keyboard.press('Control+C');
    await settle(page);
    const clip = await page.evaluate(() => navigator.clipboard.readText());
    assert.equal(clip, st.prompt, 'Ctrl+C in a text field writes the system clipboard');

    // Enter adds exactly one line break (a key event, not also a text event).
    await page.keyboard.press('End');
    await page.keyboard.press('Enter');
    await settle(page);
    assert.equal((await api(page, { cmd: 'state' })).prompt, st.prompt + '\n', 'one newline per Enter');
    await shot(page, 'shell-typed');

    // Idle: no redraws while nothing changes.
    await page.mouse.move(5, 5);
    await page.waitForTimeout(1200);
    const f1 = (await page.evaluate(() => window.concord({ cmd: 'frames' }))).frames;
    await page.waitForTimeout(1500);
    const f2 = (await page.evaluate(() => window.concord({ cmd: 'frames' }))).frames;
    assert.ok(f2 - f1 <= 2, `idle page redrew ${f2 - f1} frames in 1.5 s`);

    assert.deepEqual(page.errors, [], 'no console errors');
    await page.context().close();
  });
}

test('API key pasted into the key field stays in sessionStorage and off screen', async () => {
  const page = await openApp(browser, servers.site.url, { dpr: 1, hash: `demo=${encodeURIComponent(servers.sim.url + '/api/v1')}` });
  await click(page, 'setup.openrouter_key');
  const key = 'sk-or-v1-0123456789abcdef0123456789abcdef';
  await pasteViaClipboard(page, key);
  await page.keyboard.press('Enter');
  await settle(page);
  const where = await page.evaluate((k) => ({
    session: Object.keys(sessionStorage).some((n) => (sessionStorage.getItem(n) || '').includes(k)),
    local: Object.keys(localStorage).some((n) => (localStorage.getItem(n) || '').includes(k)),
    url: location.href.includes(k),
  }), key);
  assert.deepEqual(where, { session: true, local: false, url: false });
  const st = await api(page, { cmd: 'state' });
  assert.ok(!JSON.stringify(st).includes(key), 'the window API never returns keys');
  assert.ok(!JSON.stringify(await api(page, { cmd: 'settings' })).includes(key), 'settings export has no key');
  await shot(page, 'shell-key-pasted');
  await page.context().close();
});

// The address bar's link follows the question (a share link), written a moment after the
// question's requests have left: history.replaceState is a synchronous trip to the browser
// process, and the requests are still on their way then.
test('the link follows the question, after its requests leave, with no key in it', async () => {
  const page = await openApp(browser, servers.site.url, { dpr: 1, hash: `demo=${encodeURIComponent(servers.sim.url + '/api/v1')}` });
  await waitState(page, (s) => s.catalogue > 0, { what: 'model catalogue' });
  await api(page, { cmd: 'configure', panel: ['demo/atlas', 'demo/borealis'], judges: ['demo/judge'], search: 0 });
  const key = 'sk-or-v1-feedfacefeedfacefeedfacefeedface';
  await page.evaluate((k) => sessionStorage.setItem('concord.keys', JSON.stringify({ openrouter: k })), key);
  const q = 'Is a link a good way to share a question?';
  const r = await page.evaluate((text) => {
    const before = location.hash;
    const x = window.concord({ cmd: 'run', prompt: text });
    return { ok: x.ok, before, right_after: location.hash };
  }, q);
  assert.equal(r.ok, true);
  assert.equal(r.right_after, r.before, 'not written while the requests are on their way');
  await page.waitForFunction((text) => decodeURIComponent(location.hash).includes(text), q, { timeout: 3000 });
  const hash = await page.evaluate(() => decodeURIComponent(location.hash));
  assert.match(hash, /panel=demo\/atlas,demo\/borealis/);
  assert.ok(!hash.includes(key), 'never a key in the link');
  await waitState(page, (s) => !s.busy && s.stage === 'done', { what: 'run end', timeout: 60000 });
  // A reload within the delay keeps the newest link (it is written as the page goes).
  const q2 = 'And a second question, reloaded at once?';
  await Promise.all([
    page.waitForEvent('load'),
    page.evaluate((text) => { window.concord({ cmd: 'run', prompt: text }); setTimeout(() => location.reload(), 0); }, q2),
  ]);
  await page.waitForFunction(() => document.body.getAttribute('data-ready') === '1', null, { timeout: 30000 });
  assert.ok((await page.evaluate(() => decodeURIComponent(location.hash))).includes(q2), 'the link handed to the reloaded page');
  assert.equal((await api(page, { cmd: 'state' })).prompt, q2, 'and the question is back in the box');
  assert.equal(await page.evaluate(() => sessionStorage.getItem('concord.link_handoff')), null, 'taken once');
  await page.context().close();
});

// The wasm is compiled by index.html itself (streaming, from the first moment): a host that
// serves it with another MIME type still starts the app (compiled from its bytes), and a
// missing wasm is named on the page instead of leaving the loading bar spinning.
test('the app starts when the host serves the wasm as application/octet-stream', async () => {
  const context = await browser.newContext({ viewport: { width: 1024, height: 700 } });
  const bytes = fs.readFileSync(path.join(ROOT, 'dist', 'concord.wasm'));
  let served = 0;
  await context.route('**/concord.wasm', (route) => {
    served++;
    return route.fulfill({ status: 200, contentType: 'application/octet-stream', body: bytes });
  });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(servers.site.url);
  await page.waitForFunction(() => document.body.getAttribute('data-ready') === '1', null, { timeout: 30000 });
  assert.ok(served >= 1, 'the wasm came through the wrong-MIME route');
  const st = await page.evaluate(() => window.concord({ cmd: 'state' }));
  assert.equal(st.demo, true, 'the app runs');
  assert.deepEqual(errors, []);
  await context.close();
});

test('a missing concord.wasm is named on the page', async () => {
  const context = await browser.newContext({ viewport: { width: 1024, height: 700 } });
  await context.route('**/concord.wasm', (route) => route.fulfill({ status: 404, contentType: 'text/plain', body: 'Not Found' }));
  const page = await context.newPage();
  await page.goto(servers.site.url);
  await page.waitForFunction(() => document.getElementById('status').className === 'error', null, { timeout: 30000 });
  const text = await page.evaluate(() => document.getElementById('status-text').textContent);
  assert.match(text, /Could not load concord\.wasm \(HTTP 404\)/);
  assert.match(text, /deployed completely/);
  assert.equal(await page.evaluate(() => document.body.getAttribute('data-ready')), null, 'no app frame');
  await context.close();
});

// The renderer honours ImGui's vertex offsets: one draw list of more vertices than 16-bit
// indices reach (bench_big_list: 160 x 160 one-pixel squares, 102,400 vertices) is drawn whole,
// every square at its own place and in its own colour, the last ones too.
for (const dpr of [1, 2]) {
  test(`a draw list past 65,536 vertices is drawn whole at DPR ${dpr}`, async () => {
    const page = await openApp(browser, servers.site.url, { dpr, hash: `demo=${encodeURIComponent(servers.sim.url + '/api/v1')}` });
    const n = 160;
    const r = await api(page, { cmd: 'bench_big_list', n });
    assert.ok(r.vertices > 65536, `the list needs vertex offsets (${r.vertices} vertices)`);
    await settle(page);
    const png = await page.screenshot({ clip: { x: 0, y: 0, width: 2 * n, height: 2 * n } });
    await api(page, { cmd: 'bench_big_list', n: 0 });
    // Read the pixels back in a plain page (a 2D canvas), square by square.
    const viewer = await browser.newPage();
    const bad = await viewer.evaluate(async ({ src, n, dpr }) => {
      const img = new Image();
      img.src = src;
      await img.decode();
      const c = document.createElement('canvas');
      c.width = img.width; c.height = img.height;
      const g = c.getContext('2d');
      g.drawImage(img, 0, 0);
      const px = g.getImageData(0, 0, c.width, c.height).data;
      const at = (x, y) => { const k = 4 * (y * c.width + x); return [px[k], px[k + 1], px[k + 2]]; };
      const out = [];
      for (let j = 0; j < n; j++) for (let i = 0; i < n; i++) {
        const [R, , B] = at(2 * i * dpr, 2 * j * dpr);  // the screenshot is in device pixels
        const red = R > 200 && B < 60, blue = B > 200 && R < 60;
        if ((i + j) % 2 ? !blue : !red) out.push([i, j, R, B]);
      }
      return { count: out.length, first: out.slice(0, 5) };
    }, { src: 'data:image/png;base64,' + png.toString('base64'), n, dpr });
    await viewer.close();
    assert.equal(bad.count, 0, `squares missing or misplaced, e.g. ${JSON.stringify(bad.first)}`);
    assert.deepEqual(page.errors, [], 'no console errors');
    await page.context().close();
  });
}
