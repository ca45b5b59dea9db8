// Generates realistic, valid events files of any size for benchmarks and tests.
// Deterministic: the same options always give the same text.

const ENTITY_NAMES = [
  ['deepseek', 'DeepSeek', 'organization'],
  ['openai', 'OpenAI', 'organization'],
  ['anthropic', 'Anthropic', 'organization'],
  ['google-deepmind', 'Google DeepMind', 'organization'],
  ['meta', 'Meta', 'organization'],
  ['mistral', 'Mistral AI', 'organization'],
  ['alibaba', 'Alibaba Cloud', 'organization'],
  ['nvidia', 'Nvidia', 'organization'],
  ['high-flyer', 'High-Flyer', 'organization'],
  ['liang-wenfeng', 'Liang Wenfeng', 'person'],
  ['sam-altman', 'Sam Altman', 'person'],
  ['hangzhou', 'Hangzhou', 'place'],
  ['paris', 'Paris', 'place'],
  ['deepseek-r1', 'DeepSeek-R1', 'product'],
  ['openai-o1', 'OpenAI o1', 'product'],
];
const TAGS = [
  ['models', 'Model releases'],
  ['open-source', 'Open source'],
  ['reasoning', 'Reasoning'],
  ['benchmarks', 'Benchmarks'],
  ['infrastructure', 'Infrastructure'],
  ['funding', 'Funding'],
  ['policy', 'Policy'],
  ['chips', 'Chips'],
  ['interviews', 'Interviews'],
  ['markets', 'Markets'],
];
const VERBS = ['releases', 'announces', 'publishes', 'opens', 'expands', 'raises', 'acquires', 'delays', 'previews', 'benchmarks'];
const NOUNS = [
  'a reasoning model',
  'an open-weight model',
  'a data centre',
  'a research paper',
  'a chip cluster',
  'an API',
  'a funding round',
  'a safety report',
  'a coding assistant',
  'a partnership',
];
const WORDS =
  'the model compute training inference open weights benchmark reasoning cluster investors researchers release pricing tokens context window distillation latency report agency market quarter'.split(
    ' ',
  );
const PUBLISHERS = ['Reuters', 'The Verge', 'ChinaTalk', 'ODSC', 'Financial Times', 'TechCrunch', 'Le Monde'];

