// Scripted demo content for the provider simulator: five answer personas, a few built-in
// topics (plus a generic fallback), the judge's analysis derived from the answers actually
// present, the final-answer markdown, and fake search results.
//
// Pure data + string functions. No I/O, no protocol code (that lives in provider-sim.mjs).
//
// How the judge stays consistent: every sentence that carries a claim, a stance or a unique
// insight is written ONCE here and inserted verbatim into the persona answers. The judge
// scans each response for those exact sentences, so stances it reports are always exact
// quotes of the response they are attributed to, whatever panel subset is present.

export const DISCLAIMER = '*Demo provider: scripted answer, not a real model.*';

// Extra line used by the utf8-split scenario (multi-byte characters of 2, 3 and 4 bytes).
export const UNICODE_LINE = 'Unicode check: café — Ж 你好 😀 … “quoted” €42.';

// ---- Personas ---------------------------------------------------------------------------
// ttftMs: time to first token at speed 1; tps: tokens per second; reasoning: share of
// completion tokens reported as reasoning tokens (and streamed as reasoning deltas).
export const PERSONAS = {
  atlas: {
    id: 'atlas', name: 'Atlas', ttftMs: 450, tps: 95, reasoning: 0,
    style: 'structured: headings and numbered lists',
    signature: 'That is the structured summary; adjust the weights to your own priorities.',
  },
  borealis: {
    id: 'borealis', name: 'Borealis', ttftMs: 1150, tps: 45, reasoning: 0.3,
    style: 'cautious: careful prose with caveats',
    signature: 'As always, treat this as general information rather than personal advice.',
  },
  cirrus: {
    id: 'cirrus', name: 'Cirrus', ttftMs: 300, tps: 120, reasoning: 0,
    style: 'friendly and concise bullet points',
    signature: 'Hope that helps — happy to dig into any of these!',
  },
  dune: {
    id: 'dune', name: 'Dune', ttftMs: 800, tps: 70, reasoning: 0,
    style: 'data-driven: numbers and a table',
    signature: 'Numbers first, opinions second.',
  },
  ember: {
    id: 'ember', name: 'Ember', ttftMs: 600, tps: 85, reasoning: 0,
    style: 'contrarian: bold opinions with “quotes” and dashes',
    signature: 'Contrarian, maybe — but I stand by it.',
  },
};
export const PERSONA_IDS = Object.keys(PERSONAS);

export const JUDGE_TIMING = { ttftMs: 900, tps: 180, reasoning: 0 };

const BOREALIS_REASONING =
  'Let me separate the well-established findings from the contested ones before answering. ' +
  'I should flag the caveats clearly and avoid overstating the evidence.';
export function reasoningFor(personaId) {
  return personaId === 'borealis' ? BOREALIS_REASONING : '';
}

// ---- Topics -----------------------------------------------------------------------------
// points: claims with the exact sentence personas use (`by` = personas that make it).
// contradictions: two positions, each an exact sentence and the personas that take it.
// unique: one insight per persona. extras / intro: persona colour, not analysed.
const A = 'atlas', B = 'borealis', C = 'cirrus', D = 'dune', E = 'ember';

