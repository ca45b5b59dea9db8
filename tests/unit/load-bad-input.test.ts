// Every kind of bad input of the foundation issue: a clear, located message, never a crash.
import { describe, expect, it } from 'vitest';
import { loadTimeline } from '../../src/events/load.js';
import { formatProblems } from '../../src/report.js';
import { eventsFile, MINIMAL_EVENTS } from '../helpers.js';

/** The report a user would read for this text (no colour). */
function report(text: string): string {
  const { timeline, problems } = loadTimeline(text, { file: 'events.yaml' });
  const errors = problems.filter((p) => p.severity === 'error');
  if (errors.length === 0) throw new Error(`expected errors, got a timeline of ${timeline?.events.length} events`);
  expect(timeline).toBeUndefined();
  return formatProblems(problems, { sources: new Map([['events.yaml', text]]) });
}

function problems(text: string) {
  return loadTimeline(text, { file: 'events.yaml' }).problems;
}

/** One event with the given extra lines (indented as event fields). */
function withEvent(fields: string): string {
  return eventsFile(`  - id: ev
    date: 2025-01-20
    title: An event
    sources: [{ publisher: Reuters }]
${fields}`);
}

describe('the shape of the file', () => {
  it('rejects an empty file', () => {
    expect(report('')).toMatchInlineSnapshot(`
      "events.yaml:1:1  the file is empty
        hint: an events file is a mapping with at least \`title:\` and \`events:\`, e.g.
          title: My timeline
          events: []
        > 1 | 
            | ^"
    `);
  });

  it('rejects a file of comments only', () => {
    expect(problems('# nothing yet\n')[0]).toMatchObject({ line: 1, column: 1, message: 'the file is empty' });
  });

  it('rejects a list at the top', () => {
    expect(report('- id: a\n  title: A\n')).toMatchInlineSnapshot(`
      "events.yaml:1:1  the top of the file must be a mapping of keys, but it is a list
        hint: an events file starts like this:
          title: My timeline
          locale: en
          events:
            - id: first-event
              date: 2025-01-20
              title: Something happened
        > 1 | - id: a
            | ^"
    `);
  });

  it('rejects a scalar at the top', () => {
    expect(report('just some text\n')).toMatchInlineSnapshot(`
      "events.yaml:1:1  the top of the file must be a mapping of keys, but it is a single value ("just some text")
        hint: an events file starts like this:
          title: My timeline
          locale: en
          events:
            - id: first-event
              date: 2025-01-20
              title: Something happened
        > 1 | just some text
            | ^"
    `);
  });

  it('rejects a file without events', () => {
    expect(report('title: Hello\nlocale: en\n')).toMatchInlineSnapshot(`
      "events.yaml:1:1  \`events\` is missing at the top of the file
        hint: add the list of events, even an empty one: events: []
        > 1 | title: Hello
            | ^"
    `);
  });

  it('rejects events that are not a list', () => {
    expect(report('title: Hello\nevents: none yet\n')).toMatchInlineSnapshot(`
      "events.yaml:2:9  events  events must be a list, not "none yet"
        hint: events is a list: each event starts with "- " on its own line
          1 | title: Hello
        > 2 | events: none yet
            |         ^"
    `);
  });

  it('rejects two YAML documents in one file', () => {
    expect(report(`${eventsFile()}---\ntitle: Second\n`)).toMatchInlineSnapshot(`
      "events.yaml:24:1  the file holds more than one YAML document
        hint: keep one document: remove the \`---\` line and merge what follows into the first document
          22 |       - url: https://openai.com/
          23 | ---
        > 24 | title: Second
             | ^"
    `);
  });
});

