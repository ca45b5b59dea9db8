// `{name}` placeholders in locale labels: "Claim by {claimant}, not independently verified".
export function fillLabel(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (all, key: string) => (key in values ? String(values[key]) : all));
}
