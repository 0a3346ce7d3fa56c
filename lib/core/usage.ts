/**
 * Usage: token counts. The CLI reports a resumed thread's usage cumulatively, so a turn's own
 * usage is the difference from the previous cumulative figure, which the Thread carries.
 */
import * as t from "io-ts";
import type { UsageWire } from "./events.js";
import { TokenCount, addTokenCounts } from "./token-count.js";

/** Codec of token usage (every field a count of tokens), as the CLI reports it. */
export const Usage = t.type({
  input_tokens: TokenCount,
  cached_input_tokens: TokenCount,
  cache_write_input_tokens: TokenCount,
  output_tokens: TokenCount,
  reasoning_output_tokens: TokenCount,
});
/** Token usage. */
export type Usage = t.TypeOf<typeof Usage>;

/** Usage with every count zero. */
export const zeroUsage: Usage = {
  input_tokens: 0,
  cached_input_tokens: 0,
  cache_write_input_tokens: 0,
  output_tokens: 0,
  reasoning_output_tokens: 0,
};

/** The counts a Usage holds, in order. */
export const USAGE_KEYS = [
  "input_tokens",
  "cached_input_tokens",
  "cache_write_input_tokens",
  "output_tokens",
  "reasoning_output_tokens",
] as const satisfies readonly (keyof Usage)[];

/** `a + b`, field by field (each sum a token count, see `addTokenCounts`). */
export const addUsage = (a: Usage, b: Usage): Usage => ({
  input_tokens: addTokenCounts(a.input_tokens, b.input_tokens),
  cached_input_tokens: addTokenCounts(a.cached_input_tokens, b.cached_input_tokens),
  cache_write_input_tokens: addTokenCounts(a.cache_write_input_tokens, b.cache_write_input_tokens),
  output_tokens: addTokenCounts(a.output_tokens, b.output_tokens),
  reasoning_output_tokens: addTokenCounts(a.reasoning_output_tokens, b.reasoning_output_tokens),
});

/** `a - b`, field by field, never below zero. */
export const subtractUsage = (a: Usage, b: Usage): Usage => ({
  input_tokens: Math.max(0, a.input_tokens - b.input_tokens),
  cached_input_tokens: Math.max(0, a.cached_input_tokens - b.cached_input_tokens),
  cache_write_input_tokens: Math.max(0, a.cache_write_input_tokens - b.cache_write_input_tokens),
  output_tokens: Math.max(0, a.output_tokens - b.output_tokens),
  reasoning_output_tokens: Math.max(0, a.reasoning_output_tokens - b.reasoning_output_tokens),
});

/** Usage as printed or written by the CLI (older releases omit some counts: they are 0). */
export const usageFromWire = (u: UsageWire): Usage => ({
  input_tokens: u.input_tokens,
  cached_input_tokens: u.cached_input_tokens ?? 0,
  cache_write_input_tokens: u.cache_write_input_tokens ?? 0,
  output_tokens: u.output_tokens,
  reasoning_output_tokens: u.reasoning_output_tokens ?? 0,
});

const atLeast = (a: Usage, b: Usage): boolean => USAGE_KEYS.every((k) => a[k] >= b[k]);

/**
 * The turn's own usage and the thread's cumulative usage. The CLI reports usage cumulatively
 * over a resumed thread; a producer whose figures go down (the legacy one) reports per turn.
 */
export const splitUsage = (
  reported: Usage,
  previous: Usage | null,
): { usage: Usage; cumulativeUsage: Usage } => {
  if (previous === null) return { usage: reported, cumulativeUsage: reported };
  if (atLeast(reported, previous))
    return { usage: subtractUsage(reported, previous), cumulativeUsage: reported };
  return { usage: reported, cumulativeUsage: addUsage(reported, previous) };
};
