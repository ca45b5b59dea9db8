// The library API: what the commands use, typed, so scripts can do what the CLI does.

export { type CheckResult, checkTimeline } from './check-timeline.js';
export { runCli } from './cli.js';
export type { CommandIO } from './commands/io.js';
export { EXIT, type Problem, type Severity, UsageError, UserError } from './errors.js';
export { eventsLayout, renderEventBlock, spliceEvents } from './events/append.js';
export {
  compareEventDates,
  type DateFormats,
  type DatePoint,
  dateTimeAttribute,
  type EventDate,
  formatEventDate,
  type Precision,
  parseEventDate,
} from './events/dates.js';
export { type LoadOptions, type LoadResult, loadTimeline } from './events/load.js';

import { schemas } from './events/schema.js';

export type { NewsletterSettings, Source, Timeline, TimelineEvent } from './events/model.js';
export { type AdditionPlan, planAddition } from './events/plan-addition.js';
export { lintTimeline, RULES, type Rule } from './events/rules.js';
export {
  type Certainty,
  type Entity,
  type EventsFileInput,
  eventsJsonSchema,
  type Locale,
  type Status,
} from './events/schema.js';
export { type LoadedFile, loadEventsFile } from './io/load-events-file.js';
/** The zod schema of the events file (loads zod; the CLI does not, for a valid file). */
export const EventsFileSchema = schemas().EventsFileSchema;
export { readEventsFile } from './io/read-events-file.js';
export { type DeliveryReport, deliverIssue } from './newsletter/deliver.js';
export { normaliseAddress, type Recipient, readRecipients } from './newsletter/recipients.js';
export { buildIssueFiles, type IssueFiles, type NewsletterOptions } from './newsletter/site.js';
export { addSuppressions, readSuppressions, type Suppression } from './newsletter/suppressions.js';
export { type IssueWindow, issueWindow } from './newsletter/window.js';
export { formatProblems, type ReportOptions, summarizeProblems } from './report.js';
export { type Preview, startPreview } from './serve/preview.js';
export { buildSite, type Content, type IssueRequest, type Site, type SiteRequest } from './site/build-site.js';
export { createRenderer, type Renderer } from './site/renderer.js';
export { resolveSettings, type SettingFlags, type Settings } from './site/settings.js';
export { renderFeeds } from './timeline/feeds.js';
export { buildTimelineSite, type SiteOptions } from './timeline/site.js';
export { buildPageView, type PageView } from './timeline/view.js';
export { createUnsubscribeHandler, type FetchHandler, type UnsubscribeHandlerOptions } from './unsubscribe/handler.js';
export { toNodeListener } from './unsubscribe/node.js';
export { resolveUnsubscribeToken, unsubscribeToken } from './unsubscribe/token.js';
