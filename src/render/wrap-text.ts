// Plain text wrapped for a terminal or a mail's text part (the `wrap` template helper).

/** Words wrapped at 78 columns for a terminal, each line after the first indented by `indent`
 * (the caller puts as much before the first line: `* ` or two spaces). */
export function wrapText(text: string, indent = '', width = 78): string {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line !== '' && `${indent}${line} ${word}`.length > width) {
      lines.push(line);
      line = word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  if (line) lines.push(line);
  return lines.map((l, i) => (i === 0 ? l : indent + l)).join('\n');
}
