// TEMPORARY probe (not committed): where the straggler's dispatch page part (9-15 ms) goes.
import { launch, openApp, api, waitState } from './harness.mjs';
import { startStatic } from '../../scripts/serve.mjs';
import { startSim } from '../../scripts/sim/provider-sim.mjs';
const sim = await startSim({ port: 0, host: '127.0.0.1', speed: 1 });
const site = await startStatic({ dir: 'dist', port: 0, host: '127.0.0.1' });
const browser = await launch();
const p = await openApp(browser, site.url, { dpr: 1, hash: `demo=${encodeURIComponent(sim.url + '/api/v1')}` });
await waitState(p, (s) => s.catalogue > 0);
for (const extra of [{}, {}]) {
  await api(p, { cmd: 'configure', panel: ['demo/atlas@300', 'demo/borealis@350', 'demo/cirrus@3500'], judges: ['demo/judge@300'], quorum: 2, quorum_deadline_s: 0, max_retries: 0, ...extra });
  const out = [];
  for (let i = 0; i < 4; i++) {
    const seq = (await (await fetch(`${sim.url}/__sim/log`)).json()).entries.at(-1)?.seq ?? 0;
    const r = await p.evaluate(() => {
      performance.clearResourceTimings();
      if (!window.__w) {
        window.__w = true; window.__marks = [];
        const f = window.fetch; window.fetch = function (...a) { const t = performance.now(); const r = f.apply(this, a); window.__marks.push(['fetch', t, performance.now()]); return r; };
        const rs = history.replaceState; history.replaceState = function (...a) { const t = performance.now(); const r = rs.apply(this, a); window.__marks.push(['replaceState', t, performance.now()]); return r; };
        const si = Storage.prototype.setItem; Storage.prototype.setItem = function (...a) { const t = performance.now(); const r = si.apply(this, a); window.__marks.push(['setItem ' + a[0] + ' ' + String(a[1]).length, t, performance.now()]); return r; };
      }
      window.__marks = [];
      const t0 = performance.now();
      const x = window.concord({ cmd: 'run', prompt: 'Straggler probe: is a 4-day work week productive? ' + Math.random() });
      const t1 = performance.now();
      return { t0, t1, ok: x.ok, marks0: window.__marks.map((m) => `${m[0]} ${(m[1] - t0).toFixed(1)}+${(m[2] - m[1]).toFixed(1)}`).join(' | ') };
    });
    await p.waitForFunction(() => window.concord({ cmd: 'bench_run' }).stage === 'done', null, { polling: 10, timeout: 30000 });
    r.marks = await p.evaluate((t0) => window.__marks.filter((m) => m[1] - t0 < 200).map((m) => `${m[0]} ${(m[1] - t0).toFixed(1)}+${(m[2] - m[1]).toFixed(1)}`).join(' | '), r.t0);
    const rt = await p.evaluate(() => performance.getEntriesByType('resource').filter((e) => e.name.includes('chat/completions') || e.name.includes('search')).map((e) => [e.name.slice(-20), +e.startTime.toFixed(1)]));
    await api(p, { cmd: 'cancel_member', i: 2 });
    await p.waitForFunction(() => !window.concord({ cmd: 'bench_run' }).busy, null, { polling: 10 });
    const log = (await (await fetch(`${sim.url}/__sim/log?since=${seq}`)).json()).entries;
    const origin = await p.evaluate(() => performance.timeOrigin);
    out.push(`cmd ${(r.t1 - r.t0).toFixed(1)} ms [${r.marks}]; starts ${rt.slice(0, 4).map((x) => `${x[0].slice(-8)}@${(x[1] - r.t0).toFixed(1)}`).join(' ')}; sim ${log.filter((e) => e.method !== 'GET' || e.path !== '/__sim/log').slice(0, 5).map((e) => `${e.method} ${e.path.slice(-12)} ${(e.t0 - origin - r.t0).toFixed(1)}`).join(', ')}`);
  }
  console.log(JSON.stringify(extra), '\n ' + out.join('\n '));
}
await browser.close(); await site.close(); await sim.close();
