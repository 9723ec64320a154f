// The demo's content, and nothing else: five answer personas, the topics they answer
// (the example gallery's written answers, a few topics the simulator's tests use, and a
// generic fallback), and the gallery of example questions the page offers.
//
// One module for both demo providers: the in-page one (web/demo/provider.mjs, shipped in
// dist/) and the Node simulator (scripts/sim/provider-sim.mjs). Pure data: no I/O.
//
// How the judge stays consistent: every sentence that carries a claim, a stance or a unique
// insight is written ONCE here and inserted verbatim into the persona answers. The judge
// scans each response for those exact sentences, so stances it reports are always exact
// quotes of the response they are attributed to, whatever panel subset is present.
//
// Index of this file:
// [SECTION] personas
// [SECTION] topics used by the simulator's tests (coffee, remote work)
// [SECTION] gallery topics (each written to show something only fusion shows)
// [SECTION] generic fallback (the simulator only: the page never answers free questions)
// [SECTION] the gallery

export const DISCLAIMER = '*Demo provider: scripted answer, not a real model.*';

// Extra line used by the utf8-split scenario (multi-byte characters of 2, 3 and 4 bytes).
export const UNICODE_LINE = 'Unicode check: café — Ж 你好 😀 … “quoted” €42.';

// ---- [SECTION] personas ---------------------------------------------------------------------------
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

