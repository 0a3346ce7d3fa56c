/**
 * fast-check generators shared by the specs of the pure core: valid options and threads, and
 * hostile values (throwing proxies and getters, cycles, BigInt, symbols) for the "never
 * throws" properties.
 */
import { isSecretPath } from "../../lib/core/secrets.js";
import fc from "fast-check";

import { Redacted } from "../../lib/index.js";

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

const configValue: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
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
export const validStoredCodexOptions = fc.record(
  {
    codexPathOverride: word().map((w) => `/opt/codex/${w}`),
    baseUrl: word().map((w) => `https://${w}.example.com/v1`),
    config: fc.dictionary(word(8).filter(plainKey), configValue, { maxKeys: 3 }),
    configOverrides: fc.array(
      fc.tuple(word(8), word(8)).map(([k, v]) => `${k}="${v}"`),
      { maxLength: 2 },
    ),
  },
  { requiredKeys: [] },
);

/** Valid ThreadOptions: every option, each present or not. */
export const validThreadOptions = fc.record(
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
