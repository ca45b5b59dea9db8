// Feeds, calendar and TimelineJS export keep the page's editorial promise: a claim stays a claim, a
// rumour a rumour, dates stay honest. Read back with real parsers (two feed parsers, ical.js, an XML
// parser), plus RFC 4287's and JSON Feed 1.1's required fields checked one by one.
import { parseFeed } from '@rowanmanning/feed-parser';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { parseAtomFeed, parseJsonFeed } from 'feedsmith';
import ICAL from 'ical.js';
import { describe, expect, it } from 'vitest';
import { loadTimeline } from '../../src/events/load.js';
import type { Timeline } from '../../src/events/model.js';
import { loadLocale } from '../../src/render/locales.js';
import { calendarUid, feedEntries, renderFeeds } from '../../src/timeline/feeds.js';
import { buildPageView } from '../../src/timeline/view.js';

const EVENTS = `title: Feeds & labels
locale: en
as_of: 2025-01-31
entities:
  deepseek: { name: DeepSeek, kind: organization }
tags:
  models: Model releases
events:
  - id: old-news
    date: 2019
    title: Back-filled today
    summary: An old event that entered the file on the last day.
    sources: [{ publisher: Reuters }]
    added: 2025-01-31
  - id: claim
    date: 2025-01-20
    title: DeepSeek says R1 beats o1
    summary: "Built on the *Fire-Flyer* cluster, see [the paper](https://arxiv.org/abs/2501.12948) and \`code\`."
    certainty: claimed
    claimed_by: deepseek
    tags: [models]
    sources:
      - { url: "https://arxiv.org/abs/2501.12948", title: The paper, publisher: arXiv }
  - id: plain
    date: 2025-01-10
    title: Something happened
    sources: [{ publisher: P }]
  - id: rumour
    date: 2025-04-01
    title: A rumoured launch
    status: rumored
    sources: [{ publisher: P }]
  - id: called-off
    date: 2025-05-02
    title: A cancelled event
    status: cancelled
    sources: [{ publisher: P }]
  - id: approximate
    date: 2025-03-10~
    title: Around the tenth of March
    status: upcoming
    sources: [{ publisher: P }]
  - id: firm
    date: 2025-03-20
    display_date: Spring equinox 2025
    title: A firm date
    status: upcoming
    sources: [{ publisher: P }]
  - id: someday
    title: Someday, no date
    status: upcoming
    sources: [{ publisher: P }]
`;

function timelineOf(text: string, now?: string): Timeline {
  const result = loadTimeline(text, now ? { now } : {});
  if (!result.timeline) throw new Error(JSON.stringify(result.problems));
  return result.timeline;
}

async function feeds(text = EVENTS, baseUrl: string | undefined = 'https://example.org/ai/', code = 'en') {
  const timeline = timelineOf(text);
  return { timeline, files: renderFeeds(timeline, baseUrl, await loadLocale(code)) };
}

const xml = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  htmlEntities: true,
  isArray: (name) => ['entry', 'category', 'link'].includes(name),
});

describe('Atom', () => {
  it('is well-formed and has every element RFC 4287 requires, with xml:lang and published', async () => {
    const { files } = await feeds();
    const atom = files['feed.xml'];
    expect(XMLValidator.validate(atom)).toBe(true);
    const feed = xml.parse(atom).feed;
    expect(feed['@xmlns']).toBe('http://www.w3.org/2005/Atom');
    expect(feed['@xml:lang']).toBe('en');
    // §4.1.1: id, title, updated; an author, at feed level (so every entry has one).
    expect(feed.id).toBe('https://example.org/ai/');
    expect(feed.title).toBe('Feeds & labels');
    expect(feed.updated).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    expect(feed.author.name).toBeTruthy();
    expect(feed.link.find((l: Record<string, string>) => l['@rel'] === 'self')['@href']).toBe('https://example.org/ai/feed.xml');
    for (const entry of feed.entry) {
      // §4.1.2: id, title, updated; content (or an alternate link).
      expect(entry.id).toMatch(/^urn:chronicle:event:/);
      expect(entry.title).toBeTruthy();
      expect(entry.updated).toMatch(/^\d{4}-\d{2}-\d{2}T00:00:00Z$/);
      expect(entry.published).toBe(entry.updated);
      expect(entry.content['@type']).toBe('html');
      expect(entry.updated <= feed.updated).toBe(true);
    }
  });

  it('is read back by @rowanmanning/feed-parser and feedsmith, labels in title and categories', async () => {
    const { files } = await feeds();
    const parsed = parseFeed(files['feed.xml']);
    expect(parsed.language).toBe('en');
    expect(parsed.authors[0]?.name).toBe('Feeds & labels');
    const claim = parsed.items.find((i) => i.id === 'urn:chronicle:event:claim')!;
    expect(claim.title).toBe('Claim by DeepSeek, not independently verified: DeepSeek says R1 beats o1');
    expect(claim.categories.map((c) => c.term)).toEqual(['models', 'claimed']);
    expect(claim.url).toBe('https://example.org/ai/#event-claim');
    expect(claim.published?.toISOString()).toBe('2025-01-20T00:00:00.000Z');
    const rumour = parsed.items.find((i) => i.id === 'urn:chronicle:event:rumour')!;
    expect(rumour.title).toBe('Rumored: A rumoured launch');
    expect(parsed.items.find((i) => i.id === 'urn:chronicle:event:called-off')?.title).toBe('Cancelled: A cancelled event');
    const smith = parseAtomFeed(files['feed.xml']);
    expect(smith.authors?.[0]?.name).toBe('Feeds & labels');
    expect(smith.entries?.find((e) => e.id === 'urn:chronicle:event:claim')?.categories?.map((c) => c.label)).toEqual([
      'Model releases',
      'Claim by DeepSeek, not independently verified',
    ]);
  });

  it('marks the labels in the interface language and French punctuation (--locale fr)', async () => {
    const { files } = await feeds(EVENTS, undefined, 'fr');
    const parsed = parseFeed(files['feed.xml']);
    expect(parsed.language).toBe('en'); // the content's language
    expect(parsed.items.find((i) => i.id === 'urn:chronicle:event:rumour')?.title).toBe('Rumeur\u00a0: A rumoured launch');
  });
});

