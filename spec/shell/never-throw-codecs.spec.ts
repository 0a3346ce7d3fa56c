/**
 * Never throw, the codec pass (issue 13, part 3): every io-ts codec exported by the root and
 * each subpath of package.json's "exports" is found by its kind (an `io-ts` Type), and its
 * `decode` and `is` are called with hostile values. A value that throws while it is read (a
 * getter, a Proxy, a revoked Proxy, an array whose elements throw, an object holding one) gives
 * a Left from `decode` and false from `is`; so do the other hostile values (null, undefined,
 * BigInt, Symbol, a huge string), but for the few a codec accepts (listed, with the reason).
 */
import { isLeft, isRight } from "fp-ts/lib/Either.js";
import * as t from "io-ts";

import { UNREADABLE } from "../../lib/core/decoding/total.js";
import {
  revokedProxy,
  throwingArray,
  throwingGetter,
  throwingProxy,
} from "../support/arbitraries.js";
import { HOSTILE } from "../support/hostile.js";
import * as codecs from "../../lib/codecs/index.js";
import * as root from "../../lib/index.js";
import { SUBPATHS } from "../support/subpaths.js";

/**
 * Codecs that still throw on an unreadable value, with the reason they are not made total here.
 * Each is tried all the same and must still break (remove it once it passes).
 */
const PENDING: Record<string, string> = {};

/**
 * Hostile values a codec accepts, by codec, and why: a string of any length is an API key or a
 * prompt (the length bounds apply where a thread or a turn is made: `InputLimits`).
 */
const ACCEPTS: Record<string, readonly string[]> = {
  "./codecs:ApiKey": ["a huge string"],
  "./codecs:Input": ["a huge string"],
};

/** Values that throw while they are read. */
const UNREADABLE_VALUES: Array<[string, () => unknown]> = [
  ["a throwing getter", () => throwingGetter("threadId")],
  ["a throwing Proxy", throwingProxy],
  ["a revoked Proxy", revokedProxy],
  ["an array whose elements throw", throwingArray],
  ["an object holding a throwing Proxy", () => ({ threadId: throwingProxy(), items: [] })],
];

const exportedCodecs = (): Array<[string, t.Mixed]> => {
  const out: Array<[string, t.Mixed]> = [];
  for (const [sub, mod] of Object.entries(SUBPATHS))
    for (const [name, v] of Object.entries(mod))
      if (v instanceof t.Type) out.push([`${sub}:${name}`, v as t.Mixed]);
  return out;
};

/** How `codec` broke: a throw, a Right or a true `is` on an unreadable value, … */
const breakages = (name: string, codec: t.Mixed): string[] => {
  const broke: string[] = [];
  const attempt = <A>(what: string, f: () => A): A | undefined => {
    try {
      return f();
    } catch (e) {
      broke.push(`${what}: threw ${String(e)}`);
      return undefined;
    }
  };
  for (const [what, make] of UNREADABLE_VALUES) {
    const d = attempt(`decode(${what})`, () => codec.decode(make()));
    if (d !== undefined && !isLeft(d)) broke.push(`decode(${what}) is a Right`);
    const is = attempt(`is(${what})`, () => codec.is(make()));
    if (is !== undefined && is) broke.push(`is(${what}) is true`);
  }
  for (const [what, make] of HOSTILE) {
    const d = attempt(`decode(${what})`, () => codec.decode(make()));
    const is = attempt(`is(${what})`, () => codec.is(make()));
    const accepted = ACCEPTS[name]?.includes(what) ?? false;
    if (d !== undefined && isRight(d) !== accepted)
      broke.push(`decode(${what}) is a ${accepted ? "Left" : "Right"}`);
    if (is !== undefined && is && !accepted) broke.push(`is(${what}) is true`);
  }
  return broke;
};

describe("every exported codec, hostile values", () => {
  const all = exportedCodecs();
  const total = all.filter(([name]) => !(name in PENDING));

  it("finds the codecs of every subpath (and PENDING, ACCEPTS name only exported ones)", () => {
    expect(total.length).toBeGreaterThan(50);
    for (const sub of [".", "./codecs", "./sessions", "./app-server"])
      expect(total.some(([name]) => name.startsWith(`${sub}:`))).toBe(true);
    const names = all.map(([name]) => name);
    for (const name of [...Object.keys(PENDING), ...Object.keys(ACCEPTS)])
      expect(names).toContain(name);
  });

  it.each(total)("%s: decode is a Left and is false on hostile values, never a throw", (name, c) =>
    expect(breakages(name, c)).toEqual([]),
  );

  it("every PENDING codec still breaks (remove it from PENDING once it passes)", () => {
    for (const [name, c] of all)
      if (name in PENDING) expect([name, breakages(name, c).length > 0]).toEqual([name, true]);
  });

  it("an unreadable value is reported as such, at the path where it was read", () => {
    const d = root.Thread.decode(throwingProxy());
    expect(isLeft(d) && d.left.map((e) => e.message)).toEqual([UNREADABLE]);
    const o = codecs.CodexOptions.decode(throwingGetter("baseUrl"));
    expect(isLeft(o) && o.left.some((e) => e.message === UNREADABLE)).toBe(true);
  });

  it("a total codec is the same codec: name, type, encode and composition", () => {
    expect(root.Thread.name).toBe("Thread");
    expect(root.ThreadId).toBe(codecs.ThreadId);
    expect(root.Thread).toBeInstanceOf(t.Type);
    expect(root.ThreadId.is("t-1")).toBe(true);
    const Wrapped = t.type({ id: root.ThreadId, options: root.ThreadOptions });
    expect(isRight(Wrapped.decode({ id: "t-1", options: {} }))).toBe(true);
    expect(isLeft(Wrapped.decode({ id: "t-1", options: throwingProxy() }))).toBe(true);
  });
});