const TOPICS = {
  coffee: {
    title: 'Is coffee good or bad for your health?',
    keywords: [/\bcoffees?\b/i, /caffein/i, /espresso/i, /\blattes?\b/i, /\bcappuccino/i],
    intro: {
      atlas: 'Short answer: for most healthy adults, coffee is more likely to help than harm — with a few clear exceptions.',
      borealis: 'This is a question where the honest answer comes with caveats, so I will try to separate what is well established from what is not.',
      cirrus: 'Good news for coffee lovers: the research is mostly reassuring!',
      dune: 'Here is what the large cohort studies and meta-analyses say, with numbers where they exist.',
      ember: 'Coffee is not a health food, and it is not a poison either — the framing of the question is the real problem.',
    },
    points: [
      { id: 'moderate', by: [A, B, C, D, E], confidence: 0.9, short: 'Moderate intake is fine',
        claim: 'Moderate coffee intake (about 3–4 cups a day) is neutral or mildly beneficial for most healthy adults.',
        text: 'Moderate intake — roughly three to four cups a day — is linked to neutral or slightly better health outcomes for most adults.' },
      { id: 'limit', by: [A, B, D], confidence: 0.85, short: '400 mg/day upper limit',
        claim: 'About 400 mg of caffeine a day is the commonly cited upper limit for healthy adults.',
        text: 'Most health agencies put the upper limit for healthy adults at about 400 mg of caffeine a day.' },
      { id: 'sleep', by: [A, B, C, E], confidence: 0.85, short: 'Late caffeine hurts sleep',
        claim: 'Caffeine late in the day harms sleep (half-life of about five hours).',
        text: 'Caffeine late in the day can disrupt sleep, because its half-life is around five hours.' },
      { id: 'pregnancy', by: [B, D], confidence: 0.8, short: 'Lower limit in pregnancy',
        claim: 'Pregnancy calls for a lower limit, about 200 mg a day.',
        text: 'Pregnant people are usually advised to stay below 200 mg a day.' },
      { id: 'additives', by: [C, E], confidence: 0.8, short: 'Sugar and syrups matter',
        claim: 'Sugar, syrups and cream can outweigh the benefits of the coffee itself.',
        text: 'What you add matters: syrup, sugar and whipped cream can cancel out any benefit of the coffee itself.' },
    ],
    contradictions: [
      { id: 'heart', topic: 'Coffee and irregular heartbeat',
        assessment: 'Large cohort studies support the first stance for the general population; people with a diagnosed arrhythmia should follow their cardiologist’s advice rather than either blanket rule.',
        positions: [
          { by: [A, C, E], text: 'For most people, coffee does not raise the risk of an irregular heartbeat.' },
          { by: [B, D], text: 'Coffee can trigger an irregular heartbeat, so anyone with a heart condition should avoid it.' },
        ] },
      { id: 'hydration', topic: 'Does coffee dehydrate you?',
        assessment: 'The evidence favours the first stance: in habitual drinkers coffee hydrates roughly as well as water. Matching every cup with water is harmless but unnecessary.',
        positions: [
          { by: [A, B], text: 'Coffee counts towards your daily fluid intake, because regular drinkers quickly become tolerant to its mild diuretic effect.' },
          { by: [C, D, E], text: 'Coffee dehydrates you, so every cup should be matched with a glass of water.' },
        ] },
    ],
    unique: {
      atlas: { text: 'Genetics matter: slow metabolisers of caffeine (people with certain CYP1A2 variants) feel its effects for much longer.',
        assessment: 'Accurate and useful; it explains why people react so differently.' },
      borealis: { text: 'Unfiltered coffee, such as French press or Turkish coffee, contains cafestol, which can raise LDL cholesterol.',
        assessment: 'Well supported; a practical reason to prefer paper-filtered coffee for people with high cholesterol.' },
      cirrus: { text: 'A simple self-test is to skip caffeine for two weeks and note how your sleep and energy change.',
        assessment: 'Practical and low-risk, though withdrawal headaches in the first days can bias the result.' },
      dune: { text: 'At about €0.30 per cup brewed at home versus €3.50 at a café, a daily habit costs between roughly €110 and €1,280 a year.',
        assessment: 'Not a health point, but a correct and relevant framing of the habit’s cost.' },
      ember: { text: 'Caffeine tolerance means the daily “boost” is mostly just reversing the overnight withdrawal.',
        assessment: 'Partly true — tolerance is real — but some alertness benefit remains even in regular users.' },
    },
    extras: {
      atlas: 'If you are unsure about your own limit, track your intake for a week; most people underestimate how much caffeine comes from tea, cola and energy drinks.',
      borealis: 'Anyone taking medication, managing anxiety or living with a heart condition should discuss their intake with a doctor — averages from population studies do not describe every individual.',
      cirrus: 'And if you love the taste but not the jitters, decaf keeps most of the flavour and many of the antioxidants.',
      dune: 'Meta-analyses covering several hundred thousand participants report the lowest all-cause mortality at around three cups a day, but these are observational data, so causation is not proven.',
      ember: 'Drink it because you enjoy it, not because a headline promised you longevity…',
    },
    blindSpots: [
      'Interactions with medication: some antidepressants and antibiotics slow caffeine clearance considerably.',
      'Effects on people with anxiety or panic disorders.',
      'Caffeine intake in teenagers, for whom lower limits apply.',
    ],
    final: {
      recommendation: 'Enjoy up to **3–4 cups a day** if you are a healthy adult, prefer filtered coffee without much sugar, and stop caffeine by early afternoon.',
      code: 'half-life ≈ 5 h → last coffee before 14:00',
      link: { text: 'EFSA scientific opinion on the safety of caffeine', url: 'https://example.org/efsa-caffeine-opinion' },
    },
  },

  rust: {
    title: 'Rust or C++ for a new project?',
    keywords: [/\brust\b/i, /c\+\+/i, /\bcpp\b/i, /\bborrow checker\b/i],
    intro: {
      atlas: 'For a new project, Rust is the better default unless a specific constraint pushes you to C++. Here is the reasoning.',
      borealis: 'Choosing a systems language is a long-term commitment, so it is worth being careful about which constraints really apply to you.',
      cirrus: 'Great question — and a fun one, because both languages are excellent choices these days!',
      dune: 'Let us look at what the available data says about safety, performance and hiring before picking a side.',
      ember: 'The internet will tell you “just use Rust”. That is mostly right, but often for the wrong reasons.',
    },
    points: [
      { id: 'safety', by: [A, B, C, D, E], confidence: 0.95, short: 'Rust prevents memory bugs',
        claim: 'Rust’s ownership model eliminates whole classes of memory bugs at compile time.',
        text: 'Rust’s ownership model removes whole classes of memory bugs at compile time.' },
      { id: 'ecosystem', by: [A, B, D, E], confidence: 0.85, short: 'C++ has the bigger ecosystem',
        claim: 'C++ has the larger, more mature library ecosystem (games, graphics, finance).',
        text: 'C++ still has a much larger ecosystem of mature libraries, especially in games, graphics and finance.' },
      { id: 'learning', by: [A, B, C, D], confidence: 0.8, short: 'Rust is harder to learn',
        claim: 'Rust’s learning curve is steeper at first, mainly because of the borrow checker.',
        text: 'Rust has a steeper learning curve at the start, mostly because of the borrow checker.' },
      { id: 'interop', by: [B, E], confidence: 0.75, short: 'C ABI interop',
        claim: 'Both interoperate through the C ABI, so mixing them is practical.',
        text: 'Both languages can call C, so mixing them across a C ABI boundary is practical.' },
      { id: 'tooling', by: [C, D], confidence: 0.8, short: 'Cargo tooling',
        claim: 'Cargo gives Rust a standard build and package workflow that C++ lacks.',
        text: 'Cargo gives Rust a standard build and package workflow that C++ still lacks.' },
    ],
    contradictions: [
      { id: 'perf', topic: 'Runtime performance',
        assessment: 'Published benchmarks mostly show parity; differences come from libraries, algorithms and tuning effort rather than from the language itself.',
        positions: [
          { by: [A, C, E], text: 'Performance is effectively a tie, since both compile to comparable native code.' },
          { by: [B, D], text: 'Well-tuned C++ is still measurably faster than Rust for most workloads.' },
        ] },
      { id: 'hiring', topic: 'Hiring',
        assessment: 'Both effects are real: the pool is smaller but more motivated. The net effect depends on location and seniority, so neither stance is conclusive.',
        positions: [
          { by: [A, B], text: 'Hiring for Rust is harder today, because the pool of experienced developers is smaller.' },
          { by: [C, D, E], text: 'Hiring is easier with Rust, because many developers actively want to work in it.' },
        ] },
    ],
    unique: {
      atlas: { text: 'Before deciding, run a two-week spike that implements your hardest module in both languages.',
        assessment: 'A sound, cheap way to turn opinions into evidence.' },
      borealis: { text: 'Check your target platforms first: some consoles and certified embedded toolchains support only C and C++.',
        assessment: 'An important hard constraint that can settle the question on its own.' },
      cirrus: { text: 'If you target WebAssembly, Rust’s `wasm-bindgen` tooling is particularly pleasant to use.',
        assessment: 'True, though Emscripten gives C++ a mature WebAssembly path too.' },
      dune: { text: 'Google reported that memory-safety bugs fell from 76% to 24% of Android vulnerabilities between 2019 and 2024 as new code moved to memory-safe languages.',
        assessment: 'Accurate, and the strongest empirical argument in the panel.' },
      ember: { text: 'Modern C++ with sanitizers and strict guidelines closes much of the safety gap — most teams just never enforce them.',
        assessment: 'Partly true; the gap narrows, but the guarantees stay opt-in rather than enforced by the compiler.' },
    },
    extras: {
      atlas: 'Whichever you pick, settle early on a formatter, a linter and a CI pipeline; those habits matter more than the language in the first year.',
      borealis: 'If the team already has deep C++ experience and an established codebase, switching has a real cost that should not be waved away.',
      cirrus: 'Either way, you will be in good company — both communities are active and welcoming.',
      dune: 'In the Stack Overflow developer survey, Rust has been the most “admired” language for several years running, while C++ remains in the top ten by usage.',
      ember: 'Language choice rarely sinks a project; unclear requirements and weak testing do that far more often.',
    },
    blindSpots: [
      'Compile times and iteration speed, which differ noticeably between the two.',
      'Regulatory and certification requirements (automotive, medical) that favour established toolchains.',
      'The cost of maintaining bindings if the project must expose a C++ or Python API.',
    ],
    final: {
      recommendation: 'Choose **Rust** for a new project unless a hard constraint — a platform, a library or your team’s existing expertise — points to **C++**.',
      code: 'cargo new my-project',
      link: { text: 'The Rust Programming Language (book)', url: 'https://example.org/rust-book' },
    },
  },

  remote: {
    title: 'Does remote work make people more productive?',
    keywords: [/remote work/i, /\bremote\b/i, /work(ing)? from home/i, /\bwfh\b/i, /\bhybrid work/i, /home office/i, /return to (the )?office/i],
    intro: {
      atlas: 'The evidence says remote work helps some kinds of work and hurts others; the details matter more than the headline.',
      borealis: 'Productivity studies on remote work disagree with each other quite a lot, so I will be careful about what can be concluded.',
      cirrus: 'Remote work can be fantastic for productivity — if the team sets it up well!',
      dune: 'Here is a quick tour of the data from surveys and randomised trials.',
      ember: 'The remote-work debate is louder than the data justifies.',
    },
    points: [
      { id: 'focus', by: [A, B, C, D, E], confidence: 0.85, short: 'Better focus at home',
        claim: 'Remote work helps focused individual work (fewer interruptions, no commute).',
        text: 'Remote work tends to help focused individual work by cutting interruptions and commuting time.' },
      { id: 'mentoring', by: [A, B, C, D], confidence: 0.8, short: 'Mentoring is harder',
        claim: 'Collaboration and mentoring of junior staff are harder remotely.',
        text: 'Collaboration and mentoring of junior staff are harder to do well at a distance.' },
      { id: 'hybrid', by: [A, B, C], confidence: 0.75, short: 'Hybrid as compromise',
        claim: 'Hybrid schedules with 2–3 office days are a common compromise.',
        text: 'A hybrid schedule with two or three shared office days is a common compromise.' },
      { id: 'outcomes', by: [D, E], confidence: 0.8, short: 'Measure outcomes',
        claim: 'Productivity should be measured by outcomes, not hours online.',
        text: 'Productivity should be measured by outcomes, not by hours spent online.' },
      { id: 'async', by: [C, E], confidence: 0.75, short: 'Async writing',
        claim: 'Remote teams depend on written, asynchronous communication.',
        text: 'Written, asynchronous communication becomes essential in remote teams.' },
    ],
    contradictions: [
      { id: 'overall', topic: 'Overall productivity effect',
        assessment: 'The research is genuinely mixed: trials of individual, measurable work tend to show gains, while studies of complex collaborative work show some losses. Hybrid arrangements show the most consistent results.',
        positions: [
          { by: [A, C, E], text: 'On balance, remote workers are at least as productive as office workers.' },
          { by: [B, D], text: 'On balance, fully remote work lowers productivity compared with working in the office.' },
        ] },
      { id: 'innovation', topic: 'Innovation and creativity',
        assessment: 'Some studies link remote collaboration to fewer breakthrough ideas, but the effect is modest and depends on deliberate team practices; the first stance overstates it.',
        positions: [
          { by: [A, B], text: 'Remote teams innovate less, because spontaneous conversations disappear.' },
          { by: [C, D, E], text: 'Remote teams innovate just as well when they deliberately make room for brainstorming.' },
        ] },
    ],
    unique: {
      atlas: { text: 'Large surveys find that people save about an hour a day of commuting, and reinvest part of it in work.',
        assessment: 'Well supported by survey data; a concrete benefit that is easy to miss.' },
      borealis: { text: 'Isolation and blurred boundaries can raise burnout risk, which rarely shows up in short-term productivity data.',
        assessment: 'An important long-term risk that short studies cannot capture.' },
      cirrus: { text: 'Try a “core hours” agreement so that everyone overlaps for three or four hours a day.',
        assessment: 'Practical and widely used.' },
      dune: { text: 'A randomised trial with about 1,600 Trip.com employees found that hybrid work cut quit rates by a third with no loss in performance.',
        assessment: 'An accurate summary of a high-quality study.' },
      ember: { text: 'Most “productivity” debates are really about trust: managers who cannot see work tend to assume it is not happening.',
        assessment: 'A useful reframing, though it is an opinion rather than a finding.' },
    },
    extras: {
      atlas: 'If you are designing a policy, pilot it with one team for a quarter and compare delivery metrics before and after.',
      borealis: 'Individual circumstances — a quiet room, caring responsibilities, a long commute — change the answer for each person.',
      cirrus: 'Good habits help too: a shared-document culture beats endless video calls.',
      dune: 'Survey data also suggest employees value the option to work from home at roughly 8% of their salary.',
      ember: 'Return-to-office mandates are often about real estate and control as much as output.',
    },
    blindSpots: [
      'Differences between roles and industries, many of which cannot be done remotely at all.',
      'Time-zone spread in distributed teams.',
      'Effects on city centres and on commuting emissions.',
    ],
    final: {
      recommendation: 'Treat remote work as a **tool, not a verdict**: a well-run hybrid setup keeps most of the focus benefits while protecting collaboration and mentoring.',
      code: 'core hours: 10:00–14:00',
      link: { text: 'Working from home around the world (survey)', url: 'https://example.org/wfh-research' },
    },
  },

  generic: {
    title: null, // the question itself
    keywords: [],
    intro: {
      atlas: (q) => `You asked: “${q}” — here is a structured way to think it through.`,
      borealis: (q) => `Your question — “${q}” — deserves a careful answer, so let me separate what is clear from what depends on you.`,
      cirrus: (q) => `“${q}” — great question! Here is my quick take.`,
      dune: (q) => `Question: “${q}” — let us look at it the way an analyst would.`,
      ember: (q) => `“${q}” — the usual answer to this is too comfortable, so let me push back a little.`,
    },
    points: [
      { id: 'goal', by: [A, B, C, D, E], confidence: 0.9, short: 'State the goal first',
        claim: 'The right answer depends on the goal, so state it first.',
        text: 'The best answer depends on what exactly you are optimising for, so it helps to state the goal first.' },
      { id: 'tradeoffs', by: [A, B, C, D], confidence: 0.85, short: 'Real trade-offs',
        claim: 'There are real trade-offs; no option wins on every dimension.',
        text: 'There are real trade-offs here, and no option wins on every dimension.' },
      { id: 'sources', by: [A, B, D], confidence: 0.8, short: 'Use primary sources',
        claim: 'Check primary sources and recent data instead of relying on one opinion.',
        text: 'Look for primary sources and recent data rather than relying on a single opinion.' },
      { id: 'experiment', by: [C, E], confidence: 0.75, short: 'Small reversible step',
        claim: 'Start with a small, reversible experiment.',
        text: 'Starting with a small, reversible experiment is cheaper than committing all at once.' },
      { id: 'context', by: [B, D], confidence: 0.75, short: 'Context changes the answer',
        claim: 'Budget, timeline and the people involved can change the best choice.',
        text: 'Local context — budget, timeline and the people involved — can change the best choice.' },
    ],
    contradictions: [
      { id: 'speed', topic: 'Decide fast or research more?',
        assessment: 'It depends on reversibility: for decisions that are easy to undo, speed wins; for costly or irreversible ones, the extra research is worth it.',
        positions: [
          { by: [A, C, E], text: 'Moving quickly matters more than finding the perfect answer.' },
          { by: [B, D], text: 'It is worth taking extra time to research this properly before deciding.' },
        ] },
      { id: 'expert', topic: 'Is a specialist worth it?',
        assessment: 'A specialist pays off when the stakes are high or the rules are technical; otherwise a self-directed approach with good sources is usually enough.',
        positions: [
          { by: [A, B], text: 'Consulting a specialist is worth the cost here.' },
          { by: [C, D, E], text: 'You can reach a good answer on your own without paying a specialist.' },
        ] },
    ],
    unique: {
      atlas: { text: 'Write the decision down with your reasons, so you can review it in three months.',
        assessment: 'Simple and effective: it makes later learning possible.' },
      borealis: { text: 'Consider the worst plausible outcome and make sure you could live with it.',
        assessment: 'A sound risk check that the other answers skip.' },
      cirrus: { text: 'Ask two or three people who have faced the same question what they wish they had known.',
        assessment: 'Practical; first-hand experience often reveals hidden costs.' },
      dune: { text: 'Put rough numbers on each option — even a 1–5 score per criterion makes the comparison clearer.',
        assessment: 'Helpful, as long as the scores are not mistaken for precision.' },
      ember: { text: 'The popular answer is often popular because it is safe, not because it is right.',
        assessment: 'A fair warning, though contrarianism is not evidence either.' },
    },
    extras: {
      atlas: 'Once the goal is explicit, list two or three options and the criteria that matter most to you.',
      borealis: 'If anything about this involves health, money or legal obligations, a qualified professional should have the last word.',
      cirrus: 'And do not stress too much — most choices like this can be adjusted later.',
      dune: 'When data is missing, a quick estimate with stated assumptions beats no estimate at all.',
      ember: 'If everyone you ask agrees instantly, ask someone who disagrees — you will learn more.',
    },
    blindSpots: [
      'Whether there is a deadline or time-sensitive aspect that changes the answer.',
      'Legal, ethical or regional constraints specific to your situation.',
    ],
    final: {
      recommendation: 'State your goal, compare a few options against explicit criteria, and **start with a small, reversible step**.',
      code: 'decision-log.md',
      link: { text: 'A practical guide to making better decisions', url: 'https://example.org/decision-making-guide' },
    },
  },
};
export const TOPIC_IDS = Object.keys(TOPICS);

// Picks the built-in topic whose keywords match the prompt best; "generic" otherwise.
export function pickTopic(prompt) {
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
    `${p.points.slice(0, 2).join(' ')} That said, the evidence has limits, and individual results vary.`, '',
    ...(p.points.length > 2 ? [p.points.slice(2).join(' '), ''] : []),
    `On the contested questions I lean towards caution. ${p.stances.join(' ')}`, '',
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
// claim sentences in the order they appear (used to place citations).
export function buildAnswer(personaId, prompt) {
  const pid = PERSONAS[personaId] ? personaId : 'atlas';
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
  const contradictions = [];
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
    for (const c of analysis.contradictions) out.push(`- **${c.topic}:** ${c.assessment}`);
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
