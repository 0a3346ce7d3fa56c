/**
 * Hostile values for the "never throws" properties: throwing proxies and getters, revoked
 * proxies, cycles, BigInt, symbols, alone or hidden under keys the decoders read.
 */
import fc from "fast-check";

import { Redacted } from "../../../lib/index.js";

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
