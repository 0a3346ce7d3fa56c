/**
 * Never throw, never reject (issue 13, part 3): every public runtime function exported from
 * lib/index.ts and its subpaths, called with a hostile value in each argument slot (the others left undefined,
 * or `{}`), returns: no synchronous throw, no rejection, no hang (each call is bounded by a
 * timer). A function that returns a Result gives an Err or an Ok. The exports that are not
 * functions to call (codecs, classes, constants) are skipped by name, with the reason. The
 * session store is a fresh temp CODEX_HOME, so nothing reads or starts anything of the host's.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

import * as advanced from "../../lib/advanced/index.js";
import * as appServer from "../../lib/app-server/index.js";
import * as codecs from "../../lib/codecs/index.js";
import * as root from "../../lib/index.js";
import * as sessions from "../../lib/sessions/index.js";

/** The public surface: the root and its subpaths (codex-fp, /advanced, /app-server …). */
const api: Record<string, unknown> = { ...codecs, ...advanced, ...appServer, ...sessions, ...root };
import { throwingGetter, throwingProxy } from "../support/arbitraries.js";

/** Exports that are not functions to call with arguments, and why. */
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
 * Functions that still throw on hostile values. Each is run all the same and must still break:
 * when one is fixed, this list says so (the test fails until its entry is removed). The helpers
 * over values the library built itself return a Result in their public form (codex-fp/advanced,
 * codex-fp/sessions) or, where they return a plain value, a neutral one (`logLength` 0,
 * `logToArray` [], `parseRolloutName` null …).
 */
const PENDING: Record<string, string> = {};

const isCodec = (v: unknown): boolean =>
  typeof v === "object" && v !== null && "decode" in v && "is" in v && "encode" in v;

/** The hostile values put in each slot. */
const HOSTILE: Array<[string, () => unknown]> = [
  ["null", () => null],
  ["undefined", () => undefined],
  ["a throwing getter", () => throwingGetter("threadId")],
  ["a throwing Proxy", () => throwingProxy()],
  ["a BigInt", () => 10n],
  ["a Symbol", () => Symbol("hostile")],
  ["a huge string", () => "x".repeat(1_000_000)],
];

const SLOTS = 4;
const BOUND_MS = 20_000;

type Outcome = { kind: "threw" | "rejected" | "hung"; detail: string } | null;

/** Calls `fn(...args)`: null when it returned (or resolved), else how it broke. */
const probe = async (fn: (...a: unknown[]) => unknown, args: unknown[]): Promise<Outcome> => {
  let returned: unknown;
  try {
    returned = fn(...args);
  } catch (e) {
    return { kind: "threw", detail: String(e) };
  }
  // A streamed turn: its outcome is what settles.
  if (typeof returned === "object" && returned !== null && "outcome" in returned)
    returned = (returned as { outcome: unknown }).outcome;
  if (typeof (returned as { then?: unknown } | null)?.then !== "function") {
    await closeIfOpen(returned);
    return null;
  }
  let timer: NodeJS.Timeout | undefined;
  const hung = new Promise<Outcome>((res) => {
    timer = setTimeout(() => res({ kind: "hung", detail: `${BOUND_MS} ms` }), BOUND_MS);
  });
  const settled = (returned as Promise<unknown>).then(
    async (v) => {
      await closeIfOpen(v);
      return null;
    },
    (e: unknown) => ({ kind: "rejected" as const, detail: String(e) }),
  );
  try {
    return await Promise.race([settled, hung]);
  } finally {
    clearTimeout(timer);
  }
};

/** Closes what a call opened (an app-server connection), when it returned one. */
const closeIfOpen = async (v: unknown): Promise<void> => {
  const r = v as { isOk?: () => boolean; value?: { close?: () => unknown } } | null;
  if (typeof r?.isOk === "function" && r.isOk() && typeof r.value?.close === "function")
    await Promise.resolve(r.value.close()).catch(() => undefined);
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

  const callable = Object.entries(api).filter(
    ([name, v]) => typeof v === "function" && !isCodec(v) && !(name in SKIPPED),
  ) as Array<[string, (...a: unknown[]) => unknown]>;
  const functions = callable.filter(([name]) => !(name in PENDING));
  const pending = callable.filter(([name]) => name in PENDING);

  it("finds the functions to call (and skips only what is listed)", () => {
    expect(functions.length).toBeGreaterThan(30);
    for (const name of [...Object.keys(SKIPPED), ...Object.keys(PENDING)])
      expect(api).toHaveProperty(name);
  });

  /** How `fn` broke under every hostile value in every slot (empty when it never did). */
  const breakages = async (name: string, fn: (...a: unknown[]) => unknown): Promise<string[]> => {
    const broke: string[] = [];
    for (const base of [undefined, {}] as const)
      for (let slot = 0; slot < SLOTS; slot++)
        for (const [what, make] of HOSTILE) {
          const args: unknown[] = Array.from({ length: SLOTS }, () =>
            base === undefined ? undefined : {},
          );
          args[slot] = make();
          const outcome = await probe(fn, args);
          if (outcome !== null)
            broke.push(
              `${name}(slot ${slot} = ${what}, others ${String(base === undefined ? "undefined" : "{}")}): ${outcome.kind}: ${outcome.detail.slice(0, 200)}`,
            );
        }
    return broke;
  };

  it.each(functions)(
    "%s: no throw, no rejection, no hang",
    async (name, fn) => expect(await breakages(name, fn)).toEqual([]),
    120_000,
  );

  it("every PENDING function still breaks (remove it from PENDING once it passes)", async () => {
    for (const [name, fn] of pending) expect((await breakages(name, fn)).length).toBeGreaterThan(0);
  }, 600_000);
});
