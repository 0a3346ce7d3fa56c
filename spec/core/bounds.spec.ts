/**
 * Bounded inputs (issue 13, part 4): every entry point that decodes a caller's value checks
 * lengths, sizes and depth before anything is iterated, each failing as a typed error at its
 * path. A sparse array of length 2**32-1 ran V8 out of heap; it is refused on its `length` alone.
 */
import { untyped } from "../support/untyped.js";
import type { ConfigObject } from "../../lib/core/config-value.js";
import { DEFAULT_INPUT_LIMITS, snapshot } from "../../lib/core/decoding/snapshot.js";
import {
  deserializeThread,
  resumeThread,
  serializeThread,
  startThread,
  withThreadOptions,
} from "../../lib/index.js";
import { metadataFromJson } from "../../lib/core/metadata.js";
import { decodeArchive } from "../../lib/core/archive.js";

const sparse = (length: number): string[] => {
  const a: string[] = [];
  a.length = length;
  return a;
};

describe("bounded inputs", () => {
  it.each([
    [
      "configOverrides",
      { codexOptions: { configOverrides: sparse(2 ** 32 - 1) } },
      "thread.codexOptions.configOverrides",
    ],
    [
      "a config array value",
      { codexOptions: { config: { a: { b: sparse(2 ** 32 - 1) } } } },
      "thread.codexOptions.config.a.b",
    ],
    [
      "additionalDirectories",
      { threadOptions: { additionalDirectories: sparse(2 ** 32 - 1) } },
      "thread.threadOptions.additionalDirectories",
    ],
    [
      "additionalDirectories at 1e7",
      { threadOptions: { additionalDirectories: sparse(1e7) } },
      "thread.threadOptions.additionalDirectories",
    ],
  ])("%s: refused at its path before it is read", (_what, value, path) => {
    const began = performance.now();
    expect(snapshot(value, "thread")._unsafeUnwrapErr()).toEqual({
      path,
      message: `longer than ${DEFAULT_INPUT_LIMITS.maxArrayLength} elements (limits.maxArrayLength)`,
    });
    expect(performance.now() - began).toBeLessThan(5_000);
  });

  it("an array at the limit passes; one past it does not", () => {
    const limits = { ...DEFAULT_INPUT_LIMITS, maxArrayLength: 3 };
    expect(snapshot([1, 2, 3], "x", limits).isOk()).toBe(true);
    expect(snapshot([1, 2, 3, 4], "x", limits)._unsafeUnwrapErr()).toEqual({
      path: "x",
      message: "longer than 3 elements (limits.maxArrayLength)",
    });
  });

  it("depth, string length, key count, value count and cycles are bounded", () => {
    const small = {
      maxArrayLength: 10,
      maxStringLength: 5,
      maxKeys: 2,
      maxDepth: 2,
      maxValues: 6,
    };
    expect(snapshot({ a: { b: { c: 1 } } }, "o", small)._unsafeUnwrapErr().message).toMatch(
      /deeper than 2/,
    );
    expect(snapshot({ a: "123456" }, "o", small)._unsafeUnwrapErr()).toEqual({
      path: "o.a",
      message: "longer than 5 characters (limits.maxStringLength)",
    });
    expect(snapshot({ a: 1, b: 2, c: 3 }, "o", small)._unsafeUnwrapErr().message).toMatch(
      /more than 2 keys/,
    );
    expect(snapshot([1, 2, 3, 4, 5, 6, 7], "o", small)._unsafeUnwrapErr().message).toMatch(
      /more than 6 values/,
    );
    const cyclic: Record<string, unknown> = {};
    cyclic["self"] = cyclic;
    expect(snapshot(cyclic, "o")._unsafeUnwrapErr()).toEqual({
      path: "o.self",
      message: "must not contain a cycle",
    });
    // Shared (not cyclic) values are fine.
    const shared = { x: 1 };
    expect(snapshot({ a: shared, b: shared }, "o").isOk()).toBe(true);
  });

  it("names the path being read: indices as decoding issues write them, and a getter that threw", () => {
    const small = { ...DEFAULT_INPUT_LIMITS, maxStringLength: 3 };
    expect(snapshot({ a: ["ok", "long"] }, "o", small)._unsafeUnwrapErr()).toEqual({
      path: "o.a[1]",
      message: "longer than 3 characters (limits.maxStringLength)",
    });
    const hostile = {
      a: [
        1,
        Object.defineProperty({}, "b", {
          enumerable: true,
          get: () => {
            throw new Error("boom");
          },
        }),
      ],
    };
    expect(snapshot(hostile, "o")._unsafeUnwrapErr()).toEqual({
      path: "o.a[1].b",
      message: "could not be read (a getter or a Proxy threw)",
    });
  });

  it("the defaults are far above real use", () => {
    const dirs = Array.from({ length: 1_000 }, (_, i) => `/tmp/d${i}`);
    expect(snapshot({ additionalDirectories: dirs }, "threadOptions").isOk()).toBe(true);
    expect(DEFAULT_INPUT_LIMITS).toEqual({
      maxArrayLength: 100_000,
      maxStringLength: 64 * 1024 * 1024,
      maxKeys: 100_000,
      maxDepth: 64,
      maxValues: 1_000_000,
    });
  });
});

