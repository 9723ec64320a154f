// Shared browser-test harness: Debian's Chromium through playwright-core, the static
// server for dist/ and the provider simulator, all on loopback. No test downloads anything.
import { chromium } from 'playwright-core';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startStatic } from '../../scripts/serve.mjs';
import { startSim } from '../../scripts/sim/provider-sim.mjs';
import { CHROMIUM_ARGS } from '../../scripts/chromium-args.mjs';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const OUT = process.env.CONCORD_TEST_OUTPUT || path.join(ROOT, 'build', 'test-output');
export const SHOTS = path.join(OUT, 'screenshots');
fs.mkdirSync(SHOTS, { recursive: true });


// Starts the site + simulator once per test file. The demo provider base URL in the app
// defaults to http://127.0.0.1:8787/api/v1; tests pass the sim's real port via settings.
export async function startServers() {
  const sim = await startSim({ port: 0, host: '127.0.0.1', speed: Number(process.env.SIM_SPEED || 8) });
  const site = await startStatic({ dir: path.join(ROOT, 'dist'), port: 0, host: '127.0.0.1' });
  return { sim, site, async close() { await sim.close(); await site.close(); } };
}

export async function launch() {
  return chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', args: CHROMIUM_ARGS });
}

// Opens the app at the given DPR and waits for the first real frame. Collects console
// errors and page errors into page.errors.
// onRequest(url) sees every request the page makes, from the first one.
export async function openApp(browser, url, { dpr = 1, width = 1440, height = 900, hash = '', onRequest = null } = {}) {
  const context = await browser.newContext({ deviceScaleFactor: dpr, viewport: { width, height } });
  if (onRequest) context.on('request', (r) => onRequest(r.url()));
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(url).origin });
  const page = await context.newPage();
  page.errors = [];
  page.on('console', (m) => { if (m.type() === 'error') page.errors.push(m.text()); });
  page.on('pageerror', (e) => page.errors.push(String(e)));
  await page.goto(url + (hash ? '#' + hash : ''));
  await page.waitForFunction(() => document.body.getAttribute('data-ready') === '1', null, { timeout: 30000 });
  await page.bringToFront();
  return page;
}

export async function api(page, cmd) {
  return page.evaluate((c) => window.concord(c), cmd);
}

// Waits until the app's state satisfies pred (evaluated in Node on the JSON state).
export async function waitState(page, pred, { timeout = 30000, what = 'state' } = {}) {
  const t0 = Date.now();
  let last;
  while (Date.now() - t0 < timeout) {
    last = await api(page, { cmd: 'state' });
    if (pred(last)) return last;
    await page.waitForTimeout(100);
  }
  throw new Error(`timed out waiting for ${what}; last state: ${JSON.stringify(last).slice(0, 2000)}`);
}

// Waits until the render loop has gone quiet (no new frame for quietMs): input queued in
// ImGui has been processed and what is on screen is final. Animations keep it busy, so
// it gives up after maxMs.
export async function settle(page, { quietMs = 400, maxMs = 5000 } = {}) {
  const t0 = Date.now();
  let last = -1, since = Date.now();
  while (Date.now() - t0 < maxMs) {
    const f = (await api(page, { cmd: 'frames' })).frames;
    if (f !== last) { last = f; since = Date.now(); }
    else if (Date.now() - since >= quietMs) return;
    await page.waitForTimeout(50);
  }
}

// { live: true } takes the picture now, mid-stream, instead of waiting for the page to settle.
export async function shot(page, name, { live = false } = {}) {
  const dpr = await page.evaluate(() => devicePixelRatio);
  if (!live) await settle(page);
  const file = path.join(SHOTS, `${name}@${dpr}x.png`);
  await page.screenshot({ path: file });
  return file;
}

// Where a named widget is, in CSS pixels. The page records widgets as it draws them, so a
// state change (a loaded catalogue, a finished run) can be visible in `state` a frame before
// its widgets are on screen; this waits for that frame, as a user's eye does.
export async function rectOf(page, name, { timeout = 5000 } = {}) {
  const t0 = Date.now();
  for (;;) {
    const r = await api(page, { cmd: 'rect', name });
    if (!r.error) return r;
    if (Date.now() - t0 >= timeout) {
      const shown = await api(page, { cmd: 'rects' });
      throw new Error(`widget ${name} not on screen after ${timeout} ms; on screen: ${JSON.stringify(shown).slice(0, 600)}`);
    }
    await page.waitForTimeout(30);
  }
}

// A tap on a named widget: the pointer moves and presses in the same frame, with no hover
// before it (touch, pen, automation), then the page settles unless { settled: false }.
export async function tap(page, name, { settled = true } = {}) {
  const r = await rectOf(page, name);
  await page.mouse.click(r.x + Math.min(r.w / 2, 30), r.y + r.h / 2);
  if (settled) await settle(page);
}

// A mouse click as a user makes it: hover first (ImGui tabs need a hovered frame before the
// press), then press and release, then the page settles.
export async function click(page, name) {
  const r = await rectOf(page, name);
  await page.mouse.move(r.x + Math.min(r.w / 2, 30), r.y + r.h / 2);
  await settle(page);
  await page.mouse.down();
  await page.mouse.up();
  await settle(page);
}
