/**
 * A box for secrets (API keys, environment variables): the value is kept in a private field,
 * so `JSON.stringify`, `util.inspect`, template strings and structured logs all see
 * `[redacted]`. Only `reveal` reads it, and only the argv/env builder calls that.
 */
export class Redacted<A> {
  readonly #value: A;
  private constructor(value: A) {
    this.#value = value;
    Object.freeze(this);
  }
  /** Wraps a secret value. */
  static of<A>(value: A): Redacted<A> {
    return new Redacted(value);
  }
  /** True when `u` is a Redacted box. */
  static is(u: unknown): u is Redacted<unknown> {
    try {
      return u instanceof Redacted;
    } catch {
      return false; // a proxy whose prototype cannot be read is not a box
    }
  }
  /** The secret itself. Call it only where the value leaves the process (child env). */
  reveal(): A {
    return this.#value;
  }
  /** What JSON.stringify writes. */
  toJSON(): string {
    return "[redacted]";
  }
  /** What string conversion writes. */
  toString(): string {
    return "[redacted]";
  }
  /** What util.inspect (and so logging and jest diffs) writes. */
  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return "[redacted]";
  }
}