/** Runs `f`, failing the test when it took long or grew the heap by more than 64 MiB. */
const cheaply = <A>(f: () => A): A => {
  const rss = process.memoryUsage().rss;
  const began = performance.now();
  const a = f();
  expect(performance.now() - began).toBeLessThan(5_000);
  expect(process.memoryUsage().rss - rss).toBeLessThan(64 * 1024 * 1024);
  return a;
};

// Built once, outside the measured calls: making a holey array of length 1e7 is the caller's cost.
const HUGE = sparse(2 ** 32 - 1);
const TEN_MILLION = sparse(1e7);

const THREAD_ID = "0199a213-81c0-7800-8aa1-bbab2a035a53";
const tooLong = `longer than ${DEFAULT_INPUT_LIMITS.maxArrayLength} elements (limits.maxArrayLength)`;

describe("the entry points refuse oversized inputs at their path (issue 13 part 4 vectors)", () => {
  it.each([
    [
      "configOverrides",
      () => startThread({ configOverrides: HUGE }),
      "codexOptions.configOverrides",
    ],
    [
      "a config array value",
      () => startThread({ config: { a: { b: HUGE } } }),
      "codexOptions.config.a.b",
    ],
    [
      "additionalDirectories",
      () => startThread({}, { additionalDirectories: HUGE }),
      "threadOptions.additionalDirectories",
    ],
    [
      "additionalDirectories at 1e7",
      () => startThread({}, { additionalDirectories: TEN_MILLION }),
      "threadOptions.additionalDirectories",
    ],
    [
      "resumeThread's options",
      () => resumeThread(THREAD_ID, { configOverrides: HUGE }),
      "codexOptions.configOverrides",
    ],
    [
      "resumeThread's metadata",
      () => resumeThread(THREAD_ID, {}, {}, { metadata: { labels: HUGE } }),
      "resume.metadata.labels",
    ],
    [
      "withThreadOptions' patch",
      () =>
        withThreadOptions(startThread()._unsafeUnwrap(), {
          additionalDirectories: HUGE,
        }),
      "patch.additionalDirectories",
    ],
  ])("%s: an InvalidOptions error at its path, fast and small", (_what, call, path) => {
    const e = cheaply(call)._unsafeUnwrapErr();
    expect(e).toMatchObject({ path, issues: [{ path, message: tooLong }] });
    expect(["InvalidOptions", "InvalidMetadata"]).toContain(e._tag);
  });

  it("metadataFromJson refuses an oversized value, and an oversized value inside its JSON text", () => {
    expect(cheaply(() => metadataFromJson({ labels: HUGE }))._unsafeUnwrapErr()).toMatchObject({
      _tag: "InvalidMetadata",
      path: "metadata.labels",
    });
    const text = JSON.stringify({ created_at: "x", labels: {}, extra: new Array(200_000).fill(0) });
    expect(metadataFromJson(text)._unsafeUnwrapErr()).toMatchObject({
      issues: [{ path: "metadata.extra", message: tooLong }],
    });
  });

  it("deserializeThread bounds the text and the parsed value", () => {
    const text = serializeThread(startThread()._unsafeUnwrap())._unsafeUnwrap();
    expect(
      deserializeThread(text, undefined, { maxStringLength: 10 })._unsafeUnwrapErr(),
    ).toMatchObject({
      _tag: "InvalidSerializedThread",
      path: "thread",
      issues: [{ path: "thread", message: "longer than 10 characters (limits.maxStringLength)" }],
    });
    const dirs = JSON.parse(text) as { threadOptions: Record<string, unknown> };
    dirs.threadOptions["additionalDirectories"] = ["/a", "/b", "/c"];
    expect(
      deserializeThread(JSON.stringify(dirs), undefined, { maxArrayLength: 2 })._unsafeUnwrapErr(),
    ).toMatchObject({
      _tag: "InvalidSerializedThread",
      path: "thread.threadOptions.additionalDirectories",
    });
    expect(deserializeThread(JSON.stringify(dirs), undefined, { maxArrayLength: 3 }).isOk()).toBe(
      true,
    );
  });

  it("depth, string length and key count are bounded on startThread too", () => {
    let deep: ConfigObject = { leaf: 1 };
    for (let i = 0; i < 70; i++) deep = { n: deep };
    expect(startThread({ config: deep })._unsafeUnwrapErr().message).toMatch(
      /: nested deeper than 64 \(limits\.maxDepth\)$/,
    );
    expect(startThread({ config: deep }, {}, { maxDepth: 100 }).isOk()).toBe(true);
    expect(
      startThread(
        { baseUrl: "https://x/" + "y".repeat(100) },
        {},
        { maxStringLength: 50 },
      )._unsafeUnwrapErr(),
    ).toMatchObject({ _tag: "InvalidOptions", path: "codexOptions.baseUrl" });
    expect(
      startThread({ config: { a: 1, b: 2, c: 3 } }, {}, { maxKeys: 2 })._unsafeUnwrapErr(),
    ).toMatchObject({
      path: "codexOptions.config",
      issues: [{ message: "more than 2 keys (limits.maxKeys)" }],
    });
  });

  it("the limits are configurable: raised, an array past the default passes", () => {
    const dirs = Array.from(
      { length: DEFAULT_INPUT_LIMITS.maxArrayLength + 1 },
      (_, i) => `/tmp/d${i}`,
    );
    expect(startThread({}, { additionalDirectories: dirs })._unsafeUnwrapErr().path).toBe(
      "threadOptions.additionalDirectories",
    );
    expect(
      startThread({}, { additionalDirectories: dirs }, { maxArrayLength: 200_000 }).isOk(),
    ).toBe(true);
    expect(
      startThread({}, { additionalDirectories: dirs }, { maxArrayLength: Infinity }).isOk(),
    ).toBe(true);
  });

  it("bad limits are an InvalidOptions error at limits", () => {
    for (const bad of [0, -1, 1.5, "10", null, { maxDepth: 0 }, { nope: 1 }])
      expect(startThread({}, {}, untyped(bad))._unsafeUnwrapErr()).toMatchObject({
        _tag: "InvalidOptions",
        path: expect.stringMatching(/^limits/),
      });
  });

  it("an archive's text is not bounded by the default string length", () => {
    // decodeArchive bounds only nesting: an archive holds a whole rollout's bytes.
    const r = decodeArchive({ nope: "x".repeat(DEFAULT_INPUT_LIMITS.maxStringLength + 1) });
    expect(r._unsafeUnwrapErr().message).not.toMatch(/limits\./);
  });
});

