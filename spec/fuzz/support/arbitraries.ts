/**
 * Generators for the fuzz suite: nasty strings, byte- and structure-level mutations of valid
 * inputs, and the recorded inputs in golden/ to mutate. Every size is bounded (a synchronous
 * hang cannot be interrupted, so nothing generated is allowed to be huge).
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

import fc from "fast-check";

import type { Input } from "../../support/core-arbitraries.js";
import { CLI_GOLDEN, GOLDEN, LEGACY_GOLDEN } from "../../support/core-helpers.js";

/** A plain generated value as an {@link Input} (labelled, so counterexamples read well). */
export const value = (v: unknown): Input => ({ label: fc.stringify(v), make: () => v });

// ---------------------------------------------------------------------------------------------
// Strings
// ---------------------------------------------------------------------------------------------

/** Strings parsers and validators trip on. */
export const SPECIAL_STRINGS: readonly string[] = [
  "",
  " ",
  "\u0000",
  "\n",
  "\r\n",
  "\t",
  "\u007f",
  "\u0085",
  "\u00a0",
  "\u2028",
  "\ufeff",
  "\ud800",
  "\udc00",
  "\ud83d\ude00",
  "-",
  "--help",
  "..",
  "../..",
  "/",
  "\\",
  "__proto__",
  "constructor",
  "prototype",
  "toString",
  "null",
  "undefined",
  "NaN",
  "1e999",
  "-0",
  "{}",
  "[]",
  '{"type":"thread.started"}',
  "cfp",
  "cfp1.",
  "cfp1..",
  "cfp2.e30",
  "a".repeat(129),
  "a".repeat(4097),
  "é".repeat(300),
];

const CONTROL = fc.constantFrom(
  ..."\u0000\u0001\u0007\b\t\n\u000b\f\r\u001b\u001f\u007f\u0080\u009f\u2028\u2029\ufeff\ud800\udfff",
);

/** Any string: code points of every plane, graphemes, control characters, or a special one. */
export const nastyString: fc.Arbitrary<string> = fc.oneof(
  fc.string({ unit: "binary", maxLength: 40 }),
  fc.string({ unit: "grapheme", maxLength: 20 }),
  fc.string({ unit: fc.oneof(fc.constantFrom(...'abc-_.:/ {}[]"\\0129'), CONTROL), maxLength: 30 }),
  fc.string({ maxLength: 40 }),
  fc.constantFrom(...SPECIAL_STRINGS),
);

// ---------------------------------------------------------------------------------------------
// Byte- and character-level mutations
// ---------------------------------------------------------------------------------------------

/** One edit of a string. Positions are taken modulo the length at the time. */
export type Edit =
  | { readonly kind: "insert"; readonly at: number; readonly text: string }
  | { readonly kind: "delete"; readonly at: number; readonly count: number }
  | { readonly kind: "replace"; readonly at: number; readonly text: string }
  | { readonly kind: "flip"; readonly at: number; readonly bit: number }
  | { readonly kind: "byteFlip"; readonly at: number; readonly bit: number }
  | { readonly kind: "truncate"; readonly at: number }
  | { readonly kind: "duplicate"; readonly at: number; readonly count: number };

const position = fc.nat({ max: 1_000_000 });

/** An edit. */
export const edit: fc.Arbitrary<Edit> = fc.oneof(
  fc.record({ kind: fc.constant("insert" as const), at: position, text: nastyString }),
  fc.record({
    kind: fc.constant("delete" as const),
    at: position,
    count: fc.integer({ min: 1, max: 8 }),
  }),
  fc.record({ kind: fc.constant("replace" as const), at: position, text: nastyString }),
  fc.record({ kind: fc.constant("flip" as const), at: position, bit: fc.nat({ max: 15 }) }),
  fc.record({ kind: fc.constant("byteFlip" as const), at: position, bit: fc.nat({ max: 7 }) }),
  fc.record({ kind: fc.constant("truncate" as const), at: position }),
  fc.record({
    kind: fc.constant("duplicate" as const),
    at: position,
    count: fc.integer({ min: 1, max: 40 }),
  }),
);

/** `s` with one edit applied. */
export const applyEdit = (s: string, e: Edit): string => {
  const n = s.length;
  const at = n === 0 ? 0 : e.at % (n + 1);
  switch (e.kind) {
    case "insert":
      return s.slice(0, at) + e.text + s.slice(at);
    case "delete":
      return s.slice(0, at) + s.slice(at + e.count);
    case "replace":
      return s.slice(0, at) + e.text + s.slice(at + Math.max(1, e.text.length));
    case "flip": {
      if (n === 0) return s;
      const i = e.at % n;
      return s.slice(0, i) + String.fromCharCode(s.charCodeAt(i) ^ (1 << e.bit)) + s.slice(i + 1);
    }
    case "byteFlip": {
      // On the UTF-8 bytes: the result may not be valid UTF-8 (decoded with U+FFFD).
      const bytes = Buffer.from(s, "utf8");
      if (bytes.length === 0) return s;
      const i = e.at % bytes.length;
      bytes[i] = (bytes[i] ?? 0) ^ (1 << e.bit);
      return bytes.toString("utf8");
    }
    case "truncate":
      return s.slice(0, at);
    case "duplicate":
      return s.slice(0, at + e.count) + s.slice(at);
  }
};