describe('what is new', () => {
  it('orders entries by when they entered the timeline: added, else the date, never after as_of', async () => {
    const { timeline, files } = await feeds();
    // Same day: later in the file first. The 2019 event added on as_of comes before January's news.
    expect(feedEntries(timeline).map((e) => e.id)).toEqual(['firm', 'approximate', 'called-off', 'rumour', 'old-news', 'claim', 'plain']);
    const json = JSON.parse(files['feed.json']);
    expect(json.items[4]).toMatchObject({ id: 'old-news', date_published: '2025-01-31T00:00:00.000Z' });
    // A future event without `added` is published on as_of, not on its own (future) date.
    expect(json.items.find((i: { id: string }) => i.id === 'rumour').date_published).toBe('2025-01-31T00:00:00.000Z');
    const atom = xml.parse(files['feed.xml']).feed;
    expect(atom.updated).toBe('2025-01-31T00:00:00Z');
  });

  it('keeps the feed the same when only now moves on', async () => {
    const a = renderFeeds(timelineOf(EVENTS, '2025-02-10'), undefined, await loadLocale('en'));
    const b = renderFeeds(timelineOf(EVENTS, '2025-02-11'), undefined, await loadLocale('en'));
    expect(a['feed.xml']).toBe(b['feed.xml']);
    expect(a['feed.json']).toBe(b['feed.json']);
  });

  it('includes an undated event once it has an added day', async () => {
    const text = EVENTS.replace('    title: Someday, no date\n', '    title: Someday, no date\n    added: 2025-01-30\n');
    const { timeline } = await feeds(text);
    expect(feedEntries(timeline).map((e) => e.id)).toContain('someday');
  });
});

