/**
 * Turn: what one completed turn produced — items, the final response, usage (the turn's own
 * and the thread's cumulative figure), and the turn id when known.
 */
import * as t from "io-ts";
import { ThreadItem } from "./items.js";
import { Usage } from "./usage.js";

/** Codec of a completed turn. */
export const Turn = t.intersection([
  t.type({
    /** Completed items in completion order; an item completed twice keeps its latest state. */
    items: t.array(ThreadItem),
    /** The last agent message ("" when there was none). */
    finalResponse: t.string,
    /** This turn's own usage. */
    usage: Usage,
    /** The thread's usage so far, as the CLI reports it after this turn. */
    cumulativeUsage: Usage,
    turnId: t.union([t.string, t.null]),
    /** "completed", or a legacy producer's status such as "pending" or "early_exit". */
    status: t.string,
    /** Non-fatal error notices (retries announced with `Reconnecting… n/5`). */
    notices: t.array(t.string),
    /** Event types this release did not know (also reported through telemetry). */
    unknownEventTypes: t.array(t.string),
  }),
  t.partial({
    /** The final response parsed as JSON, when the turn had an output schema. */
    structuredOutput: t.unknown,
  }),
]);
/** A completed turn. */
export type Turn = t.TypeOf<typeof Turn>;
