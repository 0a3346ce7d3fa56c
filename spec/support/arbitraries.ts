/**
 * The one module of fast-check generators for the specs: valid options and threads, hostile
 * values (throwing proxies and getters, cycles, BigInt, symbols) for the "never throws"
 * properties, and, for the fuzz suite, nasty strings, byte- and structure-level mutations of
 * valid inputs and the recorded inputs in golden/ to mutate. Every size is bounded (a
 * synchronous hang cannot be interrupted, so nothing generated is allowed to be huge).
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

import fc from "fast-check";

import {
  Redacted,
  type CodexOptionsInput,
  type ThreadOptionsInput,
  type ThreadSecrets,
} from "../../lib/index.js";
import type { ConfigValue } from "../../lib/core/config-value.js";
import { isSecretPath } from "../../lib/core/secrets.js";
import { CLI_GOLDEN, GOLDEN, LEGACY_GOLDEN } from "./core-helpers.js";

// ---------------------------------------------------------------------------------------------
// Hostile values
// ---------------------------------------------------------------------------------------------

const boom = (): never => {
  throw new Error("hostile");
};

/** A proxy every trap of which throws. */
export const throwingProxy = (): object =>
  new Proxy(
    {},
    {
      get: boom,
      has: boom,
      ownKeys: boom,
      getOwnPropertyDescriptor: boom,
      getPrototypeOf: boom,
      set: boom,
      defineProperty: boom,
      deleteProperty: boom,
      preventExtensions: boom,
      isExtensible: boom,
    },
  );

/** A proxy that has been revoked: touching it in any way throws. */
export const revokedProxy = (): object => {
  const { proxy, revoke } = Proxy.revocable({}, {});
  revoke();
  return proxy;
};

/** An array proxy whose elements throw when read. */
export const throwingArray = (): unknown[] => new Proxy(["a", "b"], { get: boom });

/** A plain object with an enumerable getter under `key` that throws. */
export const throwingGetter = (key: string): object =>
  Object.defineProperty({}, key, { get: boom, enumerable: true });

/** An object that contains itself. */
export const cyclic = (): object => {
  const o: Record<string, unknown> = { a: 1 };
  o["self"] = o;
  return o;
};

/** An object whose conversions to primitives and JSON throw. */
export const throwingConversions = (): object => ({
  [Symbol.toPrimitive]: boom,
  toString: boom,
  valueOf: boom,
  toJSON: boom,
});

/** Keys our decoders look up: a getter on one of them is read while decoding. */
export const KNOWN_KEYS = [
  "codexPathOverride",
  "baseUrl",
  "apiKey",
  "config",
  "configOverrides",
  "env",
  "model",
  "threadSource",
  "sandboxMode",
  "workingDirectory",
  "skipGitRepoCheck",
  "modelReasoningEffort",
  "networkAccessEnabled",
  "webSearchMode",
  "webSearchEnabled",
  "approvalPolicy",
  "additionalDirectories",
  "ephemeral",
  "labels",
  "outputSchema",
  "timeoutMs",
  "signal",
  "cyberAccessProgram",
  "continuationToken",
  "metadata",
  "threadId",
  "lastTurnId",
  "completedTurns",
  "forked",
  "codexOptions",
  "threadOptions",
  "cumulativeUsage",
  "format",
  "type",
  "payload",
  "id",
  "created_at",
  "git",
  "sink",
  "now",
  "secret",
] as const;

/**
 * An input for a "never throws" property: made inside the property by `make`, because
 * fast-check itself inspects generated values (a throwing proxy would break it, not us).
 */
export interface Input {
  readonly label: string;
  readonly make: () => unknown;
}
const input = (label: string, make: () => unknown): Input => ({ label, make });

/** One hostile value. */
const hostileLeaf: fc.Arbitrary<Input> = fc.oneof(
  fc.constantFrom(
    input("a proxy whose every trap throws", throwingProxy),
    input("a revoked proxy", revokedProxy),
    input("an array whose elements throw", throwingArray),
    input("a cyclic object", cyclic),
    input("an object whose conversions throw", throwingConversions),
    input("a function that throws", () => boom),
    input("an object without prototype", () => Object.create(null) as object),
    input("an AbortSignal", () => new AbortController().signal),
    input("an invalid Date", () => new Date(Number.NaN)),
    input("a Redacted box of nothing", () => Redacted.of(undefined)),
    input("a Map", () => new Map([["model", "gpt-5"]])),
  ),
  fc
    .constantFrom(...KNOWN_KEYS)
    .map((k) => input(`a getter "${k}" that throws`, () => throwingGetter(k))),
  fc.bigInt().map((b) => input(`${b}n`, () => b)),
  fc.string().map((s) => input(`Symbol(${s})`, () => Symbol(s))),
);

