// The demo's behaviour over its content (topics.mjs): which topic a question is about, each
// persona's answer, the judge's analysis derived from the answers actually present, the
// final-answer markdown, citations and fake search results.
//
// Pure string functions. No I/O and no protocol code: the wire format lives in wire.mjs,
// the in-page provider in provider.mjs, the Node simulator in scripts/sim/provider-sim.mjs.
import { DISCLAIMER, PERSONAS, TOPICS, GALLERY } from './topics.mjs';

export * from './topics.mjs';

// A question as the gallery compares it: case, spacing and trailing punctuation ignored.
export function normalizeQuestion(q) {
  return String(q ?? '').toLowerCase().replace(/\s+/g, ' ').trim().replace(/[\s?.!]+$/, '');
}
// The gallery as the /examples endpoint serves it.
export function galleryList() {
  return GALLERY.map(({ question, label, kind, panel, search }) => ({ question, label, kind, panel, search: !!search }));
}
// The gallery entry asked, or null: only these questions have written demo answers.
export function galleryEntry(prompt) {
  const n = normalizeQuestion(prompt);
  return GALLERY.find((g) => normalizeQuestion(g.question) === n) ?? null;
}

// Picks the built-in topic whose keywords match the prompt best; "generic" otherwise.
export function pickTopic(prompt) {
  const g = galleryEntry(prompt);
  if (g) return g.topic;
  let best = 'generic', bestScore = 0;
  for (const [id, t] of Object.entries(TOPICS)) {
    let score = 0;
    for (const re of t.keywords) if (re.test(prompt)) score++;
    if (score > bestScore) { best = id; bestScore = score; }
  }
  return best;
}

// The question as one short line (used by the generic answers' first line).
export function restate(prompt) {
  let q = String(prompt ?? '').replace(/\s+/g, ' ').trim();
  if (!q) q = 'your question';
  if (q.length > 160) q = q.slice(0, 157).replace(/\s+\S*$/, '') + '…';
  return q;
}

// ---- Persona renderers ------------------------------------------------------------------
const RENDER = {
  atlas: (p) => [
    p.intro, '',
    '### Key points',
    ...p.points.map((s, i) => `${i + 1}. ${s}`), '',
    '### Where I come down',
    ...p.stances.map((s) => `- ${s}`), '',
    '### Worth knowing',
    `${p.unique} ${p.extra}`, '',
    `**Bottom line:** ${p.signature}`,
  ],
  borealis: (p) => [
    p.intro, '',
    [...p.points.slice(0, 2), p.caveat].filter(Boolean).join(' '), '',
    ...(p.points.length > 2 ? [p.points.slice(2).join(' '), ''] : []),
    [p.stanceLead, ...p.stances].filter(Boolean).join(' '), '',
    `One thing that is easy to overlook: ${p.unique} ${p.extra}`, '',
    `_${p.signature}_`,
  ],
  cirrus: (p) => [
    p.intro, '',
    '**Quick take:**',
    ...p.points.map((s) => `- ${s}`),
    ...p.stances.map((s) => `- ${s}`), '',
    `**Tip:** ${p.unique}`, '',
    p.extra, '',
    p.signature,
  ],
  dune: (p) => [
    p.intro, '',
    '| Finding | Evidence strength |',
    '|---|---|',
    ...p.rows.map(([k, v]) => `| ${k} | ${v} |`), '',
    '**Findings**',
    ...p.points.map((s) => `- ${s}`), '',
    '**Disputed, and where I land**',
    ...p.stances.map((s) => `- ${s}`), '',
    `**By the numbers:** ${p.unique}`, '',
    p.extra, '',
    `*${p.signature}*`,
  ],
  ember: (p) => [
    p.intro, '',
    `Everyone will tell you the obvious part, and it is true. ${p.points.slice(0, 2).join(' ')}`, '',
    `But here is where I part ways with the “consensus” crowd. ${p.stances.join(' ')}`, '',
    `${p.unique} ${p.extra}`, '',
    ...(p.points.length > 2 ? [`Fine, a few more things the cautious answers will also say: ${p.points.slice(2).join(' ')}`, ''] : []),
    `**${p.signature}**`,
  ],
};

function strength(conf) { return conf >= 0.9 ? 'strong' : conf >= 0.8 ? 'good' : 'moderate'; }

