// `node bench/peers/eleventy/build.js EVENTS.yaml SITE_DIR`: the Eleventy 3 peer. Copies the one
// Nunjucks template and the events file (as the js-yaml data file _data/events.yaml) into SITE_DIR
// and runs a full programmatic Eleventy build there (output in SITE_DIR/_site).
import { copyFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Eleventy from '@11ty/eleventy';
import { load } from 'js-yaml';

const [eventsFile, site] = process.argv.slice(2);
const here = dirname(fileURLToPath(import.meta.url));
mkdirSync(join(site, '_data'), { recursive: true });
copyFileSync(join(here, 'index.njk'), join(site, 'index.njk'));
copyFileSync(eventsFile, join(site, '_data', 'events.yaml'));
process.chdir(site);
const eleventy = new Eleventy('.', '_site', {
  quietMode: true,
  configPath: false,
  config(config) {
    config.addDataExtension('yaml', (contents) => load(contents));
    config.setTemplateFormats(['njk']);
  },
});
await eleventy.write();
