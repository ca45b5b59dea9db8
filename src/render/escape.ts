// Text into HTML (or into formats read as HTML: Atom's type="html", TimelineJS): every character
// that could open markup or end an attribute becomes a numeric reference.
export function escapeHtml(text: string): string {
  // Most text has none of them: testing first skips building a copy (every title of every feed).
  return SPECIAL.test(text) ? text.replace(SPECIALS, (c) => `&#${c.charCodeAt(0)};`) : text;
}

const SPECIAL = /[&<>"']/;
const SPECIALS = /[&<>"']/g;
