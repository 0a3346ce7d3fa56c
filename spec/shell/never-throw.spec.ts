/**
 * Never throw, never reject (issue 13, part 3): every public runtime function exported from
 * lib/index.ts and each subpath of package.json's "exports" (codecs, sessions, app-server,
 * advanced, testing, otel, fleet), called with a hostile value in each argument slot (the others
 * left undefined, or `{}`), returns: no synchronous throw, no rejection, no hang (each call is
 * bounded by a timer). What a call with plain arguments returns is tried in turn: a returned
 * function (a curried step, a sink) and the methods of a returned object (a model stub, an
 * app-server and its transport, a recording sink) get the same hostile values; a returned thunk
 * (a TaskEither) is run. The exports that are not functions to call (codecs, classes, constants)
 * are skipped, each function by name with the reason. The session store is a fresh temp
 * CODEX_HOME, so nothing reads or starts anything of the host's.
 */
import { readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

import * as t from "io-ts";

import { throwingProxy } from "../support/arbitraries.js";
import { argGrid, probe, produced } from "../support/hostile.js";
import * as fleet from "../../lib/fleet/index.js";
import * as otel from "../../lib/otel/index.js";
import * as testing from "../../lib/testing/index.js";
import { SUBPATHS } from "../support/subpaths.js";

/** Exported functions that are not called with hostile arguments, and why. */
const SKIPPED: Record<string, string> = {
  Redacted: "a class (constructed with `new`, it holds any value)",
  // fp-ts adapters: they convert a Result the caller already holds; their inputs are typed.
  toEither: "an adapter over a neverthrow Result (typed input, no validation promised)",
  fromEither: "an adapter over an fp-ts Either (typed input, no validation promised)",
  toTaskEither: "an adapter over a ResultAsync (typed input, no validation promised)",
  fromTaskEither: "an adapter over a TaskEither (typed input, no validation promised)",
  eitherK: "a higher-order adapter: it wraps the caller's own function",
  taskEitherK: "a higher-order adapter: it wraps the caller's own function",
};

/**
 * Methods of returned objects that are not called with hostile arguments, and why. `close` and
 * `dispose` are called (without arguments) once each call's value has been tried.
 */
const METHODS_SKIPPED: Record<string, string> = {
  close: "called once, without arguments, when the value is put away",
  dispose: "called once, without arguments, when the value is put away",
  reopen: "starts a second app-server process per call: spec/shell/app-server.spec.ts covers it",
};

/**
 * Returned objects not built here, and why: their methods are covered elsewhere. A `Fleet` and a
 * `FleetWorker` exist only on a live Redis (spec/fleet runs them against one); here `openFleet`
 * and `startFleetWorker` are called, and refuse every hostile value before connecting.
 */
export const NOT_BUILT: Record<string, string> = {
  Fleet: "needs Redis (spec/fleet/*.spec.ts)",
  FleetWorker: "needs Redis (spec/fleet/*.spec.ts)",
};

/**
 * Functions that still throw on hostile values. Each is run all the same and must still break:
 * when one is fixed, this list says so (the test fails until its entry is removed).
 */
const PENDING: Record<string, string> = {};

/**
 * Methods of returned objects that still throw, by path (`function().method`), with the reason
 * they are not fixed here. Each is run all the same and must still break.
 */
const METHODS_PENDING: Record<string, string> = {};

/** The paths tried below the exported functions (`f()`, `f().method`), and how often each broke. */
const reached = new Map<string, number>();

/** True for an io-ts codec (its methods are tried by spec/shell/never-throw-codecs.spec.ts). */
const isCodec = (v: unknown): boolean => v instanceof t.Type;

/** Every exported function once (re-exports of one function are one entry), with its subpaths. */
const exportedFunctions = (): Array<[string, (...a: unknown[]) => unknown]> => {
  const seen = new Map<unknown, string>();
  for (const [sub, mod] of Object.entries(SUBPATHS))
    for (const [name, v] of Object.entries(mod))
      if (typeof v === "function" && !isCodec(v) && !seen.has(v)) seen.set(v, `${name}`);
      else if (typeof v === "function" && seen.get(v) !== name) seen.set(v, `${name} (${sub})`);
  return [...seen].map(([fn, name]) => [name, fn as (...a: unknown[]) => unknown]);
};

/** Prototypes whose methods are JavaScript's, not the library's. */
const BUILT_IN: ReadonlySet<unknown> = new Set([
  Object.prototype,
  Array.prototype,
  Function.prototype,
  Map.prototype,
  Set.prototype,
  Promise.prototype,
  Error.prototype,
]);

/** True for a value whose methods are tried: an object of the library's (not an array, a promise). */
const isLibraryObject = (v: unknown): v is object =>
  typeof v === "object" &&
  v !== null &&
  !Array.isArray(v) &&
  !isCodec(v) &&
  !(v instanceof Promise) &&
  !(v instanceof Error) &&
  typeof (v as { then?: unknown }).then !== "function";

/** The own and inherited methods of a returned object (class instances included). */
const methodsOf = (o: object): Array<[string, (...a: unknown[]) => unknown]> => {
  const out = new Map<string, (...a: unknown[]) => unknown>();
  for (let p: object | null = o; p !== null && !BUILT_IN.has(p); p = Object.getPrototypeOf(p))
    for (const key of Object.getOwnPropertyNames(p)) {
      if (key === "constructor" || out.has(key) || key in METHODS_SKIPPED) continue;
      const desc = Object.getOwnPropertyDescriptor(p, key);
      const v: unknown = desc?.value;
      if (typeof v === "function" && !isCodec(v))
        out.set(key, (...a: unknown[]) => (v as (...b: unknown[]) => unknown).apply(o, a));
    }
  return [...out];
};

/** Plain objects held by a returned object (an app-server's transport, a sink's events …). */
const nestedOf = (o: object): Array<[string, object]> =>
  Object.entries(o).filter((e): e is [string, object] => isLibraryObject(e[1]));

/**
 * How `fn` broke under every hostile value in every slot (empty when it never did). At `depth`
 * above 0, what a call with plain arguments returns is tried too: a function with the same
 * hostile values, an object's methods (and those of the objects it holds).
 */
const breakages = async (
  name: string,
  fn: (...a: unknown[]) => unknown,
  depth: number,
  path: string = name,
): Promise<string[]> => {
  const broke: string[] = [];
  /** Tries what was reached at `at`: its breakages count as pending when it is listed. */
  const below = async (at: string, label: string, f: (...a: unknown[]) => unknown, d: number) => {
    const found = await breakages(label, f, d, at);
    reached.set(at, (reached.get(at) ?? 0) + found.length);
    if (!(at in METHODS_PENDING)) broke.push(...found);
  };
  const tryValue = (label: string) => async (returned: unknown) => {
    if (depth === 0) return;
    const v = produced(returned);
    if (typeof v === "function" && !isCodec(v))
      await below(`${path}()()`, `${label}(…)`, v as (...a: unknown[]) => unknown, depth - 1);
    else if (isLibraryObject(v)) await tryObject(`${path}()`, label, v, depth);
  };
  const tryObject = async (at: string, label: string, o: object, d: number): Promise<void> => {
    for (const [key, m] of methodsOf(o)) await below(`${at}.${key}`, `${label}.${key}`, m, d - 1);
    if (d > 1)
      for (const [key, inner] of nestedOf(o))
        await tryObject(`${at}.${key}`, `${label}.${key}`, inner, d - 1);
  };
  for (const set of argGrid()) {
    const label = `${name}(${set.label})`;
    const outcome = await probe(fn, set.args(), set.base ? tryValue(label) : undefined);
    if (outcome !== null) broke.push(`${label}: ${outcome.kind}: ${outcome.detail.slice(0, 200)}`);
  }
  return broke;
};

describe("every public function, hostile values in every slot", () => {
  let home = "";
  const saved = { CODEX_HOME: process.env["CODEX_HOME"], HOME: process.env["HOME"] };
  beforeAll(async () => {
    home = await mkdtemp(join(tmpdir(), "codex-fp-never-throw-"));
    process.env["CODEX_HOME"] = home;
    process.env["HOME"] = home;
  });
  afterAll(async () => {
    for (const [k, v] of Object.entries(saved))
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    await rm(home, { recursive: true, force: true });
  });

  const callable = exportedFunctions().filter(([name]) => !(name in SKIPPED));
  const functions = callable.filter(([name]) => !(name in PENDING));
  const pending = callable.filter(([name]) => name in PENDING);

  it("covers every subpath of package.json's exports", () => {
    const pkg = JSON.parse(readFileSync("package.json", "utf8")) as { exports: object };
    const subpaths = Object.keys(pkg.exports).filter((k) => k !== "./package.json");
    expect(Object.keys(SUBPATHS).sort()).toEqual(subpaths.sort());
  });

  it("finds the functions to call (and skips only what is exported)", () => {
    expect(functions.length).toBeGreaterThan(40);
    const names = new Set(Object.values(SUBPATHS).flatMap((m) => Object.keys(m)));
    for (const name of [...Object.keys(SKIPPED), ...Object.keys(PENDING)])
      expect([name, names.has(name)]).toEqual([name, true]);
    for (const name of ["otelSink", "turnSpanName", "defaultScript", "defaultUsage"])
      expect(functions.map(([n]) => n)).toContain(name);
    expect(functions.map(([n]) => n)).toEqual(
      expect.arrayContaining(["storeNamespace", "openFleet"]),
    );
  });

  it.each(functions)(
    "%s: no throw, no rejection, no hang (nor what it returns)",
    async (name, fn) => expect(await breakages(name, fn, 2)).toEqual([]),
    300_000,
  );

  it("every PENDING function still breaks (remove it from PENDING once it passes)", async () => {
    for (const [name, fn] of pending)
      expect((await breakages(name, fn, 2)).length).toBeGreaterThan(0);
  }, 600_000);

  it("the functions that return no Result fall back to documented values", () => {
    const proxy = throwingProxy();
    expect(otel.turnSpanName(proxy as never)).toBe(otel.turnSpanName());
    expect(otel.turnSpanName(Symbol("x") as unknown as string)).toBe("invoke_agent codex");
    expect(typeof otel.otelSink(proxy as never)).toBe("function");
    const reply = testing.defaultScript(proxy as never);
    expect(reply).toEqual({ kind: "text", text: "Hello from stub 0: " });
    expect(testing.defaultUsage(proxy as never, proxy as never)).toEqual({
      inputTokens: 0,
      cachedInputTokens: 0,
      outputTokens: 0,
      reasoningOutputTokens: 0,
    });
    expect(testing.defaultUsage(proxy as never, reply).inputTokens).toBe(12);
    expect(fleet.storeNamespace(proxy as never)).toBe("codex-fp:");
    expect(fleet.storeNamespace("q")).toBe("codex-fp:q");
  });

  it("tried what the calls returned: curried steps, sinks, thunks, methods", () => {
    for (const path of [
      "runTurnWith()()",
      "validateResumeWith()()",
      "otelSink()()",
      "recordingSink().sink",
      "recordingSink().clear",
      "startModelStub().providerConfig",
      "startModelStub().providerArgs",
      "openAppServer().pid",
      "openAppServer().info",
      "openAppServer().transport.startTurn",
    ])
      expect([path, reached.has(path)]).toEqual([path, true]);
  });

  it("every METHODS_PENDING method was reached and still breaks (remove it once it passes)", () => {
    for (const path of Object.keys(METHODS_PENDING))
      expect([path, (reached.get(path) ?? 0) > 0]).toEqual([path, true]);
  });
});
