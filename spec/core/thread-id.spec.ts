/**
 * ThreadId: the ids the CLI prints and the legacy ids are accepted; anything that could be
 * misread as a flag, a path or a second argument is rejected as `InvalidThreadId`.
 */
import fc from "fast-check";
import { assertProperty } from "../support/property.js";

import { ThreadId, parseThreadId } from "../../lib/index.js";
import { MAX_THREAD_ID_LENGTH } from "../../lib/codecs/index.js";
import { anyInput } from "../support/arbitraries.js";
import { legacyFixtureFiles, legacyThreadStarted } from "../support/core-helpers.js";

/** The documented rules, written out independently of the implementation. */
const documentedRules = (u: unknown): boolean =>
  typeof u === "string" &&
  u.length >= 1 &&
  u.length <= 128 &&
  /^[A-Za-z0-9_]/.test(u) && // not "-" (a flag), not "." or ":" first
  /^[A-Za-z0-9_.:-]*$/.test(u) && // no whitespace, control characters, "/" or "\"
  !u.includes("..");

const problemOf = (u: unknown): string => {
  const r = parseThreadId(u);
  if (r.isOk()) throw new Error(`expected ${JSON.stringify(u)} to be rejected`);
  const e = r.error;
  if (e._tag !== "InvalidThreadId") throw new Error(`expected InvalidThreadId, got ${e._tag}`);
  expect(e.path).toBe("threadId");
  expect(e.issues).toHaveLength(1);
  return e.issues[0]?.message ?? "";
};

describe("parseThreadId", () => {
  it("accepts the UUIDs the CLI prints", () => {
    for (const id of [
      "01a20fb5-32b6-73c3-8683-50ee63f5dba7",
      "01a20fb5-345b-7f51-b6d3-8f2a9ee94142",
      "01A20FB7-136E-7BC0-A76D-F37ACCC41805",
    ])
      expect(parseThreadId(id)._unsafeUnwrap()).toBe(id);
    assertProperty(
      fc.property(fc.uuid(), (id) => parseThreadId(id).isOk()),
      { numRuns: 200 },
    );
  });

  it("accepts every legacy id of the parity fixtures", () => {
    const ids = legacyFixtureFiles()
      .map((f) => legacyThreadStarted(f)?.thread_id)
      .filter((id): id is string => id !== undefined);
    expect(ids).toContain("thread_abc123");
    expect(ids.length).toBeGreaterThan(20);
    for (const id of ids) expect(parseThreadId(id).isOk()).toBe(true);
  });

  it("rejects an empty id", () => {
    expect(problemOf("")).toBe("must not be empty");
  });

  it("rejects an id the CLI would read as a flag", () => {
    expect(problemOf("--last")).toMatch(/must not start with "-"/);
    expect(problemOf("-h")).toMatch(/must not start with "-"/);
  });

  it("rejects whitespace and control characters", () => {
    expect(problemOf("thread abc")).toBe("must not contain whitespace");
    expect(problemOf("thread\tabc")).toBe("must not contain control characters");
    expect(problemOf("thread_abc\n")).toBe("must not contain control characters");
    expect(problemOf("thread\u0000abc")).toBe("must not contain control characters");
    expect(problemOf("thread\u0085abc")).toBe("must not contain control characters");
    expect(problemOf("thread\u00a0abc")).toBe("must not contain whitespace");
  });

  it("rejects path separators and parent references", () => {
    expect(problemOf("../../etc/passwd")).toBe("must not contain a path separator");
    expect(problemOf("thread\\abc")).toBe("must not contain a path separator");
    expect(problemOf("thread..abc")).toBe('must not contain ".."');
  });

  it(`rejects ids longer than ${MAX_THREAD_ID_LENGTH} characters`, () => {
    expect(MAX_THREAD_ID_LENGTH).toBe(128);
    expect(parseThreadId("a".repeat(128)).isOk()).toBe(true);
    expect(problemOf("a".repeat(129))).toBe("must be at most 128 characters (got 129)");
  });

  it("rejects other characters, naming the ones allowed", () => {
    expect(problemOf("thread@abc")).toMatch(/letters, digits and _ \. : -/);
    expect(problemOf(".hidden")).toMatch(/start with a letter, digit or _/);
    expect(problemOf("thréad")).toMatch(/letters, digits/);
  });

  it("rejects values that are not strings, without echoing them", () => {
    expect(problemOf(42)).toBe("expected a string, got 42");
    expect(problemOf(null)).toBe("expected a string, got null");
    expect(problemOf(undefined)).toBe("expected a string, got nothing");
    expect(problemOf({ id: "x" })).toBe("expected a string, got a object");
    expect(problemOf(["thread_abc"])).toBe("expected a string, got an array");
  });

  it("names the path it is given in the error", () => {
    const r = parseThreadId("-x", "resume.threadId");
    expect(r._unsafeUnwrapErr()).toMatchObject({
      _tag: "InvalidThreadId",
      path: "resume.threadId",
      issues: [{ path: "resume.threadId" }],
    });
  });

  it("accepts exactly what the documented rules accept", () => {
    const interesting = fc.constantFrom(
      ..."aZ09_.:-/\\ \t\n\u0000\u001f\u007f\u0085\u00a0\u2028é@#=$".split(""),
    );
    const strings = fc.oneof(
      fc.string({ unit: interesting, maxLength: 8 }),
      fc.string({ unit: interesting, minLength: 120, maxLength: 136 }),
      fc.string({ unit: "binary", maxLength: 140 }),
      fc.uuid(),
    );
    const candidates = fc.oneof(
      strings.map((s) => ({ label: JSON.stringify(s), make: () => s })),
      anyInput,
    );
    assertProperty(
      fc.property(candidates, ({ make }) => {
        const u = make();
        expect(parseThreadId(u).isOk()).toBe(documentedRules(u));
        expect(ThreadId.is(u)).toBe(documentedRules(u));
      }),
      { numRuns: 1500 },
    );
  });

  it("never throws: an id its codec accepts, or an InvalidThreadId saying why", () => {
    let checked = 0;
    assertProperty(
      fc.property(anyInput, anyInput, (u, path) => {
        const r = parseThreadId(u.make(), path.make() as string);
        if (r.isOk()) expect(ThreadId.is(r.value)).toBe(true);
        else
          expect(r.error).toMatchObject({
            _tag: "InvalidThreadId",
            path: expect.any(String),
            message: expect.any(String),
          });
        checked++;
      }),
      { numRuns: 300 },
    );
    expect(checked).toBe(300);
  });
});