describe('JSON Feed 1.1', () => {
  it('has the required fields, plain text where text is asked, and the labels', async () => {
    const { files } = await feeds();
    const feed = JSON.parse(files['feed.json']);
    // https://www.jsonfeed.org/version/1.1/: version, title, items; each item an id and content.
    expect(feed.version).toBe('https://jsonfeed.org/version/1.1');
    expect(typeof feed.title).toBe('string');
    expect(Array.isArray(feed.items)).toBe(true);
    expect(feed.language).toBe('en');
    expect(feed.authors).toEqual([{ name: 'Feeds & labels', url: 'https://example.org/ai/' }]);
    for (const item of feed.items) {
      expect(typeof item.id).toBe('string');
      expect(typeof item.content_html === 'string' || typeof item.content_text === 'string').toBe(true);
      expect(Number.isNaN(Date.parse(item.date_published))).toBe(false);
      if (item.tags) expect(item.tags.every((t: unknown) => typeof t === 'string')).toBe(true);
    }
    const claim = feed.items.find((i: { id: string }) => i.id === 'claim');
    expect(claim.title).toBe('Claim by DeepSeek, not independently verified: DeepSeek says R1 beats o1');
    expect(claim.tags).toEqual(['Model releases', 'Claim by DeepSeek, not independently verified']);
    expect(claim.content_text).toBe(
      'Claim by DeepSeek, not independently verified\n\nBuilt on the Fire-Flyer cluster, see the paper (https://arxiv.org/abs/2501.12948) and code.\n\nSources: The paper, arXiv <https://arxiv.org/abs/2501.12948>',
    );
    expect(claim.summary).not.toMatch(/[*`[\]]/);
    expect(claim.content_html).toContain('<em>Fire-Flyer</em>');
    const parsed = parseJsonFeed(files['feed.json']);
    expect(parsed.items?.find((i) => i.id === 'claim')?.title).toBe(claim.title);
  });
});

describe('the calendar', () => {
  it('holds dated upcoming events with the right STATUS, host UIDs, plain text and a refresh interval', async () => {
    const { files } = await feeds();
    const text = files['upcoming.ics']!;
    expect(text).toContain('REFRESH-INTERVAL;VALUE=DURATION:P1D');
    expect(text).toContain('X-PUBLISHED-TTL:P1D');
    const calendar = new ICAL.Component(ICAL.parse(text));
    const events = calendar.getAllSubcomponents('vevent').map((v) => ({
      uid: v.getFirstPropertyValue('uid'),
      status: v.getFirstPropertyValue('status'),
      summary: v.getFirstPropertyValue('summary'),
    }));
    expect(events).toEqual([
      { uid: 'approximate.ai@example.org', status: 'TENTATIVE', summary: 'Around the tenth of March' },
      { uid: 'firm.ai@example.org', status: 'CONFIRMED', summary: 'A firm date' },
      { uid: 'rumour.ai@example.org', status: 'TENTATIVE', summary: 'Rumored: A rumoured launch' },
      { uid: 'called-off.ai@example.org', status: 'CANCELLED', summary: 'Cancelled: A cancelled event' },
    ]);
  });

  it('is TENTATIVE for a claim, and has a plain-text DESCRIPTION', async () => {
    const text = EVENTS.replace(
      '    date: 2025-01-20\n    title: DeepSeek says',
      '    date: 2025-02-20\n    status: announced\n    title: DeepSeek says',
    );
    const { files } = await feeds(text);
    const calendar = new ICAL.Component(ICAL.parse(files['upcoming.ics']!));
    const claim = calendar.getAllSubcomponents('vevent').find((v) => String(v.getFirstPropertyValue('uid')).startsWith('claim'))!;
    expect(claim.getFirstPropertyValue('status')).toBe('TENTATIVE');
    const description = String(claim.getFirstPropertyValue('description'));
    expect(description).toContain('Built on the Fire-Flyer cluster, see the paper (https://arxiv.org/abs/2501.12948)');
    expect(description).not.toContain('*');
  });

  it('is not written when it would be empty', async () => {
    const { files } = await feeds(EVENTS, undefined, 'en').then(async () => ({
      files: renderFeeds(timelineOf(EVENTS, '2025-12-31'), undefined, await loadLocale('en')),
    }));
    expect(files['upcoming.ics']).toBeUndefined();
    const view = buildPageView(timelineOf(EVENTS, '2025-12-31'), await loadLocale('en'));
    expect(view.feeds.calendar).toBeUndefined();
    expect(buildPageView(timelineOf(EVENTS), await loadLocale('en')).feeds.calendar).toBe('upcoming.ics');
  });

  it('names UIDs after the site host, and without base_url after the title on a reserved domain', () => {
    const timeline = timelineOf(EVENTS);
    expect(calendarUid('x', timeline, 'https://example.org/')).toBe('x@example.org');
    expect(calendarUid('x', timeline, 'https://news.example.com:8443/ai/timeline/')).toBe('x.ai-timeline@news.example.com');
    expect(calendarUid('x', timeline, undefined)).toBe('x@feeds-labels.chronicle.invalid');
  });
});

describe('TimelineJS export', () => {
  it('uses our date text, puts labels and sources in the text, and leaves undated events out', async () => {
    const { files } = await feeds();
    const data = JSON.parse(files['timeline.json']);
    const ids = data.events.map((e: { unique_id: string }) => e.unique_id);
    expect(ids).not.toContain('someday');
    const byId = (id: string) => data.events.find((e: { unique_id: string }) => e.unique_id === id);
    expect(byId('firm').display_date).toBe('Spring equinox 2025');
    expect(byId('approximate').display_date).toBe('c. 10 March 2025');
    expect(byId('claim').text.text).toContain('<strong>Claim by DeepSeek, not independently verified</strong>');
    expect(byId('claim').text.text).toContain('Sources: <a href="https://arxiv.org/abs/2501.12948">The paper, arXiv</a>');
    expect(byId('called-off').text.text).toContain('<strong>Cancelled</strong>');
  });
});

describe('JSON-LD', () => {
  it('gives each event a plain-text description', async () => {
    const view = buildPageView(timelineOf(EVENTS), await loadLocale('en'));
    const data = JSON.parse(view.jsonLd);
    const claim = data.itemListElement.find((e: { item: { name: string } }) => e.item.name === 'DeepSeek says R1 beats o1');
    expect(claim.item.description).toBe('Built on the Fire-Flyer cluster, see the paper (https://arxiv.org/abs/2501.12948) and code.');
  });
});
