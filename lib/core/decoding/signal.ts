/**
 * Telling a real AbortSignal from a look-alike. `instanceof` is not enough: an object made with
 * `Object.create(AbortSignal.prototype)`, a Proxy over a real signal, or a real signal with its
 * own `aborted` getter all pass it, and then throw (or lie) when the library reads them later.
 */
import { isProxy } from "node:util/types";

/** The platform's own `aborted` getter, which throws on anything but a real AbortSignal. */
const nativeAborted = Object.getOwnPropertyDescriptor(AbortSignal.prototype, "aborted")?.get;

/**
 * True when `u` is a real AbortSignal that answers only through the platform's own accessors:
 * not a Proxy (whose traps could answer the check one thing and a later read another), its
 * prototype `AbortSignal.prototype`, no own string-keyed properties (a real signal has none),
 * and the native `aborted` getter reads it. Never throws.
 */
export const isRealAbortSignal = (u: unknown): u is AbortSignal => {
  try {
    return (
      typeof u === "object" &&
      u !== null &&
      !isProxy(u) &&
      Object.getPrototypeOf(u) === AbortSignal.prototype &&
      Object.getOwnPropertyNames(u).length === 0 &&
      nativeAborted !== undefined &&
      typeof nativeAborted.call(u) === "boolean"
    );
  } catch {
    return false; // a Proxy whose traps throw, a revoked Proxy
  }
};
