/**
 * The one way specs run a fast-check property: like `fc.assert`, but the run must have checked
 * the cases it asked for. fast-check does not count a case that `fc.pre` skipped, so a property
 * whose precondition filters every case (or a run cut short by a time limit) fails here instead
 * of passing without checking anything. `fc.assert` is refused in spec/ by lint.
 */
import fc from "fast-check";

/** fast-check's parameters, with the number of cases made explicit. */
export type CountedParameters<Ts> = fc.Parameters<Ts> & { readonly numRuns: number };

/** Checks a finished run: a failure or a short count throws, for jest to report. */
const counted = <Ts>(details: fc.RunDetails<Ts>, wanted: number): void => {
  if (details.failed) {
    const cause = details.errorInstance;
    const why = cause instanceof Error ? (cause.stack ?? cause.message) : String(cause);
    const report = fc.defaultReportMessage(details) ?? "the property failed";
    throw new Error(report.includes(why) ? report : `${report}\n\nGot error: ${why}`, { cause }); // throws-ok jest reports it
  }
  if (details.numRuns < wanted)
    throw new Error(
      `the property checked ${details.numRuns} of ${wanted} cases ` +
        `(${details.numSkips} skipped by fc.pre${details.interrupted ? ", interrupted" : ""})`,
    ); // throws-ok jest reports it
};

/**
 * Runs `property` on `params.numRuns` cases; fails like `fc.assert` on a counterexample, and
 * fails when fewer cases than that were actually checked.
 */
export function assertProperty<Ts>(property: fc.IProperty<Ts>, params: CountedParameters<Ts>): void;
export function assertProperty<Ts>(
  property: fc.IAsyncProperty<Ts>,
  params: CountedParameters<Ts>,
): Promise<void>;
export function assertProperty<Ts>(
  property: fc.IProperty<Ts> | fc.IAsyncProperty<Ts>,
  params: CountedParameters<Ts>,
): void | Promise<void> {
  if (property.isAsync())
    return fc
      .check(property as fc.IAsyncProperty<Ts>, params)
      .then((d) => counted(d, params.numRuns));
  return counted(fc.check(property as fc.IProperty<Ts>, params), params.numRuns);
}
