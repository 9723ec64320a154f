// "Connect OpenRouter" in a real browser: OAuth PKCE against the provider simulator, which
// stands in for openrouter.ai (/auth redirects back with ?code=…, /api/v1/auth/keys hands out
// a key). The button is pressed by its pixels; the tab really leaves and comes back.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServers, launch, openApp, api, waitState, shot, settle, rectOf } from './harness.mjs';

let servers, browser;
before(async () => { servers = await startServers(); browser = await launch(); });
after(async () => { await browser?.close(); await servers?.close(); });

async function open() {
  const demo = encodeURIComponent(servers.sim.url + '/api/v1');
  const page = await openApp(browser, servers.site.url, { hash: `demo=${demo}` });
  await waitState(page, (s) => s.catalogue > 0, { what: 'catalogue' });
  const c = await api(page, { cmd: 'configure', openrouter_base: servers.sim.url + '/api/v1' });
  assert.equal(c.ok, true, JSON.stringify(c));
  return page;
}

// Waits for a new document (the old one set window.__oldDocument) that has drawn its first frame.
async function waitNewDocument(page, timeout = 30000) {
  const t0 = Date.now();
  while (Date.now() - t0 < timeout) {
    try {
      const ready = await page.evaluate(() => !window.__oldDocument && document.body?.getAttribute('data-ready') === '1');
      if (ready) return;
    } catch { /* the context went away mid-navigation: try again */ }
    await page.waitForTimeout(100);
  }
  throw new Error('the app did not come back after the sign-in redirect');
}

async function storage(page) {
  return page.evaluate(() => ({
    session: { ...sessionStorage }, local: { ...localStorage }, href: location.href,
  }));
}

