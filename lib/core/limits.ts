/**
 * Input limits: how large a caller's value may be before it is read. Every entry point that
 * decodes a caller's value (startThread, resumeThread, withThreadOptions, deserializeThread,
 * runTurn …) checks these bounds while it takes its one-read copy, before anything is iterated:
 * an array is refused on its `length` alone, so a sparse array of length 2**32-1 costs nothing.
 * A value over a bound is the entry point's usual decoding error (`InvalidOptions`,
 * `InvalidSerializedThread` …) with an issue at the value's path naming the limit.
 */
import * as t from "io-ts";
import { ok, type Result } from "neverthrow";
import { closed } from "./decoding/decode.js";
import { parseWith, type DecodingError } from "./errors/index.js";
import { DEFAULT_INPUT_LIMITS } from "./decoding/bounds.js";

export { DEFAULT_INPUT_LIMITS };

/** A positive whole number, or Infinity (no bound). */
const Bound = new t.Type<number, number, unknown>(
  "Bound",
  (u): u is number => typeof u === "number" && u > 0 && (Number.isSafeInteger(u) || u === Infinity),
  (u, c) =>
    typeof u === "number" && u > 0 && (Number.isSafeInteger(u) || u === Infinity)
      ? t.success(u)
      : t.failure(u, c, "expected a positive whole number (or Infinity)"),
  (a) => a,
);

/** Codec of the limits a caller may set; each one left out keeps its default. */
export const InputLimits = closed(
  "InputLimits",
  {},
  {
    /** The longest array, checked on its `length` before it is read (default 100,000). */
    maxArrayLength: Bound,
    /** The longest string, in UTF-16 code units (default 64 MiB). */
    maxStringLength: Bound,
    /** The most own keys of one object (default 100,000). */
    maxKeys: Bound,
    /** The deepest nesting of objects and arrays (default 64). */
    maxDepth: Bound,
    /** The most values (objects, arrays and leaves) in one argument (default 1,000,000). */
    maxValues: Bound,
  },
);
/** Input limits as a caller gives them: some or all of the bounds. */
export type InputLimits = t.TypeOf<typeof InputLimits>;
/** Every bound, resolved. */
export type ResolvedInputLimits = Readonly<Required<InputLimits>>;

/**
 * The limits to use: the defaults with the caller's `limits` laid over them. `undefined` is the
 * defaults; anything else that is not valid limits is an `InvalidOptions` error at `path`.
 */
export const resolveInputLimits = (
  limits: unknown,
  path: string,
): Result<ResolvedInputLimits, DecodingError<"InvalidOptions" | "InvalidApiKey">> => {
  if (limits === undefined) return ok(DEFAULT_INPUT_LIMITS);
  return parseWith(InputLimits, limits, path, "InvalidOptions", "invalid limits").map((given) =>
    Object.freeze({ ...DEFAULT_INPUT_LIMITS, ...given }),
  );
};