/** Hostile values, alone or hidden one or two levels down under keys decoders read. */
export const hostile: fc.Arbitrary<Input> = fc.oneof(
  hostileLeaf,
  fc
    .tuple(fc.constantFrom(...KNOWN_KEYS), hostileLeaf)
    .map(([k, v]) => input(`{ ${k}: ${v.label} }`, () => ({ [k]: v.make() }))),
  fc
    .tuple(fc.constantFrom(...KNOWN_KEYS), fc.constantFrom(...KNOWN_KEYS), hostileLeaf)
    .map(([k1, k2, v]) =>
      input(`{ ${k1}: { ${k2}: ${v.label} } }`, () => ({ [k1]: { [k2]: v.make() } })),
    ),
  fc
    .array(hostileLeaf, { maxLength: 3 })
    .map((vs) => input(`[${vs.map((v) => v.label).join(", ")}]`, () => vs.map((v) => v.make()))),
);

/** Anything at all: fast-check's `anything` with every option on, plus hostile values. */
export const anyInput: fc.Arbitrary<Input> = fc.oneof(
  fc
    .anything({
      withBigInt: true,
      withBoxedValues: true,
      withDate: true,
      withMap: true,
      withSet: true,
      withNullPrototype: true,
      withObjectString: true,
      withSparseArray: true,
      withTypedArray: true,
      withUnicodeString: true,
    })
    .map((v) => input(fc.stringify(v), () => v)),
  hostile,
);

// ---------------------------------------------------------------------------------------------
// Valid values
// ---------------------------------------------------------------------------------------------

const alnum = fc.constantFrom(..."abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789");
const word = (maxLength = 12) => fc.string({ unit: alnum, minLength: 1, maxLength });

/** Thread ids as the CLI prints them (UUIDs) and as legacy producers wrote them. */
export const validThreadId: fc.Arbitrary<string> = fc.oneof(
  fc.uuid(),
  word(20).map((w) => `thread_${w}`),
);

/** Turn ids, which follow the thread id rules. */
export const validTurnId: fc.Arbitrary<string> = word(20).map((w) => `turn_${w}`);

/** A printable string (no control characters), for free-text option values. */
const printable = fc
  .string({ unit: "grapheme", minLength: 1, maxLength: 16 })
  .filter((s) => !/[\u0000-\u001f\u007f-\u009f]/.test(s));

/** API keys: non-empty, no whitespace or control characters. */
export const validApiKey: fc.Arbitrary<string> = word(40).map((w) => `sk-test-${w}`);

const labels = fc.dictionary(word(8), printable, { maxKeys: 3 });

/** Config keys that do not make a value secret (secrets are generated apart). */
const plainKey = (k: string): boolean => !isSecretPath([k]) && !["env", "http_headers"].includes(k);

const configValue: fc.Arbitrary<ConfigValue> = fc.letrec<{ value: ConfigValue }>((tie) => ({
  value: fc.oneof(
    { depthSize: "small" },
    printable,
    fc.integer(),
    // JSON has no -0, so a config holding one cannot round-trip exactly; 0 stands in for it.
    fc.double({ noNaN: true, noDefaultInfinity: true }).map((x) => (x === 0 ? 0 : x)),
    fc.boolean(),
    fc.array(tie("value"), { maxLength: 3 }),
    fc.dictionary(word(8).filter(plainKey), tie("value"), { maxKeys: 3 }),
  ),
})).value;

/** Valid CodexOptions without secrets (the secrets are generated apart). */
export const validStoredCodexOptions: fc.Arbitrary<CodexOptionsInput> = fc.record(
  {
    codexPathOverride: word().map((w) => `/opt/codex/${w}`),
    baseUrl: word().map((w) => `https://${w}.example.com/v1`),
    config: fc.dictionary(word(8).filter(plainKey), configValue, { maxKeys: 3 }),
    configOverrides: fc.array(
      fc.tuple(word(8).filter(plainKey), word(8)).map(([k, v]) => `${k}="${v}"`),
      { maxLength: 2 },
    ),
  },
  { requiredKeys: [] },
);

/** Valid ThreadOptions: every option, each present or not. */
export const validThreadOptions: fc.Arbitrary<ThreadOptionsInput> = fc.record(
  {
    model: word().map((w) => `gpt-${w}`),
    threadSource: word(),
    sandboxMode: fc.constantFrom("read-only", "workspace-write", "danger-full-access"),
    workingDirectory: word().map((w) => `/work/${w}`),
    skipGitRepoCheck: fc.boolean(),
    modelReasoningEffort: fc.constantFrom(
      "minimal",
      "low",
      "medium",
      "high",
      "xhigh",
      "max",
      "ultra",
      "persistent",
    ),
    networkAccessEnabled: fc.boolean(),
    webSearchMode: fc.constantFrom("disabled", "cached", "live"),
    webSearchEnabled: fc.boolean(),
    approvalPolicy: fc.constantFrom("never", "on-request", "on-failure", "untrusted"),
    additionalDirectories: fc.array(
      word().map((w) => `./${w}`),
      { maxLength: 3 },
    ),
    ephemeral: fc.boolean(),
    labels,
  },
  { requiredKeys: [] },
);