test('Connect OpenRouter: sign in, come back, key stored in this tab only, real run with it', async () => {
  const page = await open();
  const site = new URL('/', servers.site.url).href;
  const bad = await api(page, { cmd: 'configure', openrouter_base: 'https://example.com/api/v1' });
  assert.equal(bad.ok, false, 'the window API only points OpenRouter at loopback');
  assert.equal((await api(page, { cmd: 'state' })).demo, true);

  const navigations = [];
  const requests = [];
  page.on('framenavigated', (f) => { if (f === page.mainFrame()) navigations.push(f.url()); });
  page.on('request', (r) => requests.push({ url: r.url(), method: r.method(), nav: r.isNavigationRequest() }));
  await page.evaluate(() => { window.__oldDocument = true; });

  // Like a user: hover (the tooltip shows), then press.
  const r = await rectOf(page, 'setup.connect_openrouter');
  await page.mouse.move(r.x + Math.min(r.w / 2, 30), r.y + r.h / 2);
  await settle(page);
  await page.waitForTimeout(700);  // ImGui's tooltip delay
  await api(page, { cmd: 'redraw' });
  await shot(page, 'oauth-connect-tooltip');
  await page.mouse.down();
  await page.mouse.up();
  await waitNewDocument(page);

  // It went to the simulator's sign-in page with an S256 challenge and our page as callback.
  const auth = requests.find((q) => q.nav && q.url.startsWith(servers.sim.url + '/auth?'));
  assert.ok(auth, `navigated to the sign-in page: ${JSON.stringify(requests.filter((q) => q.nav))}`);
  const aq = new URL(auth.url).searchParams;
  assert.equal(aq.get('callback_url'), site);
  assert.equal(aq.get('code_challenge_method'), 'S256');
  assert.match(aq.get('code_challenge'), /^[A-Za-z0-9_-]{43}$/);
  assert.ok(navigations.some((u) => u.startsWith(site + '?code=')), `came back with a code: ${navigations}`);

  const s = await waitState(page, (x) => x.oauth_ok || x.oauth_id, { what: 'key exchange', timeout: 20000 });
  assert.equal(s.oauth_id, '', s.oauth);
  assert.equal(s.oauth_ok, true);
  assert.match(s.oauth, /^Connected: key stored in this tab's session\./);
  assert.equal(s.demo, false, 'no longer in demo mode');
  assert.ok(requests.some((q) => q.method === 'POST' && q.url === servers.sim.url + '/api/v1/auth/keys'), 'code exchanged');

  const st = await storage(page);
  const key = JSON.parse(st.session['concord.keys']).openrouter;
  assert.match(key, /^sk-or-v1-sim-/, 'the key is in sessionStorage');
  assert.equal(st.session['concord.pkce'], undefined, 'the verifier was deleted after the exchange');
  assert.ok(!JSON.stringify(st.local).includes(key) && !JSON.stringify(st.local).includes('sk-or-v1'), 'not in localStorage');
  assert.equal(st.href, site, 'the code is gone from the URL');
  assert.ok(!st.href.includes(key));
  assert.ok(!JSON.stringify(s).includes(key), 'the window API never shows the key');
  await shot(page, 'oauth-connected');

  // The key works: a run on the OpenRouter endpoint (the simulator) sends it.
  const c = await api(page, { cmd: 'configure', endpoint: 'openrouter', panel: ['demo/atlas', 'demo/borealis'], judges: ['demo/judge'] });
  assert.equal(c.ok, true);
  const run = await api(page, { cmd: 'run', prompt: 'Is PKCE worth it for a static site?' });
  assert.equal(run.ok, true, run.error);
  const done = await waitState(page, (x) => !x.busy && ['done', 'failed', 'cancelled'].includes(x.stage), { timeout: 60000, what: 'run' });
  assert.equal(done.stage, 'done', done.error);
  assert.deepEqual(done.members.map((m) => m.endpoint), ['openrouter', 'openrouter']);
  const log = await (await fetch(servers.sim.url + '/__sim/log')).json();
  const chats = log.entries.filter((e) => e.method === 'POST' && e.path === '/api/v1/chat/completions');
  assert.ok(chats.length >= 3 && chats.every((e) => e.auth), `every call carried the key: ${JSON.stringify(chats)}`);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('Connect OpenRouter: a code that does not exchange gives a clear inline error', async () => {
  const page = await open();
  // A sign-in that this tab started (a verifier is stored), but the code is not one the
  // server issued (as after expiry or reuse).
  await page.evaluate(() => sessionStorage.setItem('concord.pkce', 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk'));
  await page.evaluate(() => { window.__oldDocument = true; });
  const site = new URL('/', servers.site.url).href;
  await page.goto(site + '?code=expired-code-123');
  await waitNewDocument(page);
  const s = await waitState(page, (x) => x.oauth_id !== '' || x.oauth_ok, { what: 'exchange failure', timeout: 20000 });
  assert.equal(s.oauth_ok, false);
  assert.equal(s.oauth_id, 'oauth.bad_code');
  assert.match(s.oauth, /^\[oauth\.bad_code\] .*expired.*Connect OpenRouter/);
  assert.equal(s.demo, true, 'still the demo provider');
  const st = await storage(page);
  assert.equal(st.href, site, 'the code is gone from the URL');
  assert.equal(st.session['concord.pkce'], undefined);
  assert.equal(JSON.parse(st.session['concord.keys'] || '{}').openrouter || '', '');
  await api(page, { cmd: 'redraw' });
  const rect = await rectOf(page, 'setup.oauth_status');  // the state changes in tick(); the line is drawn by the next frame
  assert.ok(rect.h > 0, 'the message is drawn in Setup');
  await shot(page, 'oauth-failed');
  assert.deepEqual(page.errors.filter((e) => !/403/.test(e)), []);
  await page.context().close();
});

test('Connect OpenRouter: the sign-in code leaves the address bar before the app loads, even if it never does', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  // The wasm never arrives (a flaky network, a browser that cannot run it): the page never starts.
  await page.route(/concord\.wasm$/, (route) => route.abort());
  const site = new URL('/', servers.site.url).href;
  await page.goto(site + '?code=never-exchanged-456&keep=1');
  const st = await storage(page);
  assert.equal(st.href, site + '?keep=1', 'the code is gone from the URL at once; other parameters stay');
  assert.equal(st.session['concord.oauth_query'], 'code=never-exchanged-456&keep=1', 'handed to the app through this tab only');
  assert.ok(!JSON.stringify(st.local).includes('never-exchanged'), 'never in localStorage');
  await context.close();
});