/** Small seeded PRNG (mulberry32): benchmarks must see the same file every run. */
function random(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pad = (n) => String(n).padStart(2, '0');

/**
 * @param {{ events: number, seed?: number, indent?: number, eol?: string, asOf?: string }} options
 * @returns {string} the text of a valid events file
 */
export function generateEventsFile({ events: count, seed = 1, indent = 2, eol = '\n', asOf = '2030-06-30' }) {
  const rnd = random(seed);
  const pick = (list) => list[Math.floor(rnd() * list.length)];
  const sp = ' '.repeat(indent);
  const lines = [];
  const push = (s) => lines.push(s);
  push('# yaml-language-server: $schema=./events.schema.json');
  push(`title: Generated timeline of ${count} events`);
  push('description: >-');
  push(`${sp}A generated file for benchmarks: comments, folded summaries,`);
  push(`${sp}sources, entities and tags, like a file kept by hand for years.`);
  push('locale: en');
  push(`as_of: ${asOf}`);
  push('base_url: https://example.org/timeline/');
  push('entities:');
  for (const [key, name, kind] of ENTITY_NAMES) push(`${sp}${key}: { name: ${name}, kind: ${kind} }`);
  push('tags:');
  for (const [key, label] of TAGS) push(`${sp}${key}: ${label}`);
  push('events:');
  // Spread the events over the years before as_of, in order, so the file is sorted like a real one.
  const startDay = Date.UTC(2000, 0, 1);
  const endDay = Date.UTC(Number(asOf.slice(0, 4)) - 1, 11, 31);
  const item = `${sp}- `;
  const field = ' '.repeat(indent + 2);
  let previousLower = '';
  for (let i = 0; i < count; i++) {
    const when = new Date(startDay + Math.floor(((endDay - startDay) * i) / Math.max(count, 1)));
    const y = when.getUTCFullYear();
    const m = pad(when.getUTCMonth() + 1);
    const d = pad(when.getUTCDate());
    const shape = rnd();
    const quarter = Math.floor((Number(m) - 1) / 3) + 1;
    let date = shape < 0.8 ? `${y}-${m}-${d}` : shape < 0.9 ? `${y}-${m}` : shape < 0.95 ? `${y}-Q${quarter}` : `${y}-${m}-${d}~`;
    // Keep the file in date order (by first day covered): a month or quarter must not start before the last event.
    const lower = date.includes('Q') ? `${y}-${pad((quarter - 1) * 3 + 1)}-01` : date.length === 7 ? `${date}-01` : date.slice(0, 10);
    if (date !== `${y}-${m}-${d}` && lower <= previousLower) date = `${y}-${m}-${d}`;
    previousLower = date === `${y}-${m}-${d}` ? date : lower;
    const actor = pick(ENTITY_NAMES);
    const title = `${actor[1]} ${pick(VERBS)} ${pick(NOUNS)} (${i + 1})`;
    if (i % 10 === 0) push(`${sp}# ${y}: events kept by the desk, batch ${i / 10 + 1}`);
    push(`${item}id: event-${i + 1}`);
    push(`${field}date: ${date.includes('~') ? `"${date}"` : date}`);
    push(`${field}title: ${title.includes(':') ? JSON.stringify(title) : title}`);
    const words = Array.from({ length: 30 + Math.floor(rnd() * 30) }, () => pick(WORDS));
    push(`${field}summary: >-`);
    for (let w = 0; w < words.length; w += 12) push(`${field}${sp}${words.slice(w, w + 12).join(' ')}${w === 0 ? ' *notably*' : ''}`);
    if (rnd() < 0.15) {
      push(`${field}certainty: claimed`);
      push(`${field}claimed_by: ${actor[0]}`);
    }
    push(`${field}actors: [${actor[0]}${rnd() < 0.4 ? `, ${pick(ENTITY_NAMES)[0]}`.replace(`, ${actor[0]}`, '') : ''}]`);
    const tag1 = pick(TAGS)[0];
    const tag2 = pick(TAGS)[0];
    push(`${field}tags: [${tag1 === tag2 ? tag1 : `${tag1}, ${tag2}`}]`);
    if (rnd() < 0.1) push(`${field}importance: 1`);
    push(`${field}sources:`);
    push(`${field}${sp}- url: https://example.org/news/${y}/${m}/story-${i + 1}`);
    push(`${field}${sp}  publisher: ${pick(PUBLISHERS)}`);
    push(`${field}${sp}  title: ${title.replace(/[:#]/g, '')} (report)`);
    if (rnd() < 0.3) push(`${field}${sp}- { publisher: ${pick(PUBLISHERS)}, title: Follow-up, date: ${y}-${m} }`);
    if (i > 0 && rnd() < 0.2) push(`${field}related: [event-${i}]`);
    if (rnd() < 0.2) push('');
  }
  return `${lines.join(eol)}${eol}`;
}

/**
 * A file whose `count` events all fall in January 2030 (one headline in ten): a newsletter issue of
 * that many events.
 * @param {number} count
 * @returns {string}
 */
export function generateMonthFile(count) {
  const words =
    'the model compute training inference open weights benchmark reasoning cluster investors researchers release pricing tokens'.split(' ');
  const events = Array.from({ length: count }, (_, i) => {
    const summary = Array.from({ length: 45 }, (_, w) => words[(i * 7 + w * 3) % words.length]).join(' ');
    return `  - id: event-${i + 1}
    date: 2030-01-${String((i % 28) + 1).padStart(2, '0')}
    title: Company ${i + 1} releases a reasoning model with open weights
    summary: >-
      ${summary} *notably*.
    actors: [acme]
    importance: ${i % 10 === 0 ? 1 : 2}
    sources:
      - { url: "https://example.org/news/${i + 1}", title: Report ${i + 1}, publisher: Reuters }
      - { publisher: Le Monde, title: Follow-up ${i + 1} }
`;
  });
  return `title: Generated
locale: en
as_of: 2030-01-31
base_url: https://example.org/timeline/
newsletter: { name: Weekly AI, from: "Weekly AI <news@example.org>", unsubscribe_url: "https://example.org/u/{{token}}" }
entities:
  acme: { name: Acme, kind: organization }
events:
${events.join('')}`;
}

/** A subscribers CSV of `count` rows. */
export function generateSubscribers(count) {
  const rows = ['email,name,company'];
  for (let i = 0; i < count; i++) rows.push(`reader${i + 1}@example.org,Reader ${i + 1},Company ${i % 97}`);
  return `${rows.join('\n')}\n`;
}
