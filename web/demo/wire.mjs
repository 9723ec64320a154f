// OpenRouter's wire format for the demo providers: catalogue entries, usage with cost, the
// role of a call (member, judge, writer), the scripted reply to a chat request, and SSE
// chunks. Shared by the in-page provider (provider.mjs) and the Node simulator
// (scripts/sim/provider-sim.mjs), so both speak exactly the same protocol.
// Pure functions: no I/O, no timers.
import * as demo from './script.mjs';

// ---- catalogue ------------------------------------------------------------------------------
const BASE_PARAMS = ['max_tokens', 'temperature', 'top_p', 'stop', 'seed', 'response_format', 'structured_outputs', 'tools', 'tool_choice'];
export const SCRIPTED = 'Answered by a Concord demo provider with scripted demo text, not a real model.';

// One /models entry in OpenRouter's shape. o: {prompt, completion (USD per token, strings),
// ctx, maxOut, reasoning, structured, moderated, web, description, created}.
export function catalogueEntry(id, name, o) {
  const params = o.structured === false ? BASE_PARAMS.filter((p) => p !== 'structured_outputs') : BASE_PARAMS.slice();
  if (o.reasoning) params.push('reasoning', 'include_reasoning');
  return {
    id, canonical_slug: id, hugging_face_id: '', name,
    created: o.created ?? 1767225600,
    description: o.description,
    context_length: o.ctx ?? 131072,
    architecture: { modality: 'text->text', input_modalities: ['text'], output_modalities: ['text'], tokenizer: 'Other', instruct_type: null },
    pricing: {
      prompt: o.prompt, completion: o.completion, request: '0', image: '0',
      web_search: o.web ?? '0.007', internal_reasoning: o.reasoning ? o.completion : '0',
    },
    top_provider: { context_length: o.ctx ?? 131072, max_completion_tokens: o.maxOut ?? 16384, is_moderated: !!o.moderated },
    per_request_limits: null,
    supported_parameters: params,
    default_parameters: {},
    expiration_date: null,
  };
}

// The scripted demo models: one per persona, and the judge.
export function demoCatalogue() {
  const list = Object.values(demo.PERSONAS).map((p) => catalogueEntry(`demo/${p.id}`, `Demo ${p.name} (scripted)`, {
    prompt: '0.0000001', completion: '0.0000004', reasoning: p.reasoning > 0,
    description: `${SCRIPTED} Style: ${p.style}.`,
  }));
  list.push(catalogueEntry('demo/judge', 'Demo Judge (scripted)', {
    prompt: '0.0000002', completion: '0.0000008',
    description: `${SCRIPTED} Writes a JSON analysis consistent with the panel answers it is given.`,
  }));
  return list;
}

// ---- usage and cost ---------------------------------------------------------------------------
function usd(x) { return Number(x.toFixed(12)); }
const DEFAULT_PRICE = { prompt: '0.0000002', completion: '0.0000008', request: '0', web_search: '0.007', internal_reasoning: '0' };

// OpenRouter's usage object (tokens estimated as chars / 4), cost from the model's pricing.
export function makeUsage(pricing, messages, content, reasoningText, reasoningShare, web) {
  const price = pricing ?? DEFAULT_PRICE;
  const prompt = Math.ceil(messages.reduce((n, x) => n + x.text.length + x.role.length + 4, 0) / 4);
  const visible = Math.ceil(content.length / 4);
  const reasoning = content ? Math.max(Math.ceil(reasoningText.length / 4), Math.round(visible * reasoningShare)) : 0;
  const completion = visible + reasoning;
  const reasoningPrice = Number(price.internal_reasoning) > 0 ? Number(price.internal_reasoning) : Number(price.completion);
  const cost = usd(prompt * Number(price.prompt) + visible * Number(price.completion) + reasoning * reasoningPrice +
    Number(price.request || 0) + (web ? Number(price.web_search || 0) : 0));
  return {
    prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion, cost, is_byok: false,
    prompt_tokens_details: { cached_tokens: 0 },
    completion_tokens_details: { reasoning_tokens: reasoning },
    cost_details: { upstream_inference_cost: cost },
    server_tool_use: { web_search_requests: web ? 1 : 0 },
  };
}

