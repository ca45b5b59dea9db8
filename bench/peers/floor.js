// The bare-script floor: `node bench/peers/floor.js EVENTS.yaml OUT.html`, js-yaml + one Handlebars
// render + write, nothing else (no validation, no feeds). What any tool must at least pay.
import { readFileSync, writeFileSync } from 'node:fs';
import Handlebars from 'handlebars';
import { load } from 'js-yaml';

const [eventsFile, out] = process.argv.slice(2);
const data = load(readFileSync(eventsFile, 'utf8'));
const page = Handlebars.compile(`<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{{title}}</title></head>
<body><h1>{{title}}</h1><ol>
{{#each events}}<li><article id="event-{{id}}"><h2>{{title}}</h2><p class="date">{{date}}</p>{{#if summary}}<p>{{summary}}</p>{{/if}}{{#if tags}}<ul class="tags">{{#each tags}}<li>{{this}}</li>{{/each}}</ul>{{/if}}{{#if sources}}<ul class="sources">{{#each sources}}<li>{{#if url}}<a href="{{url}}">{{#if title}}{{title}}{{else}}{{url}}{{/if}}</a>{{else}}{{title}}{{/if}}{{#if publisher}}, {{publisher}}{{/if}}</li>{{/each}}</ul>{{/if}}</article></li>
{{/each}}</ol></body></html>
`);
writeFileSync(out, page(data));
