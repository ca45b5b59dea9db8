// Running a list: unsubscribing by token or address, the suppression list, and the list checked as a
// whole before anything is written or sent (issues 9 and 12).
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { describe, expect, it } from 'vitest';
import { fileNameOf } from '../../src/newsletter/deliver.js';
import { normaliseAddress } from '../../src/newsletter/recipients.js';
import { unsubscribeToken } from '../../src/unsubscribe/token.js';
import { ROOT, run, tempDir } from '../helpers.js';

const SEED = readFileSync(join(ROOT, 'events.yaml'), 'utf8');
const SECRET = 'test-secret-of-at-least-thirty-two-bytes';
const ENV = { CHRONICLE_SECRET: SECRET, CHRONICLE_CACHE: 'off' };
const SUBSCRIBERS = 'email,name\nada@example.org,Ada Lovelace\nbob@example.org,Bob\ncleo@example.org,\n';

function setup(csv = SUBSCRIBERS, events = SEED) {
  return tempDir({ 'events.yaml': events, 'subscribers.csv': csv });
}
const written = (dir: string) => readdirSync(join(dir, 'out', 'newsletter', '2025-01')).sort();

describe('chronicle unsubscribe', () => {
  it('resolves a token through the list, and the next run skips that reader', async () => {
    const dir = setup();
    const first = await run(['newsletter', '--recipients', 'subscribers.csv'], dir, ENV);
    expect(first.code).toBe(0);
    // The token as the reader's link carries it.
    const bob = await simpleParser(readFileSync(join(dir, 'out', 'newsletter', '2025-01', 'bob@example.org.eml')));
    const link = (bob.headers.get('list') as { unsubscribe: { url: string } }).unsubscribe.url;
    const token = link.split('/').pop()!;
    const result = await run(['unsubscribe', token, '--recipients', 'subscribers.csv'], dir, ENV);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toBe('unsubscribed bob@example.org\n1 added to suppressions.csv\n');
    expect(readFileSync(join(dir, 'suppressions.csv'), 'utf8')).toMatch(
      /^email,reason,date\nbob@example\.org,unsubscribed,\d{4}-\d{2}-\d{2}\n$/,
    );
    const second = await run(['newsletter', '--recipients', 'subscribers.csv', '-o', 'out2'], dir, ENV);
    expect(second.code).toBe(0);
    expect(second.stdout).toContain('2 personalised messages in out2/newsletter/2025-01/ (1 on the suppression list: none written)');
    expect(readdirSync(join(dir, 'out2', 'newsletter', '2025-01')).sort()).toEqual(['ada@example.org.eml', 'cleo@example.org.eml']);
  });

  it('takes addresses and links one a line with --from, and says who was already there', async () => {
    const dir = setup();
    const link = `https://example.org/unsubscribe/${unsubscribeToken('cleo@example.org', SECRET)}`;
    writeFileSync(join(dir, 'collected.txt'), `# from the endpoint\nAda@Example.org\n${link}\n`);
    const first = await run(['unsubscribe', '--from', 'collected.txt', '--recipients', 'subscribers.csv'], dir, ENV);
    expect(first.stdout).toBe('unsubscribed Ada@example.org\nunsubscribed cleo@example.org\n2 added to suppressions.csv\n');
    const again = await run(['unsubscribe', 'ada@example.org'], dir, ENV);
    expect(again.stdout).toBe('ada@example.org was already on the suppression list\n0 added to suppressions.csv\n');
  });

  it('refuses a forged token, a token without the list, and a short secret', async () => {
    const dir = setup();
    const forged = await run(
      ['unsubscribe', unsubscribeToken('bob@example.org', 'another-secret-of-thirty-two-bytes!!'), '--recipients', 'subscribers.csv'],
      dir,
      ENV,
    );
    expect(forged.code).toBe(1);
    expect(forged.stderr).toContain('is not the token of anyone on subscribers.csv; skipped');
    expect(existsSync(join(dir, 'suppressions.csv'))).toBe(false);
    const noList = await run(['unsubscribe', unsubscribeToken('bob@example.org', SECRET)], dir, ENV);
    expect(noList.code).toBe(2);
    expect(noList.stderr).toContain('a token needs --recipients');
    const short = await run(['unsubscribe', unsubscribeToken('bob@example.org', 's'), '--recipients', 'subscribers.csv'], dir, {
      CHRONICLE_SECRET: 's',
    });
    expect(short.code).toBe(1);
    expect(short.stderr).toContain('CHRONICLE_SECRET is 1 byte long; it must be at least 32');
    expect(short.stderr).toContain('openssl rand -hex 32');
  });

  it('honours --suppressions and newsletter.suppressions', async () => {
    const events = SEED.replace('newsletter:\n', 'newsletter:\n  suppressions: lists/gone.csv\n');
    expect(events).not.toBe(SEED);
    const dir = setup(SUBSCRIBERS, events);
    await run(['unsubscribe', 'ada@example.org'], dir, ENV);
    expect(existsSync(join(dir, 'lists', 'gone.csv'))).toBe(true);
    await run(['unsubscribe', 'bob@example.org', '--suppressions', 'other.csv'], dir, ENV);
    const both = await run(['newsletter', '--recipients', 'subscribers.csv', '--suppressions', 'other.csv'], dir, ENV);
    expect(both.stdout).toContain('2 personalised messages');
    await run(['newsletter', '--recipients', 'subscribers.csv', '-o', 'out2'], dir, ENV);
    expect(readdirSync(join(dir, 'out2', 'newsletter', '2025-01'))).not.toContain('ada@example.org.eml');
  });
});