/** Up to `max` edits. */
export const edits = (max = 4): fc.Arbitrary<Edit[]> =>
  fc.array(edit, { minLength: 1, maxLength: max });

/** Mutations of one of `bases`: 1 to `max` edits of a base chosen at random. */
export const mutatedString = (bases: readonly string[], max = 4): fc.Arbitrary<string> =>
  fc
    .tuple(fc.nat({ max: bases.length - 1 }), edits(max))
    .map(([i, es]) => es.reduce(applyEdit, bases[i] ?? ""));

// ---------------------------------------------------------------------------------------------
// Structure-level mutations of JSON values
// ---------------------------------------------------------------------------------------------

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/**
 * Strings that become special JSON text once stringified (see {@link jsonText}): numbers that
 * JSON.parse reads as Infinity, -0, or beyond the safe integers.
 */
const INFINITY = "\u0000INF\u0000";
const NEG_ZERO = "\u0000NEG0\u0000";
const HUGE = "\u0000HUGE\u0000";

/** JSON text of `u`, with the markers above written as the number literals they stand for. */
export const jsonText = (u: unknown): string =>
  (JSON.stringify(u) ?? "null")
    .split(JSON.stringify(INFINITY))
    .join("1e999")
    .split(JSON.stringify(NEG_ZERO))
    .join("-0")
    .split(JSON.stringify(HUGE))
    .join("123456789012345678901234567890");

/** A replacement value: any JSON, or one a validator should look at twice. */
export const jsonLeaf: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: fc.jsonValue({ maxDepth: 2 }) },
  {
    weight: 3,
    arbitrary: fc.constantFrom<unknown>(
      null,
      true,
      false,
      0,
      -1,
      1.5,
      2 ** 53,
      Number.MAX_VALUE,
      INFINITY,
      NEG_ZERO,
      HUGE,
      "",
      [],
      {},
      { type: "unknown" },
      "a".repeat(5000),
    ),
  },
  { weight: 2, arbitrary: nastyString },
);

/** One structural mutation, at the `at`-th node (in document order, modulo the node count). */
export type JsonOp =
  | { readonly kind: "set"; readonly at: number; readonly value: unknown }
  | { readonly kind: "delete"; readonly at: number }
  | { readonly kind: "add"; readonly at: number; readonly key: string; readonly value: unknown }
  | { readonly kind: "wrap"; readonly at: number }
  | { readonly kind: "swap"; readonly at: number; readonly other: number };

/** A structural mutation; `keys` are the keys worth adding (the codecs' own, mostly). */
export const jsonOp = (keys: readonly string[]): fc.Arbitrary<JsonOp> =>
  fc.oneof(
    {
      weight: 4,
      arbitrary: fc.record({ kind: fc.constant("set" as const), at: position, value: jsonLeaf }),
    },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant("delete" as const), at: position }) },
    {
      weight: 2,
      arbitrary: fc.record({
        kind: fc.constant("add" as const),
        at: position,
        key: fc.oneof(fc.constantFrom(...keys), nastyString),
        value: jsonLeaf,
      }),
    },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant("wrap" as const), at: position }) },
    {
      weight: 1,
      arbitrary: fc.record({ kind: fc.constant("swap" as const), at: position, other: position }),
    },
  );

type Slot = { readonly parent: Json[] | { [k: string]: Json }; readonly key: string | number };

/** Every slot (a property or an element) of `root`, in document order. */
const slots = (root: Json): Slot[] => {
  const out: Slot[] = [];
  const walk = (u: Json): void => {
    if (Array.isArray(u)) u.forEach((v, i) => (out.push({ parent: u, key: i }), walk(v)));
    else if (typeof u === "object" && u !== null)
      for (const k of Object.keys(u)) {
        out.push({ parent: u, key: k });
        walk(u[k] as Json);
      }
  };
  walk(root);
  return out;
};

const getSlot = (s: Slot): Json =>
  Array.isArray(s.parent)
    ? (s.parent[s.key as number] as Json)
    : (s.parent[s.key as string] as Json);
const setSlot = (s: Slot, v: Json): void => {
  if (Array.isArray(s.parent)) s.parent[s.key as number] = v;
  else
    Object.defineProperty(s.parent, s.key, {
      value: v,
      enumerable: true,
      writable: true,
      configurable: true,
    });
};