// ---- the role of a call -------------------------------------------------------------------------
function textOf(content) {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) return content.map((p) => (typeof p === 'string' ? p : p?.text ?? '')).join('');
  return '';
}

// The messages as {role, text}, and what the call is: 'member', 'judge' (twoPhase: the
// analysis only) or 'writer' (the final answer of a two-phase judge). Read from what the
// request carries, never from the prompt's wording:
// - Concord tells a demo endpoint what each call is: concord_demo.call = {role, two_phase}.
//   That is the role ('judge', 'writer'; any other stated role answers as a member).
// - A request without it (the simulator standing in for OpenRouter, which Concord never
//   tells) is the judge's analysis exactly when it asks for structured output
//   (response_format json_schema, as Concord's judge does), with twoPhase false: the analysis
//   then carries a final_answer, which Concord ignores in two-phase mode (it uses the
//   writer's). Anything else untold is answered as a panel member, as an untold real model
//   would answer it (an untold writer call gets a member's prose answer).
export function readCall(body) {
  const messages = (Array.isArray(body?.messages) ? body.messages : []).map((m) => ({ role: String(m?.role ?? ''), text: textOf(m?.content) }));
  const users = messages.filter((m) => m.role === 'user');
  const lastUser = users.length ? users[users.length - 1].text : '';
  const stated = body?.concord_demo?.call;
  const statedRole = typeof stated?.role === 'string' ? stated.role : null;
  const role = statedRole ? (statedRole === 'judge' || statedRole === 'writer' ? statedRole : 'member')
    : body?.response_format?.type === 'json_schema' ? 'judge' : 'member';
  const twoPhase = role === 'judge' && !!statedRole && stated.two_phase === true;
  const web = (Array.isArray(body?.plugins) && body.plugins.some((p) => p && p.id === 'web')) ||
    (Array.isArray(body?.tools) && body.tools.some((t) => t && typeof t.type === 'string' && t.type.includes('web_search')));
  const judgeUser = [...users].reverse().find((m) => /^\s*===\s*Response\s/im.test(m.text))?.text ?? lastUser;
  return { messages, lastUser, judgeUser, role, twoPhase, web, stated: !!statedRole };
}

// ---- personas ------------------------------------------------------------------------------------
function fnv1a(s) {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) { h ^= s.charCodeAt(i); h = Math.imul(h, 0x01000193) >>> 0; }
  // murmur3 finaliser: spreads similar ids over the personas
  h ^= h >>> 16; h = Math.imul(h, 0x85ebca6b) >>> 0;
  h ^= h >>> 13; h = Math.imul(h, 0xc2b2ae35) >>> 0;
  h ^= h >>> 16;
  return h >>> 0;
}

export function personaForModel(id) {
  const m = /^demo\/(\w+)$/.exec(id);
  if (m && demo.PERSONAS[m[1]]) return m[1];
  return demo.PERSONA_IDS[fnv1a(String(id)) % demo.PERSONA_IDS.length];
}

// The persona whose positions a sample takes: a model asked at a temperature answers like
// the next personas in turn (low: its own, higher: one or two along), so self-fusion
// (one model at 0.2 / 0.7 / 1.1) gets three different answers. No temperature: its own.
export function voiceFor(persona, temperature) {
  if (typeof temperature !== 'number' || temperature < 0) return persona;
  const step = temperature < 0.45 ? 0 : temperature < 0.9 ? 1 : 2;
  const ids = demo.PERSONA_IDS;
  return ids[(ids.indexOf(persona) + step) % ids.length];
}

