/**
 * Calling a caller's callback (a telemetry sink, an error hook) so that nothing it does reaches
 * the caller: a synchronous throw is swallowed, and so is the rejection of a promise it returns
 * (an `async` sink), which would otherwise be an unhandled rejection and end the process.
 */

/** Calls `f(arg)`, swallowing a throw and a rejection of whatever thenable it returns. */
export const callQuietly = <A>(f: (arg: A) => unknown, arg: A): void => {
  try {
    const r = f(arg);
    if (typeof r === "object" && r !== null) {
      const then: unknown = Reflect.get(r, "then");
      if (typeof then === "function") Reflect.apply(then, r, [undefined, ignore]);
    }
  } catch {
    // A broken callback must not break its caller.
  }
};

const ignore = (): void => undefined;
