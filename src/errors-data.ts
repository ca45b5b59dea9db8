// Every message chronicle shows a user, keyed by a stable code. Names are permanent: editors, scripts
// (`check --json`) and tests rely on them, so a code is never renamed or reused; wording may change.
// A message is a function of its data. Options are named through `name`, so the same error reads
// `since "x" is not a day` from the library and `--since "x" is not a day` from the command line.

/** How an option is written: the library uses its key, the command line its flag. */
export type OptionName = (option: string) => string;

export interface ErrorEntry<D> {
  /** A short, permanent description of the kind of error. */
  title: string;
  message: (data: D, name: OptionName) => string;
  hint?: (data: D, name: OptionName) => string | undefined;
  /** Exit 2 (a wrong flag or argument) rather than 1. */
  usage?: true;
}

// biome-ignore lint/complexity/noBannedTypes: entries without data take `{}`
const define = <D extends object = {}>(entry: ErrorEntry<D>): ErrorEntry<D> => entry;

const q = (value: unknown): string => JSON.stringify(value);
const DAY = 'YYYY-MM-DD';
export const DATE_HINT = 'write YYYY, YYYY-MM, YYYY-MM-DD or YYYY-Qn, e.g. 2025-01-20';
export const DAY_HINT = 'write the day as YYYY-MM-DD, e.g. 2025-01-28';
const SECRET_HINT =
  "set CHRONICLE_SECRET to at least 32 random bytes (it signs each reader's unsubscribe link), e.g. export CHRONICLE_SECRET=$(openssl rand -hex 32)";
export const SLUG_HINT = 'ids and keys are lowercase slugs: letters a-z, digits and single hyphens, e.g. deepseek-r1-release';