// ---- the scripted reply ------------------------------------------------------------------------
// What a demo model says to a chat request: {call, content, reasoning, citations, timing,
// analysis?}. Members answer as their persona; the judge writes the analysis JSON of the
// answers it was given; the writer writes the final answer from them.
// `cite: false` leaves citations to the caller (the simulator adds them after its scenarios).
// `searched: false` on a reply: no search was scripted for it, so none is billed or cited
// even when the request asked for the search tool.
export function demoReply(model, body, { cite = true } = {}) {
  const call = readCall(body);
  const evalHint = body?.concord_demo?.eval;
  if (evalHint && typeof evalHint === 'object') return evalReply(model, body, call, evalHint);
  if (call.role !== 'member') {
    const blocks = demo.parseResponseBlocks(call.judgeUser);
    const result = demo.analyse(blocks, { twoPhase: call.twoPhase, question: demo.extractQuestion(call.judgeUser) });
    const content = call.role === 'writer' ? demo.finalAnswerMarkdown({ ...result, n: blocks.length })
      : JSON.stringify(result.analysis, null, 2);
    return { call, content, reasoning: '', citations: null, timing: demo.JUDGE_TIMING, result, quotes: [] };
  }
  const persona = personaForModel(model);
  const a = demo.buildAnswer(persona, call.lastUser, { voice: voiceFor(persona, body?.temperature) });
  let content = a.text, citations = null;
  if (cite && call.web && content) ({ text: content, citations } = demo.citationsFor(a.topic, content, a.quotes, call.lastUser));
  return { call, content, reasoning: demo.reasoningFor(persona), citations, timing: demo.PERSONAS[persona], quotes: a.quotes, persona, topic: a.topic };
}

