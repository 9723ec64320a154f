import path from 'node:path';
import { startStatic } from '../../scripts/serve.mjs';
import { ROOT, launch, openApp, api, waitState, shot, settle, tap } from './harness.mjs';
const site = await startStatic({ dir: path.join(ROOT, 'dist'), port: 0, host: '127.0.0.1', base: '/concord/' });
const browser = await launch();
const page = await openApp(browser, site.url, { dpr: 1 });
await waitState(page, (s) => s.catalogue > 0 && s.examples.length >= 6);
const analysis = JSON.stringify({ consensus: [{ claim: 'Rust is memory safe', models: 'all' }, { claim: 'Both are fast', models: [] }],
  contradictions: { topic: 'Hiring', stances: [{ model: 'A', stance: 'Rust devs are scarce' }, { model: 'B', stance: 'C++ devs are scarce' }, { model: 'C', stance: 'Neither is scarce' }] },
  final_answer: 'x' });
const final = '```markdown\n## Rust or C++?\n\n| Option | Notes |\n|---|---|\n| Rust | safe<br>fast<br/>young |\n| C++ | mature<br>huge ecosystem |\n\nOdds: $1 - (5/6)^4 \\approx 0.518$ and $a*b*c$; prices $5 and $10 stay.\n\n```cpp\nint main() {}\n```\n```';
const call = (label, model, content) => ({ model: { endpoint: 'demo', model, temperature: -1 }, label, status: 'done', attempt: 1, t_queued: 0, t_start: 0.1, t_first_token: 0.5, t_end: 2, content, usage: { prompt_tokens: 10, completion_tokens: 20, cost: 0.0001, has_cost: true }, cost: 0.0001 });
const run = { format: 'concord.run', version: 1, id: 'look-1', created_unix: 1764950000, prompt: 'Should we start a new project in Rust or C++?', panel: [],
  members: [call('A', 'demo/atlas', 'Rust.'), call('B', 'demo/borealis', 'C++.'), call('C', 'demo/cirrus', 'Either.')],
  judge_calls: [call('judge', 'demo/judge', analysis)], judged_labels: ['A', 'B', 'C'], judge_raw: analysis, analyst_call: 0,
  final_answer: final, stage: 'done', t_end: 3 };
const r = await api(page, { cmd: 'import', text: JSON.stringify(run) });
console.log('import', JSON.stringify(r));
await settle(page);
await shot(page, 'tmp-look2-final');
await tap(page, 'maps.tab.agreement').catch((e) => console.log(e.message));
await settle(page);
await shot(page, 'tmp-look2-agreement');
await browser.close(); await site.close();
