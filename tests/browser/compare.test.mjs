// A keyed run against the simulator as OpenRouter: per-member settings reach the wire,
// grounding is on by default with the excluded domains, OpenRouter's own Fusion runs beside
// the synthesis as a comparison (its own tab, cost and time), and the Setup editor for a
// member's settings opens with a tap. Screenshots at DPR 1 and 2.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServers, launch, openApp, api, waitState, shot, settle, tap, rectOf } from './harness.mjs';

let servers, browser;
before(async () => { servers = await startServers(); browser = await launch(); });
after(async () => { await browser?.close(); await servers?.close(); });


// Opens the app keyed for OpenRouter, with the simulator standing in for openrouter.ai.
async function keyed(dpr) {
  const page = await openApp(browser, servers.site.url, { dpr });
  const c = await api(page, { cmd: 'configure', openrouter_base: servers.sim.url + '/api/v1', force_demo: false });
  assert.equal(c.ok, true);
  await page.evaluate(() => sessionStorage.setItem('concord.keys', JSON.stringify({ openrouter: 'sk-or-v1-test-compare' })));
  await page.goto(servers.site.url);
  await page.waitForFunction(() => document.body.getAttribute('data-ready') === '1', null, { timeout: 30000 });
  await waitState(page, (s) => !s.demo && s.catalogue > 0, { what: 'keyed catalogue' });
  const bodies = [];
  page.on('request', (r) => { if (r.url().endsWith('/chat/completions')) bodies.push(JSON.parse(r.postData() || '{}')); });
  return { page, bodies };
}

for (const dpr of [1, 2]) {
  test(`DPR ${dpr}: member settings on the wire, grounding by default, OpenRouter Fusion beside the synthesis`, async () => {
    const { page, bodies } = await keyed(dpr);
    const st0 = await api(page, { cmd: 'state' });
    assert.equal(st0.search_mode, 3, 'grounding is on by default: the openrouter:web_search tool');
    const c = await api(page, {
      cmd: 'configure', endpoint: 'openrouter',
      panel: [{ model: 'demo/atlas', effort: 'high', max_tokens: 3000 }, 'demo/borealis', { model: 'demo/cirrus', temperature: 1.1 }],
      judges: ['demo/judge'], compare_model: 'openrouter/fusion', search_excluded_domains: 'Pinterest.com, quora.com',
    });
    assert.equal(c.ok, true);
    const run = await api(page, { cmd: 'run', prompt: 'Should a small team write its own database migrations tool?' });
    assert.equal(run.ok, true, run.error);
    const done = await waitState(page, (x) => !x.busy && x.stage === 'done', { timeout: 60000, what: 'run and comparison' });
    assert.ok(done.final_answer.length > 50, 'our synthesis is there');
    assert.equal(done.contestants.length, 1);
    assert.equal(done.contestants[0].model, 'openrouter/fusion');
    assert.equal(done.contestants[0].status, 'done', done.contestants[0].error);
    assert.ok(done.contestants[0].chars > 0);

    const byModel = (m) => bodies.filter((b) => b.model === m);
    const atlas = byModel('demo/atlas')[0], borealis = byModel('demo/borealis')[0], cirrus = byModel('demo/cirrus')[0];
    assert.deepEqual(atlas.reasoning, { effort: 'high' });
    assert.equal(atlas.max_tokens, 3000);
    assert.equal(borealis.reasoning, undefined);
    assert.equal(cirrus.temperature, 1.1);
    for (const b of [atlas, borealis, cirrus]) {
      assert.equal(b.tools?.[0]?.type, 'openrouter:web_search', 'every member is grounded');
      assert.deepEqual(b.tools[0].parameters.excluded_domains, ['pinterest.com', 'quora.com']);
    }
    const fusion = byModel('openrouter/fusion');
    assert.equal(fusion.length, 1, 'one comparison call');
    assert.deepEqual(fusion[0].messages.map((m) => m.role), ['user'], 'the question alone');
    const judge = byModel('demo/judge')[0];
    assert.equal(judge.tools, undefined, 'the judge is not grounded');
    assert.ok(!JSON.stringify(judge.messages).includes(done.contestants[0].model), 'the judge never sees the comparison');

    await tap(page, 'judge.tab.compare.0');
    assert.equal((await api(page, { cmd: 'state' })).judge_tab, 3, 'the comparison tab opens with a tap');
    await shot(page, 'compare-fusion-tab');

    // Setup: the member editor opens with a tap and shows the member's settings.
    if (!(await api(page, { cmd: 'state' })).setup_open) await tap(page, 'toggle.setup');
    await tap(page, 'setup.panel.edit.0');
    await page.mouse.move(700, 8);  // no tooltip over the editor in the picture
    await rectOf(page, 'setup.edit.effort');  // the effort picker is on screen
    await shot(page, 'setup-member-editor');
    const md = (await api(page, { cmd: 'export' })).markdown;
    assert.match(md, /## Comparison: `openrouter\/fusion` alone/);
    assert.ok(!md.includes('sk-or-v1-test-compare') && !(await api(page, { cmd: 'export' })).json.includes('sk-or-v1'), 'no key in exports');
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });
}