// ---- eval mode: scripted accuracy ------------------------------------------------------------------
// For eval items the app sends the demo (never a real provider) the item's answer key. Each
// demo model is right with its own scripted probability; the judge sides with the majority,
// sometimes rescues a lone right answer (and sometimes drops it), and rarely fixes an answer
// every member got wrong. Deterministic: the same item, model and temperature always get the
// same reply. Everything here is labelled scripted in the app.
export const EVAL_ACCURACY = { atlas: 0.78, borealis: 0.66, cirrus: 0.58, dune: 0.5, ember: 0.45 };
export const EVAL_SYNTHESIS = { rescue: 0.55, fix_all_wrong: 0.08 };
export const EVAL_MS = { member: 320, judge: 260, writer: 240 };
const unit = (s) => fnv1a(s) / 4294967296;
function wrongAnswer(hint, seed) {
  const h = fnv1a(seed), a = String(hint.answer ?? '');
  if (hint.grade === 'number' && a !== '' && Number.isFinite(Number(a))) {
    const x = Number(a), step = Math.abs(x) > 50 ? Math.max(1, Math.round(Math.abs(x) * 0.05)) : 1;
    return String(x + (h % 2 ? 1 : -1) * step * (1 + (h >> 1) % 2));
  }
  if (hint.grade === 'choice' && Number(hint.choices) >= 2) {
    const n = Number(hint.choices), idx = a.charCodeAt(0) - 65;
    return String.fromCharCode(65 + ((idx + 1 + (h % (n - 1))) % n));
  }
  if (/^\d{4}-\d{2}-\d{2}$/.test(a)) {
    const d = new Date(a + 'T00:00:00Z');
    d.setUTCDate(d.getUTCDate() + (h % 2 ? 1 : -1));
    return d.toISOString().slice(0, 10);
  }
  const days = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];
  const i = days.indexOf(a);
  if (i >= 0) return days[(i + 1 + (h % 2)) % 7];
  return 'I am not sure';
}
const sameAnswer = (a, b) => {
  const x = String(a).trim().toLowerCase(), y = String(b).trim().toLowerCase();
  return x === y || (x !== '' && y !== '' && Number.isFinite(Number(x)) && Number(x) === Number(y));
};
function answerOf(text) {
  const m = /(?:^|\n)\s*(?:final answer|answer)\s*:\s*\**([^\n*]+)/gi;
  let last = null, r;
  while ((r = m.exec(String(text ?? '')))) last = r[1].trim().replace(/[.]$/, '');
  return last;
}
function evalReply(model, body, call, hint) {
  const id = String(hint.id ?? '');
  if (call.role === 'member') {
    const persona = voiceFor(personaForModel(model), body?.temperature);
    const right = unit(`${model}|${id}|${body?.temperature ?? ''}`) < (EVAL_ACCURACY[persona] ?? 0.5);
    // Wrong members often agree on the same wrong answer (two variants per item).
    const ans = right ? String(hint.answer) : wrongAnswer(hint, `${id}|${fnv1a(model + id) % 2}`);
    const content = `${demo.PERSONAS[persona]?.name ?? 'Demo'} (scripted eval answer): working it through step by step, ` +
      `checking the numbers once more.\n\nAnswer: ${ans}`;
    return { call, content, reasoning: '', citations: null, timing: { ...demo.PERSONAS[persona], evalMs: EVAL_MS.member }, quotes: [], persona, eval: true, searched: false };
  }
  // Judge or writer: read the members' answers and decide as scripted.
  const blocks = demo.parseResponseBlocks(call.judgeUser);
  const answers = blocks.map((b) => answerOf(b.text)).filter((x) => x);
  const counts = new Map();
  for (const a of answers) {
    const k = [...counts.keys()].find((x) => sameAnswer(x, a)) ?? a;
    counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  const ranked = [...counts.entries()].sort((x, y) => y[1] - x[1]);
  const truth = String(hint.answer);
  const rightVotes = answers.filter((a) => sameAnswer(a, truth)).length;
  const u = unit(`${id}|synthesis`);
  let final = ranked.length ? ranked[0][0] : 'I am not sure';
  let why = 'the majority of the panel';
  if (rightVotes * 2 > answers.length) { final = truth; why = 'the majority, which checks out'; }
  else if (rightVotes > 0 && u < EVAL_SYNTHESIS.rescue) { final = truth; why = 'a minority answer whose working checks out'; }
  else if (rightVotes === 0 && u < EVAL_SYNTHESIS.fix_all_wrong) { final = truth; why = 'a fresh check: every answer was off'; }
  const text = `Scripted demo synthesis: the panel answered ${ranked.map(([a, n]) => `${a} (${n})`).join(', ') || 'nothing readable'}; ` +
    `the final answer follows ${why}.\n\nAnswer: ${final}`;
  const analysis = {
    consensus: ranked.length && ranked[0][1] === answers.length ? [{ claim: `The answer is ${ranked[0][0]}`, models: blocks.map((b) => b.label), confidence: 0.8 }] : [],
    contradictions: ranked.length > 1 ? [{ topic: 'The answer', stances: blocks.map((b, i) => ({ model: b.label, stance: answers[i] ?? '(none)' })), assessment: `Scripted: ${why}.` }] : [],
    partial_coverage: [], unique_insights: [], blind_spots: [],
    final_answer: call.twoPhase ? '' : text,
  };
  const content = call.role === 'writer' ? text : JSON.stringify(analysis, null, 2);
  return { call, content, reasoning: '', citations: null, timing: { ...demo.JUDGE_TIMING, evalMs: EVAL_MS[call.role] ?? 250 }, result: { analysis }, quotes: [], eval: true, searched: false };
}

// ---- SSE -------------------------------------------------------------------------------------------
export const COMMENT = ': OPENROUTER PROCESSING\n\n';
export function sseEvent(obj, eol = '\n') { return `data: ${typeof obj === 'string' ? obj : JSON.stringify(obj)}${eol}${eol}`; }
// One chat.completion.chunk. g: {id, provider, model, created}.
export function chunk(g, delta, finish = null, extra = {}) {
  return {
    id: g.id, provider: g.provider, model: g.model, object: 'chat.completion.chunk', created: g.created,
    choices: [{ index: 0, delta, finish_reason: finish, native_finish_reason: finish, logprobs: null }],
    ...extra,
  };
}
// The whole-body reply (stream: false).
export function completion(g, reply, usage) {
  const message = { role: 'assistant', content: reply.content, refusal: null, reasoning: reply.reasoning || null };
  if (reply.citations) message.annotations = reply.citations;
  return {
    id: g.id, provider: g.provider, model: g.model, object: 'chat.completion', created: g.created,
    choices: [{ index: 0, logprobs: null, finish_reason: 'stop', native_finish_reason: 'stop', message }],
    usage,
  };
}