describe('the list is checked whole before anything is written (issue 9)', () => {
  it('a missing list: a clean message, exit 1, nothing written', async () => {
    const dir = setup();
    const result = await run(['newsletter', '--recipients', 'missing.csv'], dir, ENV);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('cannot read missing.csv: the file does not exist');
    expect(existsSync(join(dir, 'out'))).toBe(false);
  });

  it('a CSV syntax error on the last line stops the run before any file is written', async () => {
    const dir = setup(`${SUBSCRIBERS}"dan@example.org,Dan\n`);
    const result = await run(['newsletter', '--recipients', 'subscribers.csv'], dir, ENV);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('subscribers.csv is not a CSV file chronicle can read');
    expect(existsSync(join(dir, 'out'))).toBe(false);
  });
});

describe('addresses (issue 9)', () => {
  it('gives two addresses two files: a!b@ and a_b@ do not collide', async () => {
    expect(fileNameOf('a!b@example.org')).not.toBe(fileNameOf('a_b@example.org'));
    const dir = setup('email\na!b@example.org\na_b@example.org\na%21b@example.org\n');
    const result = await run(['newsletter', '--recipients', 'subscribers.csv'], dir, ENV);
    expect(result.stdout).toContain('3 personalised messages');
    expect(written(dir)).toHaveLength(3);
  });

  it('refuses addresses with control characters, with their line', async () => {
    const dir = setup('email\nada@example.org\n"nul\x01x@example.org"\n"tab@exa\x7fmple.org"\n');
    const result = await run(['newsletter', '--recipients', 'subscribers.csv'], dir, ENV);
    expect(result.stderr).toContain('subscribers.csv:3: "nul\\u0001x@example.org" contains a control character (U+0001)');
    expect(result.stderr).toContain('subscribers.csv:4: "tab@exa\\u007fmple.org" contains a control character (U+007F)');
    expect(written(dir)).toEqual(['ada@example.org.eml']);
  });

  it('reads ada@example.org. as ada@example.org', async () => {
    expect(normaliseAddress('ada@example.org.')).toEqual({ email: 'ada@example.org' });
    const dir = setup('email\nada@example.org.\nADA@example.org\n');
    const result = await run(['newsletter', '--recipients', 'subscribers.csv'], dir, ENV);
    expect(result.stderr).toContain('subscribers.csv:3: ADA@example.org is listed twice; sent once');
    expect(written(dir)).toEqual(['ada@example.org.eml']);
  });

  it('writes an IDN domain in punycode, and refuses a non-ASCII local part clearly', async () => {
    const dir = setup('email,name\nzoë@example.org,Zoë\nada@bücher.example,Ada\n');
    const result = await run(['newsletter', '--recipients', 'subscribers.csv'], dir, ENV);
    expect(result.stderr).toContain('subscribers.csv:2: zoë@example.org has a non-ASCII name before the @, which needs SMTPUTF8');
    expect(written(dir)).toEqual(['ada@xn--bcher-kva.example.eml']);
    const raw = readFileSync(join(dir, 'out', 'newsletter', '2025-01', 'ada@xn--bcher-kva.example.eml'), 'utf8');
    expect(raw).toContain('\r\nTo: Ada <ada@xn--bcher-kva.example>\r\n');
  });

  it('refuses a newsletter.from of two addresses', async () => {
    const dir = setup(SUBSCRIBERS, SEED.replace(/from: .*\n/, 'from: "news@example.org, evil@attacker.org"\n'));
    const result = await run(['check'], dir, ENV);
    expect(result.code).toBe(1);
    expect(result.stdout + result.stderr).toContain('is not exactly one address');
    for (const one of ['news@example.org', 'AI Timeline <news@example.org>', '"Doe, Jane" <jane@example.org>']) {
      const ok = setup(SUBSCRIBERS, SEED.replace(/from: .*\n/, `from: ${JSON.stringify(one)}\n`));
      expect((await run(['check'], ok, ENV)).code).toBe(0);
    }
  });

  it('refuses a CHRONICLE_SECRET under 32 bytes, with a hint, before writing anything', async () => {
    const dir = setup();
    const result = await run(['newsletter', '--recipients', 'subscribers.csv'], dir, { CHRONICLE_SECRET: 's' });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('CHRONICLE_SECRET is 1 byte long; it must be at least 32');
    expect(result.stderr).toContain('openssl rand -hex 32');
    expect(existsSync(join(dir, 'out'))).toBe(false);
  });
});
