// Debian's Chromium as the benchmarks and the browser tests (tests/browser/chromium.ts) drive it:
// one list of flags, so no background request leaves this machine.
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
