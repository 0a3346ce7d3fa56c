/**
 * Structure-level mutations of JSON values (and JSON text with Infinity, -0, huge numbers).
 */
import fc from "fast-check";
import { applyEdit, edit, mutatedString, nastyString, position } from "./strings.js";

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