// A persona's answer to a prompt. Returns { text, topic, quotes } where quotes are the
// claim sentences in the order they appear (used to place citations). `voice` (a persona
// id) takes that persona's positions instead: one model sampled at several temperatures
// (self-fusion) gives different answers, as a real model would.
export function buildAnswer(personaId, prompt, { voice } = {}) {
  const pid = PERSONAS[voice] ? voice : PERSONAS[personaId] ? personaId : 'atlas';
  const topicId = pickTopic(prompt);
  const T = TOPICS[topicId];
  const q = restate(prompt);
  const pts = T.points.filter((pt) => pt.by.includes(pid));
  const parts = {
    intro: typeof T.intro[pid] === 'function' ? T.intro[pid](q) : T.intro[pid],
    points: pts.map((pt) => pt.text),
    rows: pts.map((pt) => [pt.short, strength(pt.confidence)]),
    stances: T.contradictions.map((c) => c.positions.find((pos) => pos.by.includes(pid))?.text).filter(Boolean),
    unique: T.unique[pid].text,
    extra: T.extras[pid],
    signature: PERSONAS[pid].signature,
    stanceLead: T.stanceLeads?.[pid] ?? (pid === 'borealis' ? 'On the contested questions I lean towards caution.' : ''),
    caveat: T.caveats?.[pid] ?? (pid === 'borealis' ? 'That said, the evidence has limits, and individual results vary.' : ''),
  };
  const text = [DISCLAIMER, '', ...RENDER[pid](parts)].join('\n');
  return { text, topic: topicId, quotes: parts.points };
}

// ~targetChars of markdown for the "huge" scenario.
export function buildHugeAnswer(personaId, prompt, targetChars = 1_050_000) {
  const base = buildAnswer(personaId, prompt).text.split('\n').slice(1).join('\n');
  const out = [DISCLAIMER, '', '# A very long answer', '', 'This answer is deliberately huge (about 1 MB) to exercise streaming and rendering.', ''];
  let len = out.join('\n').length;
  for (let i = 1; len < targetChars; i++) {
    const part = `## Part ${i}\n\n${base}\n`;
    out.push(part);
    len += part.length + 1;
  }
  return out.join('\n');
}

// ---- Judge side ---------------------------------------------------------------------------
// Splits the judge's user message into response blocks. A block starts at a line
// "=== Response X ===" and runs until the next "=== … ===" line or the end.
export function parseResponseBlocks(text) {
  const lines = String(text ?? '').split(/\r?\n/);
  const blocks = [];
  let cur = null;
  for (const line of lines) {
    // The marker must start the line exactly: Concord shifts marker-like lines inside answers
    // by one space so an answer cannot forge another response's block.
    const m = /^===\s*(.*?)\s*===\s*$/.exec(line);
    if (m) {
      if (cur) blocks.push(cur);
      const r = /^Response\s+([A-Za-z0-9]+)\b/i.exec(m[1]);
      cur = r ? { label: r[1].toUpperCase(), lines: [] } : null;
      continue;
    }
    if (cur) cur.lines.push(line);
  }
  if (cur) blocks.push(cur);
  return blocks.map((b) => ({ label: b.label, text: b.lines.join('\n').trim() }));
}

// Every analysable sentence of the script, for matching.
const LIBRARY = (() => {
  const lib = { points: [], contradictions: [], uniques: [] };
  for (const [tid, T] of Object.entries(TOPICS)) {
    for (const pt of T.points) lib.points.push({ topic: tid, ...pt });
    for (const c of T.contradictions) lib.contradictions.push({ topic: tid, ...c });
    for (const [pid, u] of Object.entries(T.unique)) lib.uniques.push({ topic: tid, persona: pid, ...u });
  }
  return lib;
})();

export function detectPersona(text) {
  for (const p of Object.values(PERSONAS)) if (text.includes(p.signature)) return p.id;
  return null;
}

