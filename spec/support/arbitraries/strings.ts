/**
 * Strings for the fuzz suite: special strings parsers trip on, any string, and byte- and
 * character-level edits of valid ones.
 */
import fc from "fast-check";

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

/** A position in a string or a JSON document (taken modulo its size). */
export const position = fc.nat({ max: 1_000_000 });

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
