// One error model: codes from a catalogue, rendered with option keys by the library and with flags
// by the command line; one text for exit 70.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { internalErrorText } from '../../src/cli.js';
import { ChronicleError, chronicleError, describeError, EXIT, UsageError, UserError } from '../../src/errors.js';
import { ERRORS, optionFlag, renderMessage } from '../../src/errors-data.js';
import { issueWindow } from '../../src/newsletter/window.js';
import { VERSION } from '../../src/version.js';
import { ROOT } from '../helpers.js';

describe('the error catalogue', () => {
  it('has a title and a message for every code, and codes are kebab-case', () => {
    for (const [code, entry] of Object.entries(ERRORS)) {
      expect(code).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(entry.title.length).toBeGreaterThan(5);
      expect(typeof entry.message).toBe('function');
    }
  });

  it('names options by key in the library and by flag on the command line', () => {
    let error: unknown;
    try {
      issueWindow('2025-01-31', { since: '2025-13-01', until: '2025-01-31' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ChronicleError);
    const chronicle = error as ChronicleError;
    expect(chronicle.code).toBe('option-not-a-day');
    expect(chronicle.exitCode).toBe(EXIT.usage);
    expect(chronicle.message).toBe('`since` "2025-13-01" is not a day');
    expect(describeError(chronicle, optionFlag)).toEqual({
      message: '--since "2025-13-01" is not a day',
      hint: 'write --since YYYY-MM-DD, e.g. --since 2025-01-01',
    });
    expect(optionFlag('baseUrl')).toBe('--base-url');
    expect(renderMessage('invalid-base-url', { value: 'x', reason: 'not-absolute' }, optionFlag).message).toBe(
      '--base-url "x" is not an absolute link',
    );
  });

  it('keeps UserError and UsageError constructible as before', () => {
    const user = new UserError('something', { hint: 'do this' });
    expect(user).toBeInstanceOf(ChronicleError);
    expect([user.exitCode, user.code, user.hint, user.problems]).toEqual([1, 'user-error', 'do this', []]);
    const usage = new UsageError('bad flag', 'use another');
    expect(usage).toBeInstanceOf(UserError);
    expect([usage.exitCode, usage.hint]).toEqual([2, 'use another']);
    expect(chronicleError('file-not-found', { file: 'x.yaml' }).exitCode).toBe(1);
  });
});

describe('exit 70', () => {
  it('says it is a bug, how to report it, and gives the chronicle and Node versions', () => {
    const text = internalErrorText(new TypeError('boom'));
    expect(text).toContain('This is a bug in chronicle');
    expect(text).toContain('Please report it');
    expect(text).toContain(`chronicle ${VERSION}, Node ${process.version}`);
    expect(text).toContain('TypeError: boom');
  });

  it('reports the version package.json has', () => {
    expect(VERSION).toBe(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version);
  });
});