/** A legacy metadata object (`thread.started.metadata`). */
export const validLegacyMetadata = fc.record(
  {
    labels,
    created_at: fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
    git: fc.record(
      { branch: word(), dirty: fc.boolean(), commit_hash: word(40) },
      { requiredKeys: [] },
    ),
  },
  { requiredKeys: [] },
);

/** A usage record. */
export const validUsage = fc.record({
  input_tokens: fc.nat(),
  cached_input_tokens: fc.nat(),
  cache_write_input_tokens: fc.nat(),
  output_tokens: fc.nat(),
  reasoning_output_tokens: fc.nat(),
});

/**
 * A thread's secrets, each present or not: an API key, env (plain or Redacted), and config
 * secrets at paths the CLI reads from its environment (a provider's bearer token and headers);
 * with the `ThreadSecrets` a caller gives `deserializeThread` to put them back. Each `config`
 * secret in `supplied` is the same value, plain where the thread holds it Redacted or the other
 * way round.
 */
export const validSecrets: fc.Arbitrary<{
  codexOptions: CodexOptionsInput;
  supplied: ThreadSecrets;
}> = fc
  .record(
    {
      apiKey: fc.tuple(validApiKey, fc.boolean()),
      env: fc.tuple(
        fc.dictionary(
          word(8).map((w) => `CFP_${w}`),
          word(),
          { maxKeys: 3 },
        ),
        fc.boolean(),
      ),
      provider: fc.record(
        {
          name: word(8),
          bearer: fc.tuple(word(), fc.boolean()),
          header: fc.tuple(word(), fc.boolean()),
        },
        { requiredKeys: ["name"] },
      ),
    },
    { requiredKeys: [] },
  )
  .map(({ apiKey, env, provider }) => {
    const box = <A>([v, boxed]: [A, boolean]): A | Redacted<A> => (boxed ? Redacted.of(v) : v);
    const other = <A>([v, boxed]: [A, boolean]): A | Redacted<A> => box([v, !boxed]);
    const table = (pick: typeof box) =>
      provider === undefined || (provider.bearer === undefined && provider.header === undefined)
        ? undefined
        : {
            model_providers: {
              [provider.name]: {
                ...(provider.bearer !== undefined
                  ? { experimental_bearer_token: pick(provider.bearer) }
                  : {}),
                ...(provider.header !== undefined
                  ? { http_headers: { Authorization: pick(provider.header) } }
                  : {}),
              },
            },
          };
    const config = table(box);
    const codexOptions = {
      ...(apiKey !== undefined ? { apiKey: box(apiKey) } : {}),
      ...(env !== undefined ? { env: box(env) } : {}),
      ...(config !== undefined ? { config } : {}),
    } as CodexOptionsInput;
    const supplied: ThreadSecrets = {
      ...(apiKey !== undefined ? { apiKey: other(apiKey) } : {}),
      ...(env !== undefined ? { env: other(env) } : {}),
      ...(config !== undefined ? { config: table(other) } : {}),
    };
    return { codexOptions, supplied };
  });

/** Where a fork stands when it is made (`ForkFacts` of core/fork.ts). */
export const validForkFacts = fc.record({
  cumulativeUsage: fc.option(validUsage, { nil: null }),
  position: fc.record({
    completedTurns: fc.nat({ max: 1000 }),
    lastTurnId: fc.option(validTurnId, { nil: null }),
  }),
});

/** The events of one turn as the CLI prints them: items, `error` notices, then its end. */
export const validTurnEvents = (threadId: string): fc.Arbitrary<object[]> =>
  fc
    .tuple(
      fc.array(
        fc.oneof(
          word().map((text) => ({ type: "error", message: text })),
          fc.tuple(word(8), fc.string({ maxLength: 20 })).map(([id, text]) => ({
            type: "item.completed",
            item: { id, type: "agent_message", text },
          })),
        ),
        { maxLength: 4 },
      ),
      fc.oneof(
        fc.option(validUsage, { nil: undefined }).map((usage) => ({
          type: "turn.completed",
          ...(usage !== undefined ? { usage } : {}),
        })),
        word().map((message) => ({ type: "turn.failed", error: { message } })),
      ),
    )
    .map(([middle, end]) => [
      { type: "thread.started", thread_id: threadId },
      { type: "turn.started" },
      ...middle,
      end,
    ]);

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