function firstSentence(text) {
  const body = text.split('\n')
    .map((l) => l.trim())
    .filter((l) => l && l !== DISCLAIMER && !/^[#|>*_-]{1,3}\s*$/.test(l))
    .map((l) => l.replace(/^(#+|[-*]|\d+\.)\s+/, ''));
  const joined = body.join(' ');
  const m = /^(.{10,300}?[.!?])(\s|$)/.exec(joined);
  return (m ? m[1] : joined.slice(0, 200)).trim();
}

// The question from a judge / final-answer user message ("Question:\n…" up to the next
// section: "Web sources:", "Analysis (JSON):", "Answers:" or the first response block).
export function extractQuestion(userText) {
  const m = /^Question:[ \t]*\n?([\s\S]*?)(?=\n\s*\n(?:Web sources:|Analysis \(JSON\):|Answers:)|\n===[ \t]|(?![\s\S]))/im.exec(String(userText ?? ''));
  return m ? m[1].trim() : '';
}

function questionFrom(responses, hint) {
  const h = restate(hint ?? '');
  if (hint && h !== 'your question') return h;
  for (const r of responses) {
    const m = /“([^”\n]{1,200})”/.exec(r.text);
    if (m && detectPersona(r.text)) return m[1];
  }
  return null;
}

// Builds the judge analysis from the responses present. responses: [{label, text}].
// Returns { analysis, topic, title }.
export function analyse(responses, { twoPhase = false, question = '' } = {}) {
  const n = responses.length;
  const labels = responses.map((r) => r.label);
  const votes = {};
  const matched = new Set();
  const vote = (tid, label) => { votes[tid] = (votes[tid] ?? 0) + 1; matched.add(label); };

  const pointHits = [];
  for (const pt of LIBRARY.points) {
    const by = responses.filter((r) => r.text.includes(pt.text)).map((r) => r.label);
    by.forEach((l) => vote(pt.topic, l));
    if (by.length) pointHits.push({ pt, by });
  }
  const contradictions = [], minority = [];
  for (const c of LIBRARY.contradictions) {
    const stances = [];
    const sides = new Set();
    for (const r of responses) {
      const i = c.positions.findIndex((pos) => r.text.includes(pos.text));
      if (i < 0) continue;
      vote(c.topic, r.label);
      sides.add(i);
      stances.push({ model: r.label, stance: c.positions[i].text });
    }
    if (sides.size >= 2) contradictions.push({ topic: c.topic, stances, assessment: c.assessment });
    // A position the script marks right, held by one response alone: the judge keeps it.
    for (const pos of c.positions) {
      const holders = stances.filter((s) => s.stance === pos.text);
      if (pos.right && holders.length === 1 && sides.size >= 2) minority.push({ model: holders[0].model, position: pos.text, why: c.assessment });
    }
  }
  const unique = [];
  for (const u of LIBRARY.uniques) {
    const by = responses.filter((r) => r.text.includes(u.text)).map((r) => r.label);
    by.forEach((l) => vote(u.topic, l));
    if (by.length === 1) unique.push({ model: by[0], insight: u.text, assessment: u.assessment });
  }

  let topic = 'generic', best = 0;
  for (const [tid, v] of Object.entries(votes)) if (v > best) { topic = tid; best = v; }
  if (!best) topic = pickTopic(question || responses.map((r) => r.text).join('\n'));

  const threshold = n <= 1 ? 1 : n <= 3 ? n : n - 1;
  const consensus = [], partial = [];
  for (const { pt, by } of pointHits) {
    if (by.length >= Math.max(threshold, Math.min(2, n))) {
      consensus.push({ claim: pt.claim, models: by, confidence: pt.confidence });
    } else if (by.length >= 2) {
      partial.push({ point: pt.claim, models: by });
    } else {
      unique.push({ model: by[0], insight: pt.text, assessment: 'Sound, and shared by other answer styles in the demo script, but only this response raised it here.' });
    }
  }
  // Responses the script does not know: quote their first sentence so nothing is lost.
  for (const r of responses) {
    if (matched.has(r.label)) continue;
    const s = firstSentence(r.text);
    if (s) unique.push({ model: r.label, insight: s, assessment: 'This answer is not from the demo script, so the simulator can only quote it; check it on its own merits.' });
  }
  if (!consensus.length && n >= 1) {
    consensus.push({ claim: 'Every response addresses the question directly.', models: labels.slice(), confidence: 0.5 });
  }
  const order = (a, b) => labels.indexOf(a.model) - labels.indexOf(b.model);
  unique.sort(order);

  const T = TOPICS[topic];
  const title = T.title ?? (questionFrom(responses, question) ?? 'Synthesised answer');
  const analysis = {
    consensus,
    contradictions: contradictions.map(({ topic: t, stances, assessment }) => ({ topic: t, stances, assessment })),
    partial_coverage: partial,
    unique_insights: unique,
    minority,
    blind_spots: T.blindSpots.slice(),
    final_answer: '',
  };
  if (!twoPhase) analysis.final_answer = finalAnswerMarkdown({ analysis, topic, title, n });
  return { analysis, topic, title };
}

// The synthesised answer: heading, list, bold, code, a table and a link.
export function finalAnswerMarkdown({ analysis, topic, title, n }) {
  const T = TOPICS[topic] ?? TOPICS.generic;
  const who = (models) => models.join(', ');
  const out = [`## ${title}`, '', T.final.recommendation, ''];
  if (analysis.consensus.length) {
    out.push('### What the panel agrees on');
    for (const c of analysis.consensus) out.push(`- ${c.claim} *(${who(c.models)})*`);
    out.push('');
  }
  if (analysis.contradictions.length) {
    out.push('### Where the panel disagrees');
    // A topic that is a question ("Visible from the Moon?") takes no colon after its mark.
    for (const c of analysis.contradictions) out.push(`- **${/[?!:.]$/.test(c.topic) ? c.topic : c.topic + ':'}** ${c.assessment}`);
    out.push('');
  }
  if (analysis.minority?.length) {
    out.push('### Kept although only one answer said it');
    for (const m of analysis.minority) out.push(`- ${m.position} — *Response ${m.model}*`);
    out.push('');
  }
  const extra = analysis.unique_insights.slice(0, 3);
  if (extra.length) {
    out.push('### Worth adding');
    for (const u of extra) out.push(`- ${u.insight} — *Response ${u.model}*`);
    out.push('');
  }
  const rows = [
    ...analysis.consensus.map((c) => [c.claim, who(c.models), c.confidence >= 0 ? `${Math.round(c.confidence * 100)}%` : '—']),
    ...analysis.partial_coverage.map((p) => [p.point, who(p.models), 'partial']),
  ].slice(0, 5);
  out.push('### Evidence at a glance', '', '| Point | Support | Confidence |', '|---|---|---|');
  for (const r of rows) out.push(`| ${r.map((c) => c.replace(/\|/g, '\\|')).join(' | ')} |`);
  out.push('');
  out.push(`Rule of thumb: \`${T.final.code}\``, '');
  out.push(`Further reading: [${T.final.link.text}](${T.final.link.url})`, '');
  out.push(`*Synthesised by the demo judge from ${n} scripted answer${n === 1 ? '' : 's'}.*`);
  return out.join('\n');
}

// Judge output without any JSON (for the judge-not-json scenario).
export function judgeProse({ analysis, topic, title }) {
  const T = TOPICS[topic] ?? TOPICS.generic;
  const s = [`Having read all the responses about “${title}”, here is my assessment.`, ''];
  if (analysis.consensus[0]) s.push(`The responses largely agree: ${analysis.consensus[0].claim}`);
  for (const c of analysis.contradictions) s.push(`They disagree on ${c.topic.toLowerCase().replace(/\?$/, '')}. ${c.assessment}`);
  s.push('', `Overall: ${T.final.recommendation.replace(/\*\*/g, '')}`);
  return s.join('\n');
}

// ---- Fake search results (Jina-like) --------------------------------------------------------
function slug(s) {
  return String(s).toLowerCase().normalize('NFKD').replace(/[^\w\s-]/g, '').trim().replace(/[\s_]+/g, '-').slice(0, 60) || 'query';
}

export function searchResults(query) {
  const q = restate(query);
  const topic = pickTopic(query);
  const T = TOPICS[topic];
  const s = slug(q);
  const titles = topic === 'generic'
    ? [`${q} — an overview`, `${q}: frequently asked questions`, `Pros and cons: ${q}`, `What the research says: ${q}`, `A practical guide: ${q}`]
    : [`${T.title} — an evidence review`, `${T.title} What experts say`, `Frequently asked questions: ${T.title}`, `Myths and facts: ${T.title}`, `A practical guide: ${T.title}`];
  return titles.map((title, i) => {
    const pt = T.points[i % T.points.length];
    const c = T.contradictions[i % T.contradictions.length];
    const url = `https://example.org/${topic === 'generic' ? 'search/' + s : topic}/${i + 1}-${slug(title)}`;
    return {
      title,
      url,
      description: `${pt.claim} (Simulated search result ${i + 1} of 5.)`,
      content: [pt.text, `On the question of ${c.topic.toLowerCase().replace(/\?$/, '')}, sources differ: ${c.assessment}`,
        'This page is generated by the Concord provider simulator; it is not a real web page.'].join(' '),
    };
  });
}

// url_citation annotations for an answer: the topic's real sources when it has them, else
// the simulated search results. Each cites the claim sentence it supports where one exists.
export function citationsFor(topicId, content, quotes, query) {
  const T = TOPICS[topicId] ?? TOPICS.generic;
  const results = (T.sources ?? searchResults(query)).slice(0, 3);
  const list = results.map((r, i) => `[${i + 1}](${r.url})`).join(' ');
  const text = `${content}\n\nSources: ${list}`;
  const citations = results.map((r, i) => {
    const q = quotes[i];
    let start = q ? text.indexOf(q) : -1;
    let end = start >= 0 ? start + q.length : -1;
    if (start < 0) { start = text.indexOf(`[${i + 1}](`); end = start + r.url.length + 5; }
    return { type: 'url_citation', url_citation: { url: r.url, title: r.title, content: r.content ?? '', start_index: start, end_index: end } };
  });
  return { text, citations };
}
