// Property tests: no edit of a valid file can crash the loader; every outcome is a timeline or a list
// of problems located inside the file. And what we accept, the reference YAML 1.2 parser (`yaml`)
// reads the same way, so our fast reader never invents a meaning.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parse as parseReference } from 'yaml';
import { generateEventsFile } from '../../bench/generate-events.js';
import { loadTimeline } from '../../src/events/load.js';
import { parseYamlSource } from '../../src/events/yaml-source.js';
import { ROOT } from '../helpers.js';
import { applyEdits, edit } from '../support/random-edits.js';

const SEED = readFileSync(join(ROOT, 'events.yaml'), 'utf8');
const GENERATED = generateEventsFile({ events: 12, seed: 7 });

describe.each([
  ['the seed file', SEED],
  ['a generated file', GENERATED],
])('random edits of %s', (_name, original) => {
  it('give a timeline or located problems, never an exception', () => {
    fc.assert(
      fc.property(fc.array(edit, { minLength: 1, maxLength: 4 }), (edits) => {
        const text = applyEdits(original, edits);
        const result = loadTimeline(text, { file: 'events.yaml', now: '2025-01-31' });
        const errors = result.problems.filter((p) => p.severity === 'error');
        expect(Boolean(result.timeline)).toBe(errors.length === 0);
        const lineCount = text.split('\n').length;
        for (const problem of result.problems) {
          expect(problem.line).toBeGreaterThanOrEqual(1);
          expect(problem.line).toBeLessThanOrEqual(lineCount);
          expect(problem.column).toBeGreaterThanOrEqual(1);
          expect(problem.message.length).toBeGreaterThan(0);
        }
      }),
      { numRuns: 400 },
    );
  });

  it('are read the same by our reader and by the reference YAML parser whenever we accept them', () => {
    fc.assert(
      fc.property(fc.array(edit, { minLength: 1, maxLength: 3 }), (edits) => {
        const text = applyEdits(original, edits);
        // Only files we accept matter: a rejected file has no meaning to disagree about.
        if (!loadTimeline(text, { now: '2025-01-31' }).timeline) return;
        const ours = parseYamlSource(text);
        if (!ours.ok) throw new Error('accepted a file the reader rejects');
        const reference = parseReference(text, { schema: 'core', uniqueKeys: true, maxAliasCount: 100 });
        expect(JSON.parse(JSON.stringify(ours.source.value))).toEqual(JSON.parse(JSON.stringify(reference ?? null)));
      }),
      { numRuns: 400 },
    );
  });
});
