// The in-page demo provider (web/demo/provider.mjs) speaks OpenRouter's wire format, and its
// gallery answers are written so that every example shows a disagreement to the judge.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { respond, BASE } from '../../web/demo/provider.mjs';
import * as demo from '../../web/demo/script.mjs';
import { voiceFor } from '../../web/demo/wire.mjs';

const body = (b) => JSON.stringify(b);
const chat = (b) => respond({ url: `${BASE}/chat/completions`, method: 'POST', body: body(b) });
const whole = (r) => JSON.parse(r.events.map((e) => e.data).join(''));

// Decodes an SSE body the way a client does: comments skipped, data lines parsed, [DONE] ends.
function sse(r) {
  const text = r.events.map((e) => e.data).join('');
  const out = { comments: 0, chunks: [], done: false };
  for (const block of text.split('\n\n')) {
    if (!block) continue;
    if (block.startsWith(':')) { out.comments++; continue; }
    assert.ok(block.startsWith('data: '), `an SSE event: ${block.slice(0, 60)}`);
    const d = block.slice(6);
    if (d === '[DONE]') { out.done = true; continue; }
    out.chunks.push(JSON.parse(d));
  }
  return out;
}

test('catalogue, key, examples and unknown routes', () => {
  const models = whole(respond({ url: `${BASE}/models`, method: 'GET' })).data;
  assert.deepEqual(models.map((m) => m.id), ['demo/atlas', 'demo/borealis', 'demo/cirrus', 'demo/dune', 'demo/ember', 'demo/judge']);
  for (const m of models) assert.ok(Number(m.pricing.prompt) > 0 && m.context_length > 0 && m.supported_parameters.includes('structured_outputs'));
  assert.equal(whole(respond({ url: `${BASE}/key`, method: 'GET' })).data.is_free_tier, true);
  const ex = whole(respond({ url: `${BASE}/examples`, method: 'GET' })).data;
  assert.ok(ex.length >= 6);
  assert.deepEqual(ex.map((e) => e.question), demo.GALLERY.map((g) => g.question));
  assert.equal(respond({ url: `${BASE}/nothing`, method: 'GET' }).status, 404);
  assert.equal(respond({ url: 'https://openrouter.ai/api/v1/models', method: 'GET' }).status, 404);
  assert.equal(respond({ url: `${BASE}/chat/completions`, method: 'POST', body: '{oops' }).status, 400);
  assert.equal(chat({ model: 'openai/gpt-5', messages: [{ role: 'user', content: 'x' }] }).status, 400);
});

