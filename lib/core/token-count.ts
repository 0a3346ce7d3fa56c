/**
 * A count of tokens: a whole number from 0 to Number.MAX_SAFE_INTEGER. A usage figure the JSON
 * parser read as Infinity (`1e400`), a negative or a fractional one is refused when it is
 * decoded, so every usage a Thread holds serializes and reads back as it is.
 */
import * as t from "io-ts";
import { describe } from "./decoding/decode.js";

const isTokenCount = (u: unknown): u is number =>
  typeof u === "number" && Number.isSafeInteger(u) && u >= 0;

/** Codec of a count of tokens (a non-negative safe integer). */
export const TokenCount = new t.Type<number, number, unknown>(
  "TokenCount",
  isTokenCount,
  (u, c) =>
    isTokenCount(u)
      ? t.success(u)
      : t.failure(
          u,
          c,
          `expected a count of tokens (a whole number from 0 to 2**53-1), got ${describe(u)}`,
        ),
  (a) => a,
);

/** `a + b`, held at Number.MAX_SAFE_INTEGER (a sum of counts stays a count). */
export const addTokenCounts = (a: number, b: number): number =>
  Math.min(Number.MAX_SAFE_INTEGER, a + b);
