/**
 * Helpers for the specs of the pure core: reading the recordings in golden/, looking inside
 * Redacted boxes, and checking that a value is frozen all the way down.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

import { Redacted } from "../../lib/index.js";

export const GOLDEN = join(process.cwd(), "golden");
export const CLI_GOLDEN = join(GOLDEN, "codex-cli-0.169.0");
export const LEGACY_GOLDEN = join(GOLDEN, "legacy-parity-fixtures");

/** The JSON lines of a recording. */
export const readJsonLines = (file: string): unknown[] =>
  readFileSync(file, "utf8")
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l) => JSON.parse(l) as unknown);

/** Every recorded rollout, as `scenario/file` relative to the CLI recordings. */
export const rolloutFiles = (): string[] =>
  readdirSync(CLI_GOLDEN, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .flatMap((d) =>
      readdirSync(join(CLI_GOLDEN, d.name))
        .filter((f) => /^rollout.*\.jsonl$/.test(f))
        .map((f) => `${d.name}/${f}`),
    )
    .sort();

/** Every legacy parity fixture's file name. */
export const legacyFixtureFiles = (): string[] =>
  readdirSync(LEGACY_GOLDEN)
    .filter((f) => f.endsWith(".jsonl"))
    .sort();

/** The `thread.started` event of a legacy fixture, if it has one. */
export const legacyThreadStarted = (
  file: string,
): { thread_id: string; metadata?: unknown } | undefined =>
  readJsonLines(join(LEGACY_GOLDEN, file)).find(
    (e): e is { type: string; thread_id: string; metadata?: unknown } =>
      typeof e === "object" && e !== null && (e as { type?: unknown }).type === "thread.started",
  );

/** Every `continuation_token` the legacy fixtures carry. */
export const legacyContinuationTokens = (): string[] => {
  const tokens = new Set<string>();
  const visit = (u: unknown): void => {
    if (Array.isArray(u)) u.forEach(visit);
    else if (typeof u === "object" && u !== null)
      for (const [k, v] of Object.entries(u)) {
        if (k === "continuation_token" && typeof v === "string") tokens.add(v);
        else visit(v);
      }
  };
  for (const f of legacyFixtureFiles()) visit(readJsonLines(join(LEGACY_GOLDEN, f)));
  return [...tokens].sort();
};

/** `u` with every Redacted box replaced by `{ redacted: <its secret> }`, for comparisons. */
export const reveal = (u: unknown): unknown => {
  if (Redacted.is(u)) return { redacted: reveal(u.reveal()) };
  if (Array.isArray(u)) return u.map(reveal);
  if (typeof u === "object" && u !== null)
    return Object.fromEntries(Object.entries(u).map(([k, v]) => [k, reveal(v)]));
  return u;
};

/** The paths of the plain objects and arrays inside `u` that are not frozen. */
export const unfrozenPaths = (u: unknown, path = "$"): string[] => {
  if (typeof u !== "object" || u === null) return [];
  if (Redacted.is(u)) return Object.isFrozen(u) ? [] : [path];
  const own = Object.isFrozen(u) ? [] : [path];
  return [...own, ...Object.entries(u).flatMap(([k, v]) => unfrozenPaths(v, `${path}.${k}`))];
};
