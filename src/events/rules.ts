// Lint rules: things that are allowed but probably wrong. Each rule is a small function of one event
// and the timeline, returning warnings (plain data), in a registry like mjml-validator's rules.

import type { Timeline, TimelineEvent } from './model.js';
import { FORWARD_STATUSES } from './schema.js';
import type { Finding } from './validate.js';

export interface Rule {
  code: string;
  /** A function of the event and of `timeline.now` only: a load skips the events whose item had no
   * finding under the same now before (events/item-cache.ts; tests/unit/rules-inputs.test.ts). */
  check(event: TimelineEvent, timeline: Timeline): Omit<Finding, 'severity' | 'code'>[] | undefined;
}

const LISTS = ['actors', 'tags', 'related'] as const;
const at = (event: TimelineEvent, ...rest: (string | number)[]) => ['events', event.index, ...rest];

export const RULES: Rule[] = [
  {
    code: 'no-sources',
    check: (event) =>
      event.sources.length === 0
        ? [
            {
              path: at(event),
              message: `"${event.id}" has no sources`,
              hint: 'add sources: with a url or a publisher, so readers can check it',
            },
          ]
        : undefined,
  },
  {
    code: 'claim-without-claimant',
    check: (event) =>
      event.certainty === 'claimed' && !event.claimedBy
        ? [
            {
              path: at(event, 'certainty'),
              message: 'a claimed event does not say who claims it',
              hint: 'add claimed_by: with the entity key, e.g. claimed_by: deepseek',
            },
          ]
        : undefined,
  },
  {
    code: 'claimant-without-claim',
    check: (event) =>
      event.claimedBy && event.certainty !== 'claimed'
        ? [
            {
              path: at(event, 'claimed_by'),
              message: `claimed_by is set but certainty is ${event.certainty}`,
              hint: 'set certainty: claimed, or remove claimed_by',
            },
          ]
        : undefined,
  },
  {
    code: 'happened-in-future',
    check: (event, timeline) =>
      event.status === 'happened' && event.date && event.date.lower > timeline.now
        ? [
            {
              path: at(event, 'date'),
              message: `a happened event is dated ${event.date.text}, after now (${timeline.now})`,
              hint: 'set status: upcoming (or announced), or correct the date',
            },
          ]
        : undefined,
  },
  {
    code: 'upcoming-in-past',
    check: (event, timeline) =>
      FORWARD_STATUSES.has(event.status) && event.date && event.date.upper < timeline.now
        ? [
            {
              path: at(event, 'date'),
              message: `an ${event.status} event is dated ${event.date.text}, before now (${timeline.now})`,
              hint: 'if it happened, set status: happened; if it slipped, set status: postponed or correct the date',
            },
          ]
        : undefined,
  },
  {
    code: 'related-to-itself',
    check: (event) => {
      const j = event.related.indexOf(event.id);
      return j === -1
        ? undefined
        : [{ path: at(event, 'related', j), message: `"${event.id}" is related to itself`, hint: 'remove its own id from related' }];
    },
  },
  {
    code: 'listed-twice',
    check: (event) => {
      let found: Omit<Finding, 'severity' | 'code'>[] | undefined;
      for (const field of LISTS) {
        const list = event[field];
        // Lists are short; no allocation unless something repeats (this runs for every event).
        for (let j = 1; j < list.length; j++) {
          const key = list[j]!;
          if (list.indexOf(key) === j) continue;
          found ??= [];
          found.push({ path: at(event, field, j), message: `"${key}" is listed twice in ${field}`, hint: 'remove the repeated entry' });
        }
      }
      return found;
    },
  },
  {
    code: 'added-in-future',
    check: (event, timeline) =>
      event.added && event.added > timeline.now
        ? [
            {
              path: at(event, 'added'),
              message: `added ${event.added}, after now (${timeline.now})`,
              hint: 'added is the day the event entered the file',
            },
          ]
        : undefined,
  },
];

/** `quiet`: events known to have no finding (their item had none under the same now): not checked. */
export function lintTimeline(timeline: Timeline, rules: Rule[] = RULES, quiet?: (event: TimelineEvent) => boolean): Finding[] {
  // Rule by rule: each check then runs for every event in a row, and V8 compiles it after a few
  // hundred calls, where event by event the eight checks take turns at one call site that stays slow
  // (this code runs once per process: a rebuild at 10,000 events spent ~25 ms here). Findings are
  // few: they are put back in the order of events, then rules.
  const found: { event: number; rule: number; finding: Finding }[] = [];
  const events = quiet ? timeline.events.filter((event) => !quiet(event)) : timeline.events;
  for (let r = 0; r < rules.length; r++) {
    const rule = rules[r]!;
    for (let i = 0; i < events.length; i++) {
      const warnings = rule.check(events[i]!, timeline);
      if (warnings)
        for (const warning of warnings) found.push({ event: i, rule: r, finding: { severity: 'warning', code: rule.code, ...warning } });
    }
  }
  found.sort((a, b) => a.event - b.event || a.rule - b.rule);
  return found.map((f) => f.finding);
}
