// The in-page demo provider: answers requests to the demo endpoint (demo://in-page/api/v1)
// inside the page, in OpenRouter's wire format, so a visitor with no key and nothing
// installed sees a whole fusion. concord_lib.js routes the web transport's demo requests
// here before the network is touched, and delivers what respond() returns through the same
// callbacks as a real stream: the engine parses it with the same SSE and provider code.
//
// respond() is pure: it returns the status, the headers and the body as timed pieces
// ({at: ms after the request, data}); the caller schedules them and can cancel.
import * as demo from './script.mjs';
import * as wire from './wire.mjs';

export const BASE = 'demo://in-page/api/v1';
const PROVIDER = 'Concord in-page demo';

// How long each call takes, end to end (ms). The whole demo run (slowest member, judge,
// writer) stays near 5 s, with the first tokens after a few hundred ms so streaming shows.
const DURATION = { atlas: 1900, borealis: 2500, cirrus: 1500, dune: 2200, ember: 1700, judge: 1100, writer: 1300 };

// Answers for questions the demo has no script for: honest, never a template.
const NO_SCRIPT = [demo.DISCLAIMER, '',
  'This demo has written answers only for its example questions, so it cannot answer this one.',
  'Pick an example question, or connect OpenRouter (or paste a key in Setup) to ask real models anything.'].join('\n');

let seq = 0;
const json = (status, obj, at = 30) => ({ status, headers: { 'content-type': 'application/json' }, events: [{ at, data: JSON.stringify(obj) }] });
const error = (status, message) => json(status, { error: { code: status, message } });

// req: {url, method, headers, body (string)}.
export function respond(req) {
  const url = String(req.url ?? '');
  if (!url.startsWith(BASE)) return error(404, `Not a demo URL: ${url}`);
  const path = url.slice(BASE.length).split('?')[0].replace(/\/+$/, '') || '/';
  const route = `${String(req.method || 'GET').toUpperCase()} ${path}`;
  switch (route) {
    case 'GET /models': return json(200, { data: wire.demoCatalogue() });
    case 'GET /key': return json(200, { data: { label: 'in-page demo (no key)', usage: 0, limit: null, limit_remaining: null, is_free_tier: true } });
    case 'GET /examples': return json(200, { data: demo.galleryList() });
    case 'POST /chat/completions': return chat(req.body);
    default: return error(404, `The demo provider has no ${route}`);
  }
}

function chat(text) {
  let body;
  try { body = JSON.parse(text); } catch { return error(400, 'Invalid JSON in request body'); }
  if (!body || typeof body !== 'object' || !Array.isArray(body.messages) || !body.messages.length) return error(400, '"messages" must be a non-empty array');
  const model = typeof body.model === 'string' ? body.model : '';
  const entry = wire.demoCatalogue().find((m) => m.id === model);
  if (!entry) return error(400, `${model || '(none)'} is not a demo model: the demo provider serves ${wire.demoCatalogue().map((m) => m.id).join(', ')}`);
  const reply = wire.demoReply(model, body);
  const call = reply.call;
  // A question without a script gets the same honest words from every role: no template.
  const question = call.role === 'member' ? call.lastUser : demo.extractQuestion(call.judgeUser);
  if (!reply.eval && !demo.galleryEntry(question)) {
    Object.assign(reply, { content: NO_SCRIPT, citations: null, reasoning: '' });
    if (call.role === 'judge') {
      reply.content = JSON.stringify({ consensus: [], contradictions: [], partial_coverage: [], unique_insights: [], blind_spots: [],
        final_answer: call.twoPhase ? '' : NO_SCRIPT });
    }
  }
  const usage = wire.makeUsage(entry.pricing, call.messages, reply.content, reply.reasoning, reply.timing.reasoning ?? 0, reply.searched ?? call.web);
  const g = { id: `gen-demo-${Date.now().toString(36)}-${++seq}`, provider: PROVIDER, model, created: Math.floor(Date.now() / 1000) };
  // Eval items (scripted accuracy) answer in a few hundred ms: an eval makes hundreds of calls.
  const total = reply.eval ? reply.timing.evalMs : call.role === 'member' ? DURATION[reply.persona] ?? 2000 : DURATION[call.role];
  const headers = { 'x-generation-id': g.id };
  if (body.stream !== true) return { ...json(200, wire.completion(g, reply, usage), total), headers: { ...headers, 'content-type': 'application/json' } };
  return { status: 200, headers: { ...headers, 'content-type': 'text/event-stream' }, events: stream(g, reply, usage, total) };
}

// SSE pieces: keep-alive comments while "thinking", reasoning then content deltas of a few
// words spread evenly from 25 % of the duration, citations on the last delta, then the
// usage chunk and [DONE] at the end.
function stream(g, reply, usage, total) {
  const out = [{ at: 5, data: wire.COMMENT }];
  const first = total * 0.25;
  for (let t = 300; t < first; t += 300) out.push({ at: t, data: wire.COMMENT });
  const deltas = [
    ...words(reply.reasoning).map((r) => ({ content: '', reasoning: r })),
    ...words(reply.content).map((c) => ({ content: c })),
  ];
  if (!deltas.length) deltas.push({ content: '' });
  deltas[0] = { role: 'assistant', ...deltas[0] };
  if (reply.citations) deltas[deltas.length - 1].annotations = reply.citations;
  // At most one piece every 40 ms: a frame's worth, so the page is not woken per token.
  const pieces = Math.max(1, Math.min(deltas.length, Math.floor((total - first) / 40)));
  for (let k = 0; k < pieces; k++) {
    const from = Math.floor((deltas.length * k) / pieces), to = Math.floor((deltas.length * (k + 1)) / pieces);
    out.push({ at: first + ((total - first) * k) / pieces, data: deltas.slice(from, to).map((d) => wire.sseEvent(wire.chunk(g, d))).join('') });
  }
  out.push({ at: total, data: wire.sseEvent(wire.chunk(g, { content: '' }, 'stop', { usage })) + wire.sseEvent('[DONE]') });
  return out;
}

function words(text) {
  const w = String(text || '').match(/\s*\S+\s*/g) ?? [];
  const out = [];
  for (let i = 0; i < w.length; i += 3) out.push(w.slice(i, i + 3).join(''));
  return out;
}
