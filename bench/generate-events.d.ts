export interface GenerateOptions {
  events: number;
  seed?: number;
  indent?: number;
  eol?: string;
  asOf?: string;
}
/** The text of a valid events file of `events` events (see generate-events.js). */
export function generateEventsFile(options: GenerateOptions): string;
