export interface GenerateOptions {
  events: number;
  seed?: number;
  indent?: number;
  eol?: string;
  asOf?: string;
}
/** The text of a valid events file of `events` events (see generate-events.js). */
export function generateEventsFile(options: GenerateOptions): string;
/** A file whose `count` events all fall in January 2030 (one headline in ten). */
export function generateMonthFile(count: number): string;
/** A subscribers CSV of `count` rows (email, name, company). */
export function generateSubscribers(count: number): string;
