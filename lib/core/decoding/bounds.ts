/**
 * The default input limits (see `InputLimits` in core/limits.ts), kept apart from the codec so
 * the decoding helpers can use them without an import cycle.
 */
import type { ResolvedInputLimits } from "../limits.js";

/** The default bounds: 100,000 elements or keys, 64 MiB strings, depth 64, 1,000,000 values. */
export const DEFAULT_INPUT_LIMITS: ResolvedInputLimits = Object.freeze({
  maxArrayLength: 100_000,
  maxStringLength: 64 * 1024 * 1024,
  maxKeys: 100_000,
  maxDepth: 64,
  maxValues: 1_000_000,
});

/** No bounds at all (for values the library wrote itself, such as an archive's bytes). */
export const NO_INPUT_LIMITS: ResolvedInputLimits = Object.freeze({
  maxArrayLength: Infinity,
  maxStringLength: Infinity,
  maxKeys: Infinity,
  maxDepth: Infinity,
  maxValues: Infinity,
});
