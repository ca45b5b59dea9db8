// Debian's Chromium as the benchmarks drive it: the same flags as the browser tests
// (tests/browser/chromium.ts), so no background request leaves this machine.
export const CHROMIUM_PATH = '/usr/bin/chromium';
export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