describe('YAML syntax', () => {
  it('rejects tabs used for indentation, at the tab', () => {
    expect(report('title: Hello\nevents:\n\t- id: a\n')).toMatchInlineSnapshot(`
      "events.yaml:3:1  a tab is used for indentation
        hint: indent with spaces: YAML does not allow tabs
          1 | title: Hello
          2 | events:
        > 3 |  - id: a
            | ^"
    `);
  });

  it('rejects a duplicate key and names it', () => {
    expect(report(withEvent('    title: Again\n'))).toMatchInlineSnapshot(`
      "events.yaml:14:5  the key "title" appears twice in the same mapping
        hint: each key may appear once: remove one of them or merge their values
          12 |     title: An event
          13 |     sources: [{ publisher: Reuters }]
        > 14 |     title: Again
             |     ^"
    `);
  });

  it('rejects a broken mapping with its line and column', () => {
    const found = problems('title: Hello\nevents:\n  - id: a\n    title: b: c\n');
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ code: 'yaml-syntax', line: 4 });
  });

  it('fails fast on an alias bomb', () => {
    const levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 1; i < 10; i++) {
      const prev = String.fromCharCode(96 + i);
      const name = String.fromCharCode(97 + i);
      levels.push(`${name}: &${name} [${Array(9).fill(`*${prev}`).join(',')}]`);
    }
    const text = `title: Bomb\n${levels.join('\n')}\nevents: []\n`;
    const started = performance.now();
    const found = problems(text);
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(found[0]?.message).toMatch(/aliases expand this file/);
  });

  it('accepts a UTF-8 byte order mark and CRLF line endings, and counts lines right', () => {
    const text = `\uFEFF${eventsFile().replace(/\n/g, '\r\n')}`;
    const result = loadTimeline(text);
    expect(result.problems).toEqual([]);
    expect(result.timeline?.events.map((e) => e.id)).toEqual(['o1', 'r1']);
    const broken = `\uFEFF${withEvent('    importance: 7\n').replace(/\n/g, '\r\n')}`;
    expect(problems(broken)[0]).toMatchObject({ line: 14, column: 17, path: 'events[0].importance' });
  });
});

describe('keys and types', () => {
  it('rejects an unknown key and suggests the right one', () => {
    expect(report(withEvent('    sumary: Misspelt\n'))).toMatchInlineSnapshot(`
      "events.yaml:14:5  events[0].sumary  unknown key "sumary" in an event
        hint: did you mean "summary"? The keys here are: id, date, display_date, title, summary, status, certainty, claimed_by, actors, tags, importance, sources, related, added, image.
          12 |     title: An event
          13 |     sources: [{ publisher: Reuters }]
        > 14 |     sumary: Misspelt
             |     ^"
    `);
  });

  it('rejects an unknown top-level key with a suggestion', () => {
    const found = problems(eventsFile().replace('locale: en', 'lcoale: en'));
    expect(found[0]).toMatchObject({ code: 'unknown-key', path: 'lcoale', line: 2, column: 1 });
    expect(found[0]?.hint).toContain('did you mean "locale"?');
  });

  it('rejects wrong types', () => {
    expect(report(withEvent('    importance: high\n    actors: deepseek\n'))).toMatchInlineSnapshot(`
      "events.yaml:14:17  events[0].importance  "high" is not a valid importance
        hint: Importance is one of: 1, 2, 3.
          12 |     title: An event
          13 |     sources: [{ publisher: Reuters }]
        > 14 |     importance: high
             |                 ^

      events.yaml:15:13  events[0].actors  actors must be a list, not "deepseek"
        hint: write a list of entity keys: actors: [deepseek, openai]
          13 |     sources: [{ publisher: Reuters }]
          14 |     importance: high
        > 15 |     actors: deepseek
             |             ^"
    `);
  });

  it('rejects a status that does not exist, with a suggestion', () => {
    expect(problems(withEvent('    status: happend\n'))[0]?.hint).toContain('did you mean "happened"?');
  });
});

