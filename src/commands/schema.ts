// `chronicle schema`: the JSON Schema of the events file, for editors and other tools.
import { EXIT } from '../errors.js';
import { eventsJsonSchema } from '../events/schema.js';
import type { CommandIO } from './io.js';

export function renderEventsJsonSchema(): string {
  return `${JSON.stringify(eventsJsonSchema(), null, 2)}\n`;
}

export async function schema(_options: object, io: CommandIO): Promise<number> {
  io.stdout(renderEventsJsonSchema());
  return EXIT.ok;
}