export const ERRORS = {
  // ---- options (the CLI names them as flags) -------------------------------------------------------
  'option-not-a-day': define<{ option: string; value: string; example?: string; suggestion?: string }>({
    title: 'An option that takes a day was given something else',
    message: (d, name) => `${name(d.option)} ${q(d.value)} is not a day`,
    hint: (d, name) =>
      `${d.suggestion ? `did you mean ${name(d.option)} ${d.suggestion}? ` : ''}write ${name(d.option)} ${DAY}, e.g. ${name(d.option)} ${d.example ?? '2025-01-31'}`,
    usage: true,
  }),
  'options-conflict': define<{ options: string[]; others: string[] }>({
    title: 'Two options that exclude each other',
    message: (d, name) => `give either ${d.options.map(name).join('/')} or ${d.others.map(name).join('/')}, not both`,
    usage: true,
  }),
  'options-go-together': define<{ options: string[]; example: string }>({
    title: 'Options that need each other',
    message: (d, name) => `${d.options.map(name).join(' and ')} go together`,
    hint: (d) => `e.g. ${d.example}`,
    usage: true,
  }),
  'period-reversed': define<{ since: string; until: string }>({
    title: 'A period that ends before it starts',
    message: (d, name) => `${name('until')} ${d.until} is before ${name('since')} ${d.since}`,
    usage: true,
  }),
  'invalid-period': define<{ value: string }>({
    title: 'An unknown period',
    message: (d, name) => `${name('period')} ${q(d.value)} is not week or month`,
    hint: (_d, name) => `e.g. ${name('period')} week`,
    usage: true,
  }),
  'unknown-locale': define<{ locale: string; locales: readonly string[] }>({
    title: 'A locale chronicle does not have',
    message: (d) => `there is no locale ${q(d.locale)}`,
    hint: (d) => `use one of: ${d.locales.join(', ')}, or put a <code>.json in the locales folder of your own templates`,
    usage: true,
  }),
  'invalid-base-url': define<{ value: string; reason: 'not-absolute' | 'not-http' }>({
    title: 'A base URL that is not an absolute http(s) link',
    message: (d, name) =>
      d.reason === 'not-http'
        ? `${name('baseUrl')} must be an http or https link`
        : `${name('baseUrl')} ${q(d.value)} is not an absolute link`,
    hint: (_d, name) => `e.g. ${name('baseUrl')} https://example.org/timeline/`,
    usage: true,
  }),
  'invalid-option': define<{ option: string; value: string; expected: string; example?: string }>({
    title: 'An option with a value it cannot take',
    message: (d, name) => `${name(d.option)} ${q(d.value)} is not ${d.expected}`,
    hint: (d, name) => (d.example ? `e.g. ${name(d.option)} ${d.example}` : undefined),
    usage: true,
  }),

  // ---- reading and writing files -------------------------------------------------------------------
  'file-not-found': define<{ file: string }>({
    title: 'The events file does not exist',
    message: (d) => `cannot read ${d.file}: the file does not exist`,
    hint: () =>
      'give the path of your events file (chronicle check path/to/events.yaml), or run the command in the folder that holds events.yaml',
  }),
  'file-is-folder': define<{ file: string }>({
    title: 'A folder where a file was expected',
    message: (d) => `cannot read ${d.file}: it is a folder`,
    hint: () => 'give the path of the events file, e.g. chronicle check events.yaml',
  }),
  'file-unreadable': define<{ file: string; reason: string; permission?: boolean }>({
    title: 'A file that cannot be read',
    message: (d) => `cannot read ${d.file}: ${d.reason}`,
    hint: (d) => (d.permission ? 'check the permissions of the file (ls -l) and that you may read it' : undefined),
  }),
  'file-too-big': define<{ file: string; size: string; limit: string }>({
    title: 'An events file larger than chronicle reads',
    message: (d) => `cannot read ${d.file}: it is ${d.size}, more than the ${d.limit} chronicle reads`,
    hint: () => 'split the timeline into several files, or check that this is the right file',
  }),
  'not-utf8': define<{ file: string; line: number; byte: number }>({
    title: 'A file that is not UTF-8',
    message: (d) => `cannot read ${d.file}: line ${d.line} has bytes that are not UTF-8 (byte ${d.byte} of the file)`,
    hint: () => 'save the file as UTF-8 (most editors: "Save with encoding" > UTF-8)',
  }),
  'output-is-file': define<{ folder: string }>({
    title: 'An output folder that is a file',
    message: (d) => `cannot build into ${d.folder}: it is a file`,
    hint: (_d, name) => `give a folder with ${name('out')}`,
  }),
  // Nothing outside the output folder is written or deleted (src/io/output.ts).
  'output-under-file': define<{ folder: string; file: string }>({
    title: 'An output folder below a file',
    message: (d) => `cannot build into ${d.folder}: ${d.file} is a file`,
    hint: (_d, name) => `give a folder with ${name('out')}, e.g. ${name('out')} out`,
  }),
  'output-holds-other-files': define<{ folder: string; holds: string; linkTo?: string }>({
    title: "An output folder that holds files that are not the build's",
    message: (d) =>
      `refusing to build into ${d.folder}${d.linkTo ? ` (a link to ${d.linkTo})` : ''}: it holds ${d.holds} and files that are not the build's`,
    hint: (_d, name) => `build into a folder of its own, e.g. ${name('out')} out`,
  }),
  'output-broken-link': define<{ folder: string; link: string; target: string }>({
    title: 'An output folder that is a link to nothing',
    message: (d) => `cannot build into ${d.folder}: ${d.link} is a link to ${d.target}, which does not exist`,
    hint: () => 'remove the link, or make the folder it points to',
  }),
  'output-unusable': define<{ folder: string; reason: string }>({
    title: 'An output folder that cannot be used',
    message: (d) => `cannot build into ${d.folder}: ${d.reason}`,
    hint: (_d, name) => `give a folder of its own with ${name('out')}, e.g. ${name('out')} out`,
  }),
  'output-link-inside': define<{ folder: string; path: string; target: string }>({
    title: 'A symbolic link inside the output folder, where the build writes or deletes',
    message: (d) =>
      `cannot build into ${d.folder}: ${d.path} is a symbolic link (to ${d.target}), and chronicle never writes or deletes through a link inside the output folder; nothing was written`,
    hint: (d) => `remove the link (rm ${d.path}) and build again; what it points to is left as it is`,
  }),
  'output-file-in-the-way': define<{ folder: string; path: string }>({
    title: 'A file where the build needs a folder',
    message: (d) => `cannot build into ${d.folder}: ${d.path} is a file where the build needs a folder; nothing was written`,
    hint: (d) => `move it away (mv ${d.path} …) and build again`,
  }),
  'output-folder-in-the-way': define<{ folder: string; path: string }>({
    title: 'A folder where the build writes a file',
    message: (d) => `cannot build into ${d.folder}: ${d.path} is a folder where the build writes a file; nothing was written`,
    hint: (d) => `move it away (mv ${d.path} …) and build again`,
  }),
  'output-write-failed': define<{ folder: string; reason: string; code: string }>({
    title: 'An output folder that could not be written',
    message: (d) => `cannot write the build into ${d.folder}: ${d.reason}`,
    hint: (d) =>
      d.code === 'ENOSPC' || d.code === 'EDQUOT'
        ? 'free some space and build again'
        : 'check that the output folder and the folder that holds it are writable, and build again',
  }),
  'locale-file-invalid': define<{ file: string; reason: string }>({
    title: 'A locale file that cannot be used',
    message: (d) => `the locale file ${d.file} ${d.reason}`,
    hint: () => 'copy templates/locales/en.json and translate its values; keep its keys',
  }),
  'unknown-dayjs-locale': define<{ file: string; name: string }>({
    title: 'A locale file naming a dayjs locale that does not exist',
    message: (d) => `the locale file ${d.file} names the dayjs locale ${q(d.name)}, which dayjs does not have`,
    hint: () => 'give "dates.dayjs" the name of a file of node_modules/dayjs/locale/ (without .js), e.g. "de"',
  }),
  'template-syntax': define<{ template: string; reason: string }>({
    title: 'A template that does not parse',
    message: (d) => `the template ${d.template} has a syntax error: ${d.reason}`,
    hint: () => 'fix the template: every {{ needs its }}, every {{#block}} its {{/block}}',
  }),

  // ---- chronicle add ---------------------------------------------------------------------------------
  'file-has-problems': define<{ file: string }>({
    title: 'An events file that must be valid before it is changed',
    message: (d) => `${d.file} has problems, so nothing was added; fix them first (chronicle check ${d.file})`,
  }),
  'duplicate-event': define<{ title: string; date: string; id: string; file: string }>({
    title: 'A new event that repeats one already in the file',
    message: (d) => `"${d.title}" (${d.date}) looks like "${d.id}", already in ${d.file}; nothing was added`,
    hint: (_d, name) =>
      `the same date and the same title up to case, spacing and punctuation; add ${name('force')} if it really is another event`,
  }),
  'invalid-new-events': define<{
    file: string;
    items: { label: string; field: string; option?: string; message: string; hint?: string }[];
    /** The events came from flags: name them. */
    fromFlags?: boolean;
  }>({
    title: 'New events that do not pass the checks of the file',
    message: (d, name) =>
      `nothing was added to ${d.file}:\n${d.items
        .map((item) => {
          const flag = d.fromFlags && item.option ? ` (${name(item.option)})` : '';
          const where = item.field ? `${item.field}${flag}: ` : '';
          return `  ${item.label}  ${where}${item.message}${item.hint ? `\n    hint: ${item.hint.replace(/\n/g, '\n    ')}` : ''}`;
        })
        .join('\n')}`,
  }),

  // ---- problems in an events file (check) ----------------------------------------------------------
  'not-a-mapping': define<{ what: string }>({
    title: 'The top of the file is not a mapping',
    message: (d) => `the top of the file must be a mapping of keys, but it is ${d.what}`,
    hint: () =>
      'an events file starts like this:\ntitle: My timeline\nlocale: en\nevents:\n  - id: first-event\n    date: 2025-01-20\n    title: Something happened',
  }),
  'unknown-key': define<{ key: string; where: string; known: readonly string[]; suggestion?: string }>({
    title: 'A key the format does not have',
    message: (d) => `unknown key "${d.key}"${d.where}`,
    hint: (d) => joinHints(d.suggestion, `The keys here are: ${d.known.join(', ')}.`),
  }),
  missing: define<{ field: string; where: string; hint?: string }>({
    title: 'A required key is missing',
    message: (d) => `\`${d.field}\` is missing${d.where}`,
    hint: (d) => d.hint ?? `add \`${d.field}:\``,
  }),
  'wrong-type': define<{ field: string; expected: string; actual: string; hint?: string }>({
    title: 'A value of the wrong type',
    message: (d) => `${d.field} must be ${d.expected}, not ${d.actual}`,
    hint: (d) => d.hint,
  }),
  'invalid-value': define<{ field: string; value: string; allowed: readonly string[]; suggestion?: string }>({
    title: 'A value outside the allowed set',
    message: (d) => `${d.value} is not a valid ${d.field}`,
    hint: (d) => joinHints(d.suggestion, `${capitalize(d.field)} is one of: ${d.allowed.join(', ')}.`),
  }),
  'invalid-key': define<{ key: string; where: string }>({
    title: 'A key that is not a slug',
    message: (d) => `"${d.key}" is not a valid key${d.where}`,
    hint: () => SLUG_HINT,
  }),
  empty: define<{ field: string }>({
    title: 'An empty value',
    message: (d) => `${d.field} is empty`,
    hint: (d) => `give ${d.field} a value, or remove the line`,
  }),
  'too-long': define<{ field: string; length: number; limit: number }>({
    title: 'A text longer than its limit',
    message: (d) => `${d.field} is too long (${d.length.toLocaleString('en')} characters; at most ${d.limit.toLocaleString('en')})`,
    hint: () => 'shorten it: details belong in the sources',
  }),
  'too-many': define<{ field: string; count: number; limit: number }>({
    title: 'A list longer than its limit',
    message: (d) => `${d.field} has too many items (${d.count}; at most ${d.limit})`,
  }),
  'too-big': define<{ field: string }>({
    title: 'A value larger than its limit',
    message: (d) => `${d.field} is too big`,
  }),
  invalid: define<{ field: string; detail: string }>({
    title: 'A value the format does not accept',
    message: (d) => `${d.field}: ${d.detail}`,
  }),
  'invalid-date': define<{ value?: string; day?: boolean; message?: string; hint?: string }>({
    title: 'A date that does not exist or is not written as a date',
    message: (d) => d.message ?? `${d.value} is not a ${d.day ? 'day' : 'date'}`,
    hint: (d) => d.hint ?? (d.message ? undefined : d.day ? DAY_HINT : DATE_HINT),
  }),
  'invalid-id': define<{ value: string; field: string }>({
    title: 'An id or key that is not a slug',
    message: (d) => `${d.value} is not a valid ${d.field === 'id' ? 'id' : 'key'}`,
    hint: () => SLUG_HINT,
  }),
  'line-break': define<{ field: string }>({
    title: 'A line break in a one-line field',
    message: (d) => `${d.field} must be one line, but it contains a line break`,
    hint: () => 'remove the line break: this text becomes a heading, a feed title or a mail header',
  }),
  'invalid-address': define<{ value: string }>({
    title: 'A sender or reply address that is not exactly one mailbox',
    message: (d) => `${d.value} is not exactly one address`,
    hint: () => 'write one mailbox, e.g. "AI Timeline <news@example.org>"; a name with a comma goes in quotes',
  }),
  'forbidden-character': define<{ field: string; character: string; offset: number }>({
    title: 'A character that XML, feeds and mail cannot carry',
    message: (d) => `${d.field} contains the control character ${d.character} (at character ${d.offset + 1})`,
    hint: (d) =>
      `remove ${d.character}: it is invisible, and feeds (XML) cannot carry it; it usually comes from a copy-paste. Tabs and line breaks are fine`,
  }),
  'duplicate-id': define<{ id: string; first?: number }>({
    title: 'Two events with the same id',
    message: (d) => `the id "${d.id}" is already used by ${d.first === undefined ? 'another event' : `events[${d.first}]`}`,
    hint: () => 'ids must be unique: give this event another id',
  }),
  'missing-date': define<{ status: string }>({
    title: 'A past event without a date',
    message: (d) => `\`date\` is missing: a ${d.status} event needs a date`,
    hint: () => 'add date: YYYY-MM-DD (or YYYY-MM, YYYY); only announced, upcoming and rumored events may have no date yet',
  }),
  'unknown-event': define<{ id: string; suggestion?: string }>({
    title: 'A related id no event has',
    message: (d) => `no event has the id "${d.id}"`,
    hint: (d) => joinHints(d.suggestion, 'Related lists ids of other events in this file.'),
  }),
  'unknown-entity': define<{ key: string; hint: string }>({
    title: 'An entity key that is not in entities',
    message: (d) => `no entity has the key "${d.key}"`,
    hint: (d) => d.hint,
  }),
  'unknown-tag': define<{ key: string; hint: string }>({
    title: 'A tag that is not in tags',
    message: (d) => `no tag has the key "${d.key}"`,
    hint: (d) => d.hint,
  }),
  'source-without-origin': define({
    title: 'A source with neither url nor publisher',
    message: () => 'a source needs a url or a publisher',
    hint: () => 'add url: https://... or publisher: Name (both is best)',
  }),
  'image-not-https': define<{ src: string }>({
    title: 'A remote picture not served over https',
    message: (d) => `the picture "${d.src}" is not an https address`,
    hint: () => 'use its https:// address, or download it beside the events file and write its path (it is then copied into the site)',
  }),
  'image-type': define<{ src: string; extension: string }>({
    title: 'A picture of a type browsers and mail clients do not all show',
    message: (d) =>
      d.extension === 'svg'
        ? `the picture "${d.src}" is an SVG: mail clients do not show SVG`
        : `the picture "${d.src}" is not a JPEG, PNG, WebP or GIF file${d.extension ? ` (.${d.extension})` : ''}`,
    hint: () => 'use a .jpg, .png, .webp or .gif file (convert an SVG to PNG)',
  }),
  'image-missing': define<{ src: string; path: string }>({
    title: 'A picture file that is not there',
    message: (d) => `the picture "${d.src}" is not there (looked for ${d.path})`,
    hint: () => 'the path is relative to the events file: check the name and the folder',
  }),
  'image-unreadable': define<{ src: string; detail: string }>({
    title: 'A picture file whose bytes are not of its type',
    message: (d) => `the picture "${d.src}" ${d.detail}`,
    hint: () => 'use a JPEG, PNG, WebP or GIF file whose name ends as its type (.jpg, .png, .webp, .gif)',
  }),
  'unsafe-url': define<{ scheme: string }>({
    title: 'A link that is not http or https',
    message: (d) => `only http and https links are allowed, not "${d.scheme}:"`,
    hint: () => 'link to a web page: https://...',
  }),
  'relative-url': define<{ value: string }>({
    title: 'A link without a scheme and host',
    message: (d) => `"${d.value}" is not an absolute link`,
    hint: () => 'write the full address, starting with https://',
  }),
  'invalid-url': define<{ value: string }>({
    title: 'A link that does not parse',
    message: (d) => `"${d.value}" is not a valid link`,
    hint: () => 'write the full address, e.g. https://example.org/page',
  }),
  'too-deep': define<{ limit: number }>({
    title: 'Lists or mappings nested deeper than any events file needs',
    message: (d) => `lists and mappings are nested more than ${d.limit} levels deep here`,
    hint: () => 'an events file needs a few levels at most: check the brackets and the indentation',
  }),
  // ---- the newsletter's list: readers, suppressions, sending -------------------------------------
  'send-not-smtp-address': define<{ value: string }>({
    title: 'A send address that is not a URL',
    message: (d, name) => `${name('send')} ${q(d.value)} is not an SMTP address`,
    hint: (_d, name) => `e.g. ${name('send')} smtp://user:password@smtp.example.org:587`,
    usage: true,
  }),
  'send-not-smtp-scheme': define<{ value: string }>({
    title: 'A send address that is not smtp:// or smtps://',
    message: (_d, name) => `${name('send')} takes an smtp:// or smtps:// address`,
    hint: (_d, name) => `e.g. ${name('send')} smtp://user:password@smtp.example.org:587`,
    usage: true,
  }),
  'smtp-login-refused': define<{ server: string; reply: string }>({
    title: 'The SMTP server refused the login',
    message: (d) => `cannot send through ${d.server}: ${d.reply}`,
    hint: () =>
      'the server refused the login: check the user name and password in the SMTP address; nobody was marked sent, so run again once it is fixed',
  }),
  'smtp-unreachable': define<{ server: string; reply: string }>({
    title: 'The SMTP server could not be reached or stopped answering',
    message: (d) => `cannot send through ${d.server}: ${d.reply}`,
    hint: () =>
      'the server could not be reached or stopped answering; nobody who did not get the issue is marked sent, so run the same command again later',
  }),
  'send-log-damaged': define<{ file: string }>({
    title: 'A send log with a line that is not JSON',
    message: (d) => `the send log ${d.file} is damaged`,
    hint: () => 'fix or remove the broken line; every line is {"email": ...} for a reader who got the issue',
  }),
  'header-line-break': define<{ what?: string; option?: string }>({
    title: 'A mail header value with a line break',
    message: (d, name) => `${d.option ? name(d.option) : d.what} contains a line break, which would let it add mail headers`,
    hint: (d, name) => `remove the line break from ${d.option ? name(d.option) : d.what}`,
  }),
  'recipients-not-found': define<{ file: string }>({
    title: 'The list of readers does not exist',
    message: (d) => `cannot read ${d.file}: the file does not exist`,
    hint: () => 'the list is a CSV file with a header row, e.g.\nemail,name\nada@example.org,Ada Lovelace',
  }),
  'recipients-unreadable': define<{ file: string; reason: string }>({
    title: 'A list of readers that cannot be read',
    message: (d) => `cannot read ${d.file}: ${d.reason}`,
    hint: () => 'the list is a CSV file with a header row, e.g.\nemail,name\nada@example.org,Ada Lovelace',
  }),
  'recipients-not-csv': define<{ file: string; reason: string }>({
    title: 'A list of readers that is not CSV',
    message: (d) => `${d.file} is not a CSV file chronicle can read: ${d.reason}`,
    hint: () => 'nothing was written or sent; fix the line and run again',
  }),
  'recipients-no-email-column': define<{ file: string }>({
    title: 'A list of readers without an email column',
    message: (d) => `${d.file} has no "email" column`,
    hint: () => 'the first row names the columns, e.g.\nemail,name\nada@example.org,Ada Lovelace',
  }),
  'secret-missing': define<{ lead: string }>({
    title: 'Unsubscribe tokens without CHRONICLE_SECRET',
    message: (d) => `${d.lead} CHRONICLE_SECRET is not set`,
    hint: () => SECRET_HINT,
  }),
  'secret-too-short': define<{ bytes: number; min: number }>({
    title: 'A CHRONICLE_SECRET shorter than 32 bytes',
    message: (d) => `CHRONICLE_SECRET is ${d.bytes} byte${d.bytes === 1 ? '' : 's'} long; it must be at least ${d.min}`,
    hint: () => SECRET_HINT,
  }),
  'suppressions-unreadable': define<{ file: string; reason: string }>({
    title: 'A suppression list that cannot be read',
    message: (d) => `cannot read the suppression list ${d.file}: ${d.reason}`,
  }),
  'suppressions-not-csv': define<{ file: string; reason: string }>({
    title: 'A suppression list that is not CSV',
    message: (d) => `the suppression list ${d.file} is not a CSV file chronicle can read: ${d.reason}`,
    hint: () => 'every row is email,reason,date, e.g.\nemail,reason,date\nada@example.org,unsubscribed,2025-01-31',
  }),
  'unsubscribe-nothing': define({
    title: 'unsubscribe without a token or an address',
    message: () => 'name at least one token or address to unsubscribe',
    hint: (_d, name) => `e.g. chronicle unsubscribe ada@example.org, or ${name('from')} collected.txt`,
    usage: true,
  }),
  'token-needs-recipients': define({
    title: 'An unsubscribe token without the list of readers',
    message: (_d, name) => `a token needs ${name('recipients')}: the token is a signature of an address, found through the list`,
    hint: (_d, name) => `e.g. chronicle unsubscribe TOKEN ${name('recipients')} subscribers.csv`,
    usage: true,
  }),
  'newsletter-settings-unreadable': define<{ file: string }>({
    title: 'The newsletter settings cannot be read from the events file',
    message: (d) => `cannot read the newsletter settings from ${d.file}: run chronicle check ${d.file}`,
    hint: (_d, name) => `or name the suppression list with ${name('suppressions')} FILE`,
  }),
} as const;

export type ErrorCode = keyof typeof ERRORS;
export type ErrorData<C extends ErrorCode> = (typeof ERRORS)[C] extends ErrorEntry<infer D> ? D : never;

/** The library's way of naming an option: its key, in backquotes. */
export const optionKey: OptionName = (option) => `\`${option}\``;

/** The command line's way: `baseUrl` is `--base-url`. */
export const optionFlag: OptionName = (option) => `--${option.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;

export function renderMessage<C extends ErrorCode>(
  code: C,
  data: ErrorData<C>,
  name: OptionName = optionKey,
): { message: string; hint?: string; usage: boolean } {
  const entry = ERRORS[code] as ErrorEntry<ErrorData<C>>;
  const hint = entry.hint?.(data, name);
  return { message: entry.message(data, name), ...(hint ? { hint } : {}), usage: entry.usage === true };
}

function joinHints(...hints: (string | undefined)[]): string | undefined {
  const present = hints.filter((h): h is string => Boolean(h));
  return present.length > 0 ? present.join(' ') : undefined;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