describe('dates', () => {
  it.each([
    ['2025-02-30', '"2025-02-30" is not a date', 'February 2025 has 28 days'],
    ['2025-13', '"2025-13" is not a date: there is no month 13', 'months go from 01 to 12'],
    ['2025-Q5', 'there is no quarter 5 in "2025-Q5"', 'quarters are Q1 to Q4'],
    ['Jan 2025', '"Jan 2025" is not a date', 'write YYYY'],
    ['2025-01-20/2024-01-01', '"2025-01-20/2024-01-01" ends before it starts', 'put the earlier date first'],
  ])('rejects the date %s at its line and column', (value, message, hint) => {
    const text = eventsFile(`  - id: ev\n    date: ${value}\n    title: T\n    sources: [{ publisher: P }]\n`);
    const found = problems(text);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ line: 11, column: 11, path: 'events[0].date', message });
    expect(found[0]?.hint).toContain(hint);
  });

  it('shows a code frame with a caret under the bad date', () => {
    expect(report(eventsFile(`  - id: ev\n    date: 2025-02-30\n    title: T\n    sources: [{ publisher: P }]\n`))).toMatchInlineSnapshot(`
      "events.yaml:11:11  events[0].date  "2025-02-30" is not a date
        hint: February 2025 has 28 days
           9 | events:
          10 |   - id: ev
        > 11 |     date: 2025-02-30
             |           ^"
    `);
  });

  it('rejects a happened event without a date', () => {
    expect(report(eventsFile('  - id: ev\n    title: No date\n    sources: [{ publisher: P }]\n'))).toMatchInlineSnapshot(`
      "events.yaml:10:5  events[0]  \`date\` is missing: a happened event needs a date
        hint: add date: YYYY-MM-DD (or YYYY-MM, YYYY); only announced, upcoming and rumored events may have no date yet
           8 |   models: Model releases
           9 | events:
        > 10 |   - id: ev
             |     ^"
    `);
  });

  it('accepts an upcoming event without a date', () => {
    const text = eventsFile('  - id: ev\n    title: Soon\n    status: upcoming\n    sources: [{ publisher: P }]\n');
    expect(loadTimeline(text).problems).toEqual([]);
  });

  it('rejects a bad source date and a bad added day', () => {
    const found = problems(
      withEvent('    added: 2025-02-29\n    related: []\n').replace('{ publisher: Reuters }', '{ publisher: Reuters, date: 2025-00 }'),
    );
    expect(found.map((p) => p.path)).toEqual(['events[0].sources[0].date', 'events[0].added']);
  });
});

describe('ids and references', () => {
  it('rejects a duplicate id', () => {
    expect(report(eventsFile(MINIMAL_EVENTS.replace('id: o1', 'id: r1')))).toMatchInlineSnapshot(`
      "events.yaml:17:9  events[1].id  the id "r1" is already used by events[0]
        hint: ids must be unique: give this event another id
          15 |     sources:
          16 |       - { publisher: DeepSeek }
        > 17 |   - id: r1
             |         ^"
    `);
  });

  it('names where a repeated id was first, for each repeat', () => {
    const third = '  - id: o1\n    date: 2024-12-06\n    title: Again\n    sources: [{ publisher: A }]\n';
    const found = problems(eventsFile(`${MINIMAL_EVENTS}${third}${third.replace('Again', 'Once more')}`));
    expect(found.map((p) => [p.path, p.message])).toEqual([
      ['events[2].id', 'the id "o1" is already used by events[1]'],
      ['events[3].id', 'the id "o1" is already used by events[1]'],
    ]);
  });

  it('rejects an id that is not a slug', () => {
    expect(problems(withEvent('').replace('id: ev', 'id: My Event'))[0]).toMatchObject({ code: 'invalid-id', path: 'events[0].id' });
  });

  it('rejects actors, claimed_by, tags and related that point nowhere', () => {
    const text = withEvent('    actors: [deepsek]\n    certainty: claimed\n    claimed_by: nobody\n    tags: [model]\n    related: [r2]\n');
    expect(report(text)).toMatchInlineSnapshot(`
      "events.yaml:14:14  events[0].actors[0]  no entity has the key "deepsek"
        hint: did you mean "deepseek"? Or add it to \`entities:\` at the top of the file:
            deepsek: { name: ..., kind: organization }
          12 |     title: An event
          13 |     sources: [{ publisher: Reuters }]
        > 14 |     actors: [deepsek]
             |              ^

      events.yaml:16:17  events[0].claimed_by  no entity has the key "nobody"
        hint: Add it to \`entities:\` at the top of the file:
            nobody: { name: ..., kind: organization }
          14 |     actors: [deepsek]
          15 |     certainty: claimed
        > 16 |     claimed_by: nobody
             |                 ^

      events.yaml:17:12  events[0].tags[0]  no tag has the key "model"
        hint: did you mean "models"? Or add it to \`tags:\` at the top of the file:
            model: Label shown on the page
          15 |     certainty: claimed
          16 |     claimed_by: nobody
        > 17 |     tags: [model]
             |            ^

      events.yaml:18:15  events[0].related[0]  no event has the id "r2"
        hint: Related lists ids of other events in this file.
          16 |     claimed_by: nobody
          17 |     tags: [model]
        > 18 |     related: [r2]
             |               ^"
    `);
  });
});