describe("a Thread built under raised limits is taken as it is", () => {
  const raised = { maxArrayLength: 200_000 };
  const dirs = Array.from({ length: DEFAULT_INPUT_LIMITS.maxArrayLength + 1 }, (_, i) => `/d${i}`);
  const built = () => startThread({}, { additionalDirectories: dirs }, raised)._unsafeUnwrap();

  it("serializes, and takes new options, without the limits given again", () => {
    const thread = built();
    const json = serializeThread(thread)._unsafeUnwrap();
    const next = withThreadOptions(thread, { model: "m" })._unsafeUnwrap();
    expect(next.threadOptions.additionalDirectories).toHaveLength(dirs.length);
    // JSON text comes from outside: it is held to the limits its reader passes.
    expect(deserializeThread(json, {})._unsafeUnwrapErr()).toMatchObject({
      _tag: "InvalidSerializedThread",
      path: "thread.threadOptions.additionalDirectories",
    });
    expect(deserializeThread(json, {}, raised)._unsafeUnwrap()).toEqual(thread);
  });

  it("a copy that is not the library's value is decoded (and bounded) again", () => {
    const copy = { ...built() };
    expect(serializeThread(copy)._unsafeUnwrapErr()).toMatchObject({
      _tag: "NotAThread",
      path: "thread.threadOptions.additionalDirectories",
    });
    expect(withThreadOptions(copy, {}, raised).isOk()).toBe(true);
    // A Proxy of one is not it either (a Proxy could answer the brand and lie about the rest).
    expect(serializeThread(new Proxy(built(), {}))._unsafeUnwrapErr()).toMatchObject({
      _tag: "NotAThread",
    });
  });

  it("withThreadOptions reads the thread once and refuses one that is not a Thread", () => {
    let reads = 0;
    const base = startThread()._unsafeUnwrap();
    const twoFaced = {
      ...base,
      get threadOptions() {
        reads++;
        return reads === 1 ? {} : { model: "--help" };
      },
    };
    const r = withThreadOptions(untyped(twoFaced), { sandboxMode: "read-only" })._unsafeUnwrap();
    expect(reads).toBe(1);
    expect(r.threadOptions).toEqual({ sandboxMode: "read-only" });
    expect(withThreadOptions(untyped(null), {})._unsafeUnwrapErr()).toMatchObject({
      _tag: "NotAThread",
      path: "thread",
    });
  });
});