/** A deep copy of `base` with `ops` applied (the base is left untouched). */
export const applyJsonOps = (base: unknown, ops: readonly JsonOp[]): unknown => {
  const copy = (u: unknown): Json => JSON.parse(JSON.stringify(u) ?? "null") as Json;
  const root = { root: copy(base) };
  for (const op of ops) {
    const all = slots(root);
    const s = all[op.at % all.length];
    if (s === undefined) continue;
    switch (op.kind) {
      case "set":
        // (Values are copied: fc.constantFrom hands out the same `{}` and `[]` every time.)
        setSlot(s, copy(op.value));
        break;
      case "delete":
        if (Array.isArray(s.parent)) s.parent.splice(s.key as number, 1);
        else if (s.parent !== root) delete s.parent[s.key as string];
        break;
      case "add": {
        const v = getSlot(s);
        if (Array.isArray(v)) v.push(copy(op.value));
        else if (typeof v === "object" && v !== null)
          setSlot({ parent: v, key: op.key }, copy(op.value));
        else if (typeof s.parent === "object" && !Array.isArray(s.parent))
          setSlot({ parent: s.parent, key: op.key }, copy(op.value));
        break;
      }
      case "wrap":
        setSlot(s, [getSlot(s)]);
        break;
      case "swap": {
        const t = all[op.other % all.length];
        if (t === undefined) break;
        const a = getSlot(s);
        const b = getSlot(t);
        // Swapping a node with one inside it would make a cycle: copy instead.
        setSlot(s, copy(b));
        setSlot(t, copy(a));
        break;
      }
    }
  }
  return root.root;
};

/** Structural mutations (1 to `max`) of one of `bases`, as values. */
export const mutatedJson = (
  bases: readonly unknown[],
  keys: readonly string[],
  max = 3,
): fc.Arbitrary<unknown> =>
  fc
    .tuple(
      fc.nat({ max: bases.length - 1 }),
      fc.array(jsonOp(keys), { minLength: 1, maxLength: max }),
    )
    .map(([i, ops]) => applyJsonOps(bases[i], ops));

/** Structural mutations of one of `bases`, as JSON text (with Infinity, -0 and huge numbers). */
export const mutatedJsonText = (
  bases: readonly unknown[],
  keys: readonly string[],
  max = 3,
): fc.Arbitrary<string> => mutatedJson(bases, keys, max).map(jsonText);

/** Mutations of JSON text: structural, then (sometimes) a few character edits on top. */
export const mutatedJsonLike = (
  bases: readonly unknown[],
  keys: readonly string[],
): fc.Arbitrary<string> =>
  fc.oneof(
    mutatedJsonText(bases, keys),
    fc
      .tuple(mutatedJsonText(bases, keys, 2), fc.array(edit, { maxLength: 2 }))
      .map(([s, es]) => es.reduce(applyEdit, s)),
    mutatedString(bases.map((b) => JSON.stringify(b))),
  );

// ---------------------------------------------------------------------------------------------
// Recorded inputs (golden/)
// ---------------------------------------------------------------------------------------------

const lines = (file: string): string[] =>
  readFileSync(file, "utf8")
    .split("\n")
    .filter((l) => l.trim() !== "");

/** Every recorded event transcript: the CLI's and the legacy parity fixtures. */
export const goldenTranscripts = (): { name: string; lines: string[] }[] => {
  const cli = readdirSync(CLI_GOLDEN, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .flatMap((d) =>
      readdirSync(join(CLI_GOLDEN, d.name))
        .filter((f) => /^turn\d+\.jsonl$/.test(f))
        .map((f) => ({ name: `${d.name}/${f}`, lines: lines(join(CLI_GOLDEN, d.name, f)) })),
    );
  const legacy = readdirSync(LEGACY_GOLDEN)
    .filter((f) => f.endsWith(".jsonl"))
    .map((f) => ({ name: `legacy/${f}`, lines: lines(join(LEGACY_GOLDEN, f)) }));
  return [...cli, ...legacy].sort((a, b) => a.name.localeCompare(b.name));
};

/** Every recorded app-server line (JSON-RPC, not events: hostile input for the event decoder). */
export const goldenAppServerLines = (): string[] =>
  readdirSync(join(GOLDEN, "app-server-0.169.0"))
    .filter((f) => f.endsWith(".jsonl"))
    .flatMap((f) => lines(join(GOLDEN, "app-server-0.169.0", f)));

/** Every recorded rollout, whole (text, with its final newline). */
export const goldenRollouts = (): { name: string; text: string }[] =>
  readdirSync(CLI_GOLDEN, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .flatMap((d) =>
      readdirSync(join(CLI_GOLDEN, d.name))
        .filter((f) => /^rollout.*\.jsonl$/.test(f))
        .map((f) => ({
          name: `${d.name}/${f}`,
          text: readFileSync(join(CLI_GOLDEN, d.name, f), "utf8"),
        })),
    )
    .sort((a, b) => a.name.localeCompare(b.name));

/** Keys the event, item and rollout codecs read: worth adding where they do not belong. */
export const CODEC_KEYS: readonly string[] = [
  "type",
  "thread_id",
  "turn_id",
  "item",
  "id",
  "text",
  "usage",
  "input_tokens",
  "output_tokens",
  "cached_input_tokens",
  "error",
  "message",
  "status",
  "metadata",
  "labels",
  "continuation_token",
  "final_response",
  "will_retry",
  "command",
  "exit_code",
  "changes",
  "items",
  "payload",
  "ordinal",
  "timestamp",
  "root_turn_id",
  "info",
  "total_token_usage",
  "last_token_usage",
  "turn_token_usage",
  "num_turns",
  "last_agent_message",
  "session_meta",
  "cli_version",
  "git",
  "__proto__",
];
