/**
 * The object codecs of lib/core/decoding (`closed`, `open`) and `checkedString`: a value whose
 * fields decode to something else keeps every decoded field (of the required and the optional
 * half both), and a value nothing was changed in is handed back itself, not a copy.
 */
import * as t from "io-ts";
import { isLeft, isRight } from "fp-ts/lib/Either.js";
import { checkedString, closed, open } from "../../lib/core/decoding/decode.js";

/** A string codec that decodes to upper case (its `is` holds for upper-case strings only). */
const Upper = new t.Type<string, string, unknown>(
  "Upper",
  (u): u is string => typeof u === "string" && u === u.toUpperCase(),
  (u, c) => (typeof u === "string" ? t.success(u.toUpperCase()) : t.failure(u, c, "not a string")),
  (a) => a,
);

const right = <A>(r: t.Validation<A>): A => {
  if (isLeft(r)) throw new Error("expected a decoded value");
  return r.right;
};

describe.each([
  ["closed", closed],
  ["open", open],
] as const)("%s", (_, make) => {
  it("keeps the decoded fields of both halves", () => {
    expect(right(make("X", { a: Upper }, { b: t.string }).decode({ a: "x", b: "y" }))).toEqual({
      a: "X",
      b: "y",
    });
    expect(right(make("X", { a: t.string }, { b: Upper }).decode({ a: "x", b: "y" }))).toEqual({
      a: "x",
      b: "Y",
    });
    expect(right(make("X", { a: Upper }, { b: Upper }).decode({ a: "x", b: "y" }))).toEqual({
      a: "X",
      b: "Y",
    });
  });

  it("hands back the input itself when nothing was decoded to something else", () => {
    const u = { a: "x", b: "y" };
    expect(right(make("X", { a: t.string }, { b: t.string }).decode(u))).toBe(u);
    const upper = { a: "X", b: "Y" };
    expect(right(make("X", { a: Upper }, { b: Upper }).decode(upper))).toBe(upper);
  });

  it("reports the problems of both halves", () => {
    const r = make("X", { a: t.string }, { b: t.number }).decode({ a: 1, b: "no" });
    expect(isLeft(r) ? r.left.length : 0).toBe(2);
  });
});

describe("open", () => {
  it("keeps the keys it does not know, also when a field was decoded", () => {
    expect(right(open("X", { a: Upper }, {}).decode({ a: "x", z: 1 }))).toEqual({ a: "X", z: 1 });
  });
});

describe("checkedString", () => {
  const Short = checkedString<string>("short", (s) => (s.length <= 3 ? null : "too long"));
  it("accepts a string without a problem and names the problem of one that has it", () => {
    expect(isRight(Short.decode("abc"))).toBe(true);
    expect(Short.is("abc")).toBe(true);
    const long = Short.decode("abcd");
    expect(isLeft(long) ? long.left[0]?.message : null).toBe("too long");
    const num = Short.decode(4);
    expect(isLeft(num) ? num.left[0]?.message : null).toBe("expected a string, got 4");
    expect(Short.is(4)).toBe(false);
  });
});