describe('sources and links', () => {
  it('rejects a source with neither url nor publisher', () => {
    expect(report(withEvent('').replace('{ publisher: Reuters }', '{ title: Just a title }'))).toMatchInlineSnapshot(`
      "events.yaml:13:15  events[0].sources[0]  a source needs a url or a publisher
        hint: add url: https://... or publisher: Name (both is best)
          11 |     date: 2025-01-20
          12 |     title: An event
        > 13 |     sources: [{ title: Just a title }]
             |               ^"
    `);
  });

  it.each([
    ['javascript:alert(1)', 'only http and https links are allowed, not "javascript:"'],
    ['data:text/html,<script>alert(1)</script>', 'only http and https links are allowed, not "data:"'],
    ['/news/relative', '"/news/relative" is not an absolute link'],
    ['https://', '"https://" is not a valid link'],
  ])('rejects the link %s', (url, message) => {
    const text = withEvent('').replace('{ publisher: Reuters }', `{ url: ${JSON.stringify(url)} }`);
    expect(problems(text)[0]).toMatchObject({ path: 'events[0].sources[0].url', message });
  });
});

describe('text that becomes a heading or a header', () => {
  it('rejects a line break in a title', () => {
    expect(report(withEvent('').replace('title: An event', 'title: "An event\\nBcc: victim@example.org"'))).toMatchInlineSnapshot(`
      "events.yaml:12:12  events[0].title  title must be one line, but it contains a line break
        hint: remove the line break: this text becomes a heading, a feed title or a mail header
          10 |   - id: ev
          11 |     date: 2025-01-20
        > 12 |     title: "An event\\nBcc: victim@example.org"
             |            ^"
    `);
  });

  it('rejects a carriage return in an entity name', () => {
    const text = eventsFile().replace('{ name: DeepSeek,', '{ name: "Deep\\rSeek",');
    expect(problems(text)[0]).toMatchObject({ code: 'line-break', path: 'entities.deepseek.name' });
  });
});

describe('every problem at once', () => {
  it('reports all the errors of a file, in file order, not only the first', () => {
    const text = eventsFile(`  - id: a
    date: 2025-02-30
    title: A
    sources: [{ publisher: P }]
  - id: b
    date: 2025-01-01
    titel: B
    sources: [{ url: "javascript:x" }]
`);
    expect(problems(text).map((p) => `${p.line}:${p.column} ${p.path}`)).toEqual([
      '11:11 events[0].date',
      '14:5 events[1]',
      '16:5 events[1].titel',
      '17:22 events[1].sources[0].url',
    ]);
  });
});