export const TOPICS = {
  // ---- [SECTION] topics used by the simulator's tests ----------------------------------
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
      link: { text: 'EFSA scientific opinion on the safety of caffeine', url: 'https://www.efsa.europa.eu/en/topics/topic/caffeine' },
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
      link: { text: 'The Rust Programming Language (book)', url: 'https://doc.rust-lang.org/book/' },
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

  // ---- [SECTION] gallery topics ------------------------------------------------------------
  // Each is written so that the maps show a real disagreement and the judge has something to
  // decide. `rust` above is in the gallery too (the judgement question). `sources` are real
  // pages, cited (as url_citation annotations) when a request asks for web search.
  greatwall: {
    caveats: { borealis: 'Distance and eyesight are what decide it.' },
    title: 'Can you see the Great Wall of China from space?',
    keywords: [/great wall/i],
    intro: {
      atlas: 'Short answer: no, not with the naked eye — and certainly not from the Moon.',
      borealis: 'This is one of the most repeated claims about space, so it is worth being precise about distance and eyesight.',
      cirrus: 'Yes! It is one of the most famous facts about space.',
      dune: 'The question is really about angular resolution, so let us put numbers on it.',
      ember: 'No. This is a textbook myth, and it is worth asking why it survived so long.',
    },
    points: [
      { id: 'length', by: [A, B, C, D, E], confidence: 0.9, short: 'About 21,000 km long',
        claim: 'All of the Great Wall’s branches together measure about 21,000 km (21,196 km in China’s 2012 survey).',
        text: 'All of the wall’s branches together measure about 21,000 km — 21,196 km in China’s 2012 survey.' },
      { id: 'narrow', by: [A, B, D, E], confidence: 0.85, short: 'Only a few metres wide',
        claim: 'The wall is only a few metres wide, and built of stone and earth close in colour to the land around it.',
        text: 'Most of the wall is only a few metres wide, and it is built of stone and earth close in colour to the land around it.' },
      { id: 'yang', by: [A, B, E], confidence: 0.85, short: 'Yang Liwei saw nothing',
        claim: 'China’s first astronaut, Yang Liwei, said in 2003 that he could not see the wall from orbit.',
        text: 'China’s first astronaut, Yang Liwei, said after his 2003 flight that he could not see the wall from orbit.' },
      { id: 'cities', by: [B, D], confidence: 0.8, short: 'Cities and airports are visible',
        claim: 'From low orbit, astronauts see cities (especially at night), airports, large reservoirs and major roads.',
        text: 'What astronauts do see from low orbit are cities, especially at night, airports, large reservoirs and major roads.' },
    ],
    contradictions: [
      { id: 'orbit', topic: 'Visible from low orbit with the naked eye?',
        assessment: 'The first stance is right. From about 400 km the wall is far narrower than the eye can resolve, and it blends into the terrain; the “only man-made structure visible from space” line is a long-standing myth.',
        positions: [
          { by: [A, B, D, E], text: 'From low Earth orbit, about 400 km up, the wall is practically invisible to the naked eye; the photos that show it were taken with long lenses.' },
          { by: [C], text: 'The Great Wall is the only man-made structure you can see from space with the naked eye.' },
        ] },
      { id: 'moon', topic: 'Visible from the Moon?',
        assessment: 'The first stance is right: at about 384,000 km no individual human structure can be made out with the naked eye. No Apollo astronaut reported seeing the wall.',
        positions: [
          { by: [A, B, D], text: 'From the Moon, about 384,000 km away, no individual human structure can be seen with the naked eye.' },
          { by: [C], text: 'Apollo astronauts could even pick it out from the Moon.' },
        ] },
    ],
    unique: {
      atlas: { text: 'Astronauts on the International Space Station have photographed sections of the wall, but with telephoto lenses and under favourable light.',
        assessment: 'Accurate, and it explains where the “seen from space” pictures come from.' },
      borealis: { text: 'The claim appeared in print long before anyone went to space, so it was never based on observation.',
        assessment: 'True: versions of it were published decades before the first spaceflight.' },
      cirrus: { text: 'The wall was built and rebuilt over about two thousand years, and most of the sections visitors see today date from the Ming dynasty (1368–1644).',
        assessment: 'Correct, though it does not bear on the question of visibility.' },
      dune: { text: 'Seeing a 6-metre-wide object from 400 km needs a resolution of about 3 arc-seconds, roughly 20 times finer than the naked eye’s one arc-minute.',
        assessment: 'Correct arithmetic (6 m / 400 km ≈ 1.5 × 10⁻⁵ rad ≈ 3″), and the clearest argument in the panel.' },
      ember: { text: 'The real lesson is how long a catchy “fact” survives: this one sat in school textbooks for decades.',
        assessment: 'Fair: the claim was repeated in textbooks until astronauts publicly contradicted it.' },
    },
    extras: {
      atlas: 'If you want to see it yourself, the restored Ming sections at Mutianyu and Badaling are within about two hours of Beijing.',
      borealis: 'Visibility from orbit depends on lighting, weather and knowing exactly where to look, which is why anecdotes differ.',
      cirrus: 'Either way, it is an incredible feat of engineering and well worth a visit!',
      dune: 'For scale: the space station orbits at roughly 400 km, while the Moon is about 384,000 km away — nearly a thousand times farther.',
      ember: 'Impressive on the ground, invisible from the sky — both can be true.',
    },
    blindSpots: [
      'How much of the wall survives today: long stretches have eroded or disappeared.',
      'How the wall is actually mapped now: with satellite imagery and surveys, not eyesight.',
    ],
    final: {
      recommendation: '**No.** From low Earth orbit (about 400 km) the Great Wall is practically invisible to the naked eye, and from the Moon it cannot be seen at all. One panel member repeated the popular myth; the judge set it aside because the measurements contradict it.',
      code: '6 m / 400 km ≈ 3″ of arc, the eye resolves ≈ 60″',
      link: { text: 'Great Wall of China (Wikipedia)', url: 'https://en.wikipedia.org/wiki/Great_Wall_of_China' },
    },
    sources: [
      { url: 'https://en.wikipedia.org/wiki/Great_Wall_of_China', title: 'Great Wall of China — Wikipedia' },
      { url: 'https://en.wikipedia.org/wiki/Yang_Liwei', title: 'Yang Liwei — Wikipedia' },
      { url: 'https://en.wikipedia.org/wiki/Naked_eye', title: 'Naked eye — Wikipedia' },
    ],
  },

  batball: {
    stanceLeads: { borealis: 'My answer:' },
    caveats: { borealis: '' },
    title: 'The bat and the ball',
    keywords: [/\bbat\b.*\bball\b/i],
    intro: {
      atlas: 'Here is the calculation, step by step.',
      borealis: 'This looks simple, so let me go through it carefully.',
      cirrus: 'Careful — this one is a famous trap!',
      dune: 'Let us set up the numbers.',
      ember: 'Everyone overthinks this one. It is easy.',
    },
    points: [
      { id: 'crt', by: [A, B, C, D, E], confidence: 0.9, short: 'A classic CRT puzzle',
        claim: 'This is a classic puzzle from the Cognitive Reflection Test, built so that a quick answer is tempting.',
        text: 'This is a classic puzzle from the Cognitive Reflection Test, built so that a quick answer is tempting.' },
      { id: 'algebra', by: [C], confidence: 0.9, short: 'Set up the equation',
        claim: 'With the ball at x, the bat is x + 1.00, so 2x + 1.00 = 1.10 and x = 0.05.',
        text: 'Write the ball’s price as x: the bat is x + 1.00, so 2x + 1.00 = 1.10 and x = 0.05.' },
    ],
    contradictions: [
      { id: 'price', topic: 'The ball’s price',
        assessment: 'Only the second stance is correct, although a single member holds it: with a 10-cent ball the bat would cost $1.10 and the total would be $1.20. With a 5-cent ball the bat costs $1.05, exactly $1.00 more, and the total is $1.10.',
        positions: [
          { by: [A, B, D, E], text: 'The ball costs 10 cents, and the bat costs $1.00.' },
          { by: [C], right: true, text: 'The ball costs 5 cents, and the bat costs $1.05.' },
        ] },
      { id: 'check', topic: 'Does the answer pass the check?',
        assessment: 'The second stance is right: the first checks only the total and forgets that the bat must cost $1.00 more than the ball, not $1.00.',
        positions: [
          { by: [A, B, D, E], text: 'Check: $1.00 plus 10 cents is $1.10, so the numbers add up.' },
          { by: [C], right: true, text: 'Check: if the ball cost 10 cents, the bat would cost $1.10 and the total would be $1.20, so 10 cents cannot be right.' },
        ] },
    ],
    unique: {
      atlas: { text: 'In Shane Frederick’s 2005 study, about half of the students at Harvard, MIT and Princeton gave the quick answer.',
        assessment: 'Accurate, and ironic here: this answer gives the quick answer itself.' },
      borealis: { text: 'Problems like this reward writing the relationship down before answering.',
        assessment: 'Good advice that this answer did not follow.' },
      cirrus: { text: 'The quickest safeguard is to put the answer back into both conditions: the total and the difference.',
        assessment: 'Exactly the check that exposes the 10-cent answer.' },
      dune: { text: 'The puzzle is one of the three items of the Cognitive Reflection Test, with the widgets question and the lily-pad question.',
        assessment: 'Correct background.' },
      ember: { text: 'Puzzles like this are less about arithmetic than about noticing when an answer feels too easy.',
        assessment: 'True, though this answer fell for it.' },
    },
    extras: {
      atlas: 'The same pattern appears in everyday pricing questions, so it is worth remembering.',
      borealis: 'If you are unsure, working in cents (110 and 100) makes the arithmetic harder to get wrong.',
      cirrus: 'Fun, right? It catches almost everyone the first time.',
      dune: 'Answering in whole cents avoids rounding doubts.',
      ember: 'Next question.',
    },
    blindSpots: [
      'Why the quick answer keeps feeling right even after the check has failed.',
    ],
    final: {
      recommendation: 'The ball costs **5 cents** and the bat **$1.05**. Most of the panel said 10 cents, but that fails the check: the bat would then cost $1.10 and the total $1.20. The judge kept the minority answer because it is the only one that satisfies both conditions.',
      code: 'x + (x + 1.00) = 1.10  →  x = 0.05',
      link: { text: 'Cognitive reflection test (Wikipedia)', url: 'https://en.wikipedia.org/wiki/Cognitive_reflection_test' },
    },
    sources: [
      { url: 'https://en.wikipedia.org/wiki/Cognitive_reflection_test', title: 'Cognitive reflection test — Wikipedia' },
    ],
  },

  pianotuners: {
    stanceLeads: { borealis: 'My answer:' },
    title: 'How many piano tuners work in Chicago?',
    keywords: [/piano tuners?/i],
    intro: {
      atlas: 'This is a classic estimation problem, so here is a structured estimate with every assumption visible.',
      borealis: 'Any answer here rests on assumptions, so let me state mine and keep them conservative.',
      cirrus: 'Fun one — let us estimate it!',
      dune: 'Let us build the estimate from numbers we can check.',
      ember: 'The textbook answer is too high, and here is why.',
    },
    points: [
      { id: 'fermi', by: [A, B, C, D, E], confidence: 0.9, short: 'A Fermi problem',
        claim: 'This is a Fermi problem: the goal is a defensible order of magnitude, not an exact count.',
        text: 'This is a Fermi problem: the goal is a defensible order of magnitude, not an exact count.' },
      { id: 'population', by: [A, B, D, E], confidence: 0.85, short: '2.7 million residents',
        claim: 'The city of Chicago has about 2.7 million residents (2,746,388 in the 2020 census).',
        text: 'The city of Chicago has about 2.7 million residents — 2,746,388 in the 2020 census.' },
      { id: 'visit', by: [A, C, D], confidence: 0.8, short: 'A few tunings a day',
        claim: 'A tuning takes one to two hours, and travel between clients limits a tuner to a few tunings a day.',
        text: 'A tuning takes one to two hours, and travel between clients limits a tuner to a few tunings a day.' },
    ],
    contradictions: [
      { id: 'estimate', topic: 'The estimate',
        assessment: 'The figures span about 50 to 280, a factor of six, and the spread comes from the assumptions, not the arithmetic: the city (2.7 million people) or the metro area (about 9.6 million), the share of homes with a piano, and how often pianos are tuned. For the city itself, 50 to 150 is a defensible range.',
        positions: [
          { by: [B, E], text: 'If only one household in twenty has a piano that is looked after, tuned every year or two, and a tuner manages about 700 tunings a year, the city needs only about 50 tuners.' },
          { by: [A, D], text: 'With about 1.1 million households, a piano in one in ten, one tuning a year and about 1,000 tunings per tuner a year, the city needs roughly 100 to 150 tuners.' },
          { by: [C], text: 'Counting the whole metro area of about 9.6 million people, plus schools, churches and concert halls, gives around 280 tuners.' },
        ] },
      { id: 'frequency', topic: 'How often is a piano tuned?',
        assessment: 'Both are partly right: manufacturers recommend at least one tuning a year, but many home pianos are tuned far less often, which pulls the estimate down.',
        positions: [
          { by: [A, C, D], text: 'Pianos are typically tuned about once a year.' },
          { by: [B, E], text: 'Many home pianos go years without a tuning, so assuming one a year overstates demand.' },
        ] },
    ],
    unique: {
      atlas: { text: 'Enrico Fermi is said to have used this very question to teach estimation at the University of Chicago.',
        assessment: 'A well-known attribution, usually told as an anecdote rather than documented.' },
      borealis: { text: 'Many tuners also repair pianos or work part time, so a head count and a full-time count can differ a lot.',
        assessment: 'An important caveat about what is being counted.' },
      cirrus: { text: 'You can sanity-check the result by counting piano-tuning listings in a local business directory.',
        assessment: 'A practical cross-check, though listings overlap and go stale.' },
      dune: { text: 'Each factor is uncertain by perhaps a factor of two, but the errors partly cancel, which is why careful Fermi estimates often land within a factor of a few.',
        assessment: 'A fair statement of why the method works.' },
      ember: { text: 'Digital pianos, which never need tuning, have been replacing acoustic ones in homes for decades.',
        assessment: 'A real trend that argues for the lower estimates.' },
    },
    extras: {
      atlas: 'Doubling or halving any single assumption moves the answer by the same factor, so the result is a range, not a point.',
      borealis: 'Official occupational statistics group tuners with instrument repairers, so they cannot settle the count directly.',
      cirrus: 'Either way, it is a small, specialised trade!',
      dune: 'Stating each assumption makes the estimate easy to audit and to improve.',
      ember: 'If you need a real number, call three tuners and ask how many competitors they know.',
    },
    blindSpots: [
      'Tuners based outside the city who serve Chicago clients.',
    ],
    final: {
      recommendation: 'Roughly **50 to 150 piano tuners** for the city of Chicago, and a few hundred for the whole metro area. The panel’s figures (about 50, 100–150 and 280) differ mainly in what they count and how often they assume a piano is tuned.',
      code: '1.1M households × 1/10 × 1 tuning/yr ÷ 1,000 per tuner ≈ 110',
      link: { text: 'Fermi problem (Wikipedia)', url: 'https://en.wikipedia.org/wiki/Fermi_problem' },
    },
    sources: [
      { url: 'https://en.wikipedia.org/wiki/Fermi_problem', title: 'Fermi problem — Wikipedia' },
      { url: 'https://en.wikipedia.org/wiki/Chicago', title: 'Chicago — Wikipedia' },
    ],
  },

  k218b: {
    title: 'What has Webb found on K2-18 b?',
    keywords: [/k2-?18/i],
    intro: {
      atlas: 'Here is what has been published, in order, as of 2025.',
      borealis: 'This topic attracts bold headlines, so it helps to separate detections from hints.',
      cirrus: 'Exciting news from space!',
      dune: 'Let us look at what was measured and how strong each signal is.',
      ember: 'Less than the headlines suggest.',
    },
    points: [
      { id: 'ch4', by: [A, B, C, D, E], confidence: 0.9, short: 'Methane and CO₂ detected',
        claim: 'In 2023, Webb detected methane and carbon dioxide in the atmosphere of K2-18 b.',
        text: 'In 2023, Webb detected methane and carbon dioxide in the atmosphere of K2-18 b.' },
      { id: 'planet', by: [A, B, D, E], confidence: 0.85, short: 'A sub-Neptune 124 ly away',
        claim: 'K2-18 b is about 8.6 times as massive as Earth and orbits a cool red dwarf in its habitable zone, about 124 light-years away.',
        text: 'K2-18 b is about 8.6 times as massive as Earth and orbits a cool red dwarf in its habitable zone, about 124 light-years away.' },
      { id: 'ammonia', by: [A, B, D], confidence: 0.8, short: 'Little or no ammonia',
        claim: 'Webb saw little or no ammonia, which some researchers read as a hint of an ocean under the atmosphere.',
        text: 'Webb saw little or no ammonia, which some researchers read as a hint of an ocean under the atmosphere.' },
    ],
    contradictions: [
      { id: 'life', topic: 'Has Webb found signs of life?',
        assessment: 'The first stance matches the published record: a hint of dimethyl sulfide (DMS) in 2023 and a stronger claim in 2025 (about three sigma, with Webb’s MIRI instrument) both fall short of the five-sigma standard for a detection, and other teams’ reanalyses found the evidence weak. Life has not been confirmed, and DMS has not been ruled out.',
        positions: [
          { by: [A, B, D], text: 'A possible signal of dimethyl sulfide, a gas that on Earth is made by living things, has been reported, but it is not confirmed and other teams found the evidence weak.' },
          { by: [C], text: 'Webb has confirmed dimethyl sulfide on K2-18 b, which means there is life there.' },
          { by: [E], text: 'The dimethyl sulfide claim is just noise; there is nothing there.' },
        ] },
      { id: 'kind', topic: 'What kind of planet is it?',
        assessment: 'Still open. The second stance states the evidence best: the same spectra can be fitted by an ocean world under hydrogen or by a gas-rich mini-Neptune with no habitable surface.',
        positions: [
          { by: [A, C], text: 'It may be a “hycean” world: a planet with a liquid-water ocean under a hydrogen-rich atmosphere.' },
          { by: [B, D, E], text: 'It may just as well be a mini-Neptune with a thick gas envelope and no habitable surface; the data cannot yet tell the two apart.' },
        ] },
    ],
    unique: {
      atlas: { text: 'The 2023 spectra came from Webb’s NIRISS and NIRSpec instruments, watching starlight pass through the atmosphere as the planet crossed its star.',
        assessment: 'Accurate description of how the measurement was made.' },
      borealis: { text: 'A claimed biosignature needs independent confirmation and a check that no non-biological process makes the same gas.',
        assessment: 'The right standard, and the reason the claim is still debated.' },
      cirrus: { text: 'K2-18 b was discovered in 2015 in data from NASA’s Kepler spacecraft during its K2 mission, which is where the name comes from.',
        assessment: 'Correct.' },
      dune: { text: 'Three sigma means about a 0.3% chance that noise alone would produce the signal; physicists ask for five sigma, about one in 3.5 million.',
        assessment: 'Correct, and it puts the 2025 claim in proportion.' },
      ember: { text: 'Every “signs of life” headline so far, from the Martian meteorite to phosphine on Venus, has ended in a long argument rather than a discovery.',
        assessment: 'A fair historical caution, though it says nothing about this data.' },
    },
    extras: {
      atlas: 'More Webb time has been awarded to the planet, so the picture may change; check the date of any source.',
      borealis: 'Headlines written before the independent reanalyses can overstate the result.',
      cirrus: 'Fingers crossed for the follow-up observations!',
      dune: 'The signal strengths quoted in papers are the numbers to watch, not the headlines.',
      ember: 'Wait for a second telescope or a second team before believing any of it.',
    },
    blindSpots: [
      'Whether any non-biological chemistry could make dimethyl sulfide on such a planet.',
      'When the next observations are due and what would count as a confirmation.',
    ],
    final: {
      recommendation: 'Webb has found **methane and carbon dioxide** in K2-18 b’s atmosphere (2023) and little or no ammonia. A possible trace of **dimethyl sulfide**, a gas linked to life on Earth, was reported in 2023 and more strongly in 2025, but it is **not confirmed** and remains disputed; whether the planet has an ocean at all is still open (as of 2025).',
      code: 'discovery standard 5σ; the 2025 DMS claim ≈ 3σ',
      link: { text: 'K2-18b (Wikipedia)', url: 'https://en.wikipedia.org/wiki/K2-18b' },
    },
    sources: [
      { url: 'https://en.wikipedia.org/wiki/K2-18b', title: 'K2-18b — Wikipedia' },
      { url: 'https://en.wikipedia.org/wiki/Dimethyl_sulfide', title: 'Dimethyl sulfide — Wikipedia' },
      { url: 'https://en.wikipedia.org/wiki/Hycean_planet', title: 'Hycean planet — Wikipedia' },
    ],
  },

  dice: {
    stanceLeads: { borealis: 'My answer:' },
    caveats: { borealis: '' },
    title: 'At least one six in four rolls',
    keywords: [/\bsix\b.*\brolls?\b/i, /\bdice\b|\bdie\b/i],
    intro: {
      atlas: 'Here is the calculation.',
      borealis: 'Let me work this through carefully.',
      cirrus: 'Quick one!',
      dune: 'Let us compute it exactly.',
      ember: 'This is the bet that started probability theory.',
    },
    points: [
      { id: 'single', by: [A, B, C, D, E], confidence: 0.9, short: 'One roll: 1/6',
        claim: 'Each roll is independent, and a single roll shows a six with probability 1/6.',
        text: 'Each roll is independent, and a single roll shows a six with probability 1/6.' },
      { id: 'complement', by: [A, B, D, E], confidence: 0.9, short: 'Use the complement',
        claim: 'The chance of no six in four rolls is (5/6)⁴ = 625/1296.',
        text: 'The easy route is the complement: the chance of no six in four rolls is (5/6)⁴ = 625/1296.' },
    ],
    contradictions: [
      { id: 'answer', topic: 'The probability',
        assessment: 'The first stance is right. Adding the four chances counts the outcomes with two or more sixes more than once; the method visibly fails at seven rolls, where it would give a probability above 1.',
        positions: [
          { by: [A, B, D, E], text: 'So the probability of at least one six is 1 − 625/1296 = 671/1296, about 51.8%.' },
          { by: [C], text: 'Adding the four chances gives 4 × 1/6 = 2/3, so the probability is about 66.7%.' },
        ] },
    ],
    unique: {
      atlas: { text: 'This is the Chevalier de Méré’s bet, which Pascal and Fermat discussed in their letters of 1654.',
        assessment: 'Correct history.' },
      borealis: { text: 'The bet is favourable, but only just: at even odds you win about 51.8% of the time.',
        assessment: 'Correct, and a useful way to read the number.' },
      cirrus: { text: 'You can check any answer like this with a quick simulation of a few thousand rolls.',
        assessment: 'Good advice: a simulation would have caught this answer’s error.' },
      dune: { text: 'The companion bet — at least one double six in 24 rolls of two dice — has a probability of about 49.1%, just below even.',
        assessment: 'Correct: 1 − (35/36)²⁴ ≈ 0.491.' },
      ember: { text: 'Intuitions about “at least one” events are poor, which is why this bet once fooled gamblers.',
        assessment: 'Fair.' },
    },
    extras: {
      atlas: 'The same method gives 1 − (5/6)ⁿ for n rolls.',
      borealis: 'With six rolls the chance rises to about 66.5%, still not certain.',
      cirrus: 'Probability can be sneaky!',
      dune: 'Exact fractions avoid rounding errors: 671/1296 = 0.51775…',
      ember: 'The house knew the answer long before the mathematicians did.',
    },
    blindSpots: [
      'Whether real dice are fair enough for the exact figure to matter.',
    ],
    final: {
      recommendation: '**671/1296 ≈ 51.8%.** Most answers used the complement rule, 1 − (5/6)⁴; one added the four chances and got 2/3, which counts the rolls with more than one six several times.',
      code: '1 - (5/6)**4   # 0.5177…',
      link: { text: 'Antoine Gombaud, Chevalier de Méré (Wikipedia)', url: 'https://en.wikipedia.org/wiki/Antoine_Gombaud' },
    },
    sources: [
      { url: 'https://en.wikipedia.org/wiki/Antoine_Gombaud', title: 'Antoine Gombaud — Wikipedia' },
    ],
  },

  // ---- [SECTION] generic fallback ----------------------------------------------------------
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

// ---- [SECTION] the gallery -------------------------------------------------------------------
// The example questions the page offers (window API: state.examples). Each names its topic
// and the panel it runs with: "demo" (three scripted members and the demo judge) or "self"
// (one scripted model sampled at three temperatures). `search`: members use web search.
export const GALLERY = [
  { topic: 'greatwall', label: 'Great Wall from space?', kind: 'One member is confidently wrong: the judge catches it',
    question: 'Can you see the Great Wall of China from space with the naked eye?', panel: 'demo' },
  { topic: 'batball', label: 'Bat and ball puzzle', kind: 'A lone member is right: the judge keeps its answer',
    question: 'A bat and a ball cost $1.10 in total. The bat costs $1.00 more than the ball. How much does the ball cost?', panel: 'demo' },
  { topic: 'pianotuners', label: 'Piano tuners in Chicago', kind: 'A numeric estimate with a real spread',
    question: 'Roughly how many piano tuners work in Chicago?', panel: 'demo' },
  { topic: 'rust', label: 'Rust or C++?', kind: 'A judgement call with genuine trade-offs',
    question: 'Should we start a new project in Rust or C++?', panel: 'demo' },
  { topic: 'k218b', label: 'Webb and K2-18 b', kind: 'Recent events: grounding and citations matter',
    question: 'What has the James Webb Space Telescope found in the atmosphere of the exoplanet K2-18 b?', panel: 'demo', search: true },
  { topic: 'dice', label: 'Self-fusion: dice odds', kind: 'Self-fusion: one model sampled three times, then judged',
    question: 'What is the probability of rolling at least one six in four rolls of a fair die?', panel: 'self' },
];