test('a streamed answer: comments, reasoning, content, citations, usage with cost, [DONE], in time order', () => {
  const q = demo.GALLERY.find((g) => g.search).question;
  const r = chat({ model: 'demo/borealis', stream: true, messages: [{ role: 'user', content: q }], plugins: [{ id: 'web' }] });
  assert.equal(r.status, 200);
  assert.equal(r.headers['content-type'], 'text/event-stream');
  assert.match(r.headers['x-generation-id'], /^gen-demo-/);
  const at = r.events.map((e) => e.at);
  assert.deepEqual(at, at.slice().sort((a, b) => a - b), 'pieces in time order');
  assert.ok(at[at.length - 1] <= 3000, 'a member answers within 3 s');
  const s = sse(r);
  assert.ok(s.comments >= 2 && s.done);
  assert.equal(s.chunks[0].choices[0].delta.role, 'assistant');
  const reasoning = s.chunks.map((c) => c.choices[0].delta.reasoning ?? '').join('');
  const content = s.chunks.map((c) => c.choices[0].delta.content ?? '').join('');
  assert.ok(reasoning.length > 20, 'reasoning deltas');
  assert.match(content, /Sources: \[1\]\(https:\/\/en\.wikipedia\.org\//);
  const ann = s.chunks.flatMap((c) => c.choices[0].delta.annotations ?? []);
  assert.ok(ann.length >= 2 && ann.every((a) => a.type === 'url_citation' && a.url_citation.url.startsWith('https://')));
  for (const a of ann) assert.ok(a.url_citation.start_index >= 0 && a.url_citation.end_index <= content.length);
  const last = s.chunks[s.chunks.length - 1];
  assert.equal(last.choices[0].finish_reason, 'stop');
  assert.ok(last.usage.cost > 0 && last.usage.completion_tokens_details.reasoning_tokens > 0);
  assert.equal(last.usage.server_tool_use.web_search_requests, 1);
});

test('whole-body answers, and questions without a script get honest words from every role', () => {
  const r = chat({ model: 'demo/atlas', messages: [{ role: 'user', content: demo.GALLERY[0].question }] });
  const j = whole(r);
  assert.equal(j.object, 'chat.completion');
  assert.match(j.choices[0].message.content, /Great Wall|wall/);
  const free = whole(chat({ model: 'demo/atlas', messages: [{ role: 'user', content: 'Is raw cookie dough safe? Give the re' }] }));
  assert.match(free.choices[0].message.content, /only for its example questions/);
  assert.ok(!free.choices[0].message.content.includes('Give the re'), 'never echoes the question');
  const judge = whole(chat({ model: 'demo/judge', concord_demo: { call: { role: 'judge', two_phase: false } }, messages: [
    { role: 'system', content: 'You are the judge of a panel of AI models.' },
    { role: 'user', content: 'Question:\nIs raw cookie dough safe?\n\n=== Response A ===\nanything' }] }));
  const analysis = JSON.parse(judge.choices[0].message.content);
  assert.deepEqual(analysis.consensus, []);
  assert.match(analysis.final_answer, /only for its example questions/);
});

test('the role a request states is the role: a reworded judge or writer prompt is still answered as one', () => {
  const q = 'Question:\nIs raw cookie dough safe?\n\n=== Response A ===\nanything';
  // A system prompt that no wording rule knows, with the role stated by the app.
  const judge = whole(chat({ model: 'demo/judge', concord_demo: { call: { role: 'judge', two_phase: false } }, messages: [
    { role: 'system', content: 'Compare the answers below and report on them as JSON.' }, { role: 'user', content: q }] }));
  const analysis = JSON.parse(judge.choices[0].message.content);
  assert.ok(Array.isArray(analysis.consensus) && typeof analysis.final_answer === 'string', 'answered as the judge');
  assert.ok(analysis.final_answer.length > 0, 'one-phase: the judge writes the final answer');
  const two = whole(chat({ model: 'demo/judge', concord_demo: { call: { role: 'judge', two_phase: true } }, messages: [
    { role: 'system', content: 'Compare the answers below and report on them as JSON.' }, { role: 'user', content: q }] }));
  assert.equal(JSON.parse(two.choices[0].message.content).final_answer, '', 'two-phase, as stated: the analysis only');
  const writer = whole(chat({ model: 'demo/judge', concord_demo: { call: { role: 'writer' } }, messages: [
    { role: 'system', content: 'Turn the analysis into prose.' }, { role: 'user', content: q }] }));
  assert.ok(writer.choices[0].message.content.length > 0);
  assert.throws(() => JSON.parse(writer.choices[0].message.content), 'the writer writes the answer, not an analysis');
  // The judge's own wording, but the app says this call is a panel member: a member's answer.
  const member = whole(chat({ model: 'demo/atlas', concord_demo: { call: { role: 'member' } }, messages: [
    { role: 'system', content: 'You are the judge of a panel of AI models.' }, { role: 'user', content: demo.GALLERY[0].question }] }));
  assert.throws(() => JSON.parse(member.choices[0].message.content), 'a member writes prose, not an analysis');
});

test('every gallery example gives the judge agreement and a disagreement to map', () => {
  for (const g of demo.GALLERY) {
    const members = g.panel === 'self'
      ? [0.2, 0.7, 1.1].map((t) => voiceFor('atlas', t))
      : ['atlas', 'borealis', 'cirrus'];
    assert.equal(new Set(members).size, 3, `${g.topic}: three different answers`);
    const responses = members.map((p, i) => ({ label: 'ABC'[i], text: demo.buildAnswer('atlas', g.question, { voice: p }).text }));
    const { analysis, topic } = demo.analyse(responses, { question: g.question });
    assert.equal(topic, g.topic);
    assert.ok(analysis.consensus.length >= 1, `${g.topic}: consensus`);
    assert.ok(analysis.contradictions.length >= 1, `${g.topic}: a contradiction`);
    for (const c of analysis.contradictions) assert.ok(new Set(c.stances.map((s) => s.stance)).size >= 2);
    assert.ok(analysis.final_answer.length > 200 && !analysis.final_answer.includes('example.org'), `${g.topic}: a real final answer`);
    for (const r of responses) assert.ok(!/your question/i.test(r.text), `${g.topic}: written content, not a template`);
  }
});
