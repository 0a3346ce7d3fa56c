/**
 * The machinery of the "never throw, never reject" specs (issue 13, part 3): the hostile values
 * put in each argument slot, a bounded probe of one call (no throw, no rejection, no hang), and
 * the argument grid every public function is called with.
 */
import { revokedProxy, throwingConversions, throwingGetter, throwingProxy } from "./arbitraries.js";

/** The hostile values put in each slot. */
export const HOSTILE: ReadonlyArray<readonly [string, () => unknown]> = [
  ["null", () => null],
  ["undefined", () => undefined],
  ["a throwing getter", () => throwingGetter("threadId")],
  ["a throwing Proxy", () => throwingProxy()],
  ["a revoked Proxy", () => revokedProxy()],
  ["an object whose conversions throw", () => throwingConversions()],
  ["a BigInt", () => 10n],
  ["a Symbol", () => Symbol("hostile")],
  ["a huge string", () => "x".repeat(1_000_000)],
];

/** Argument slots filled per call. */
export const SLOTS = 4;
/** How long a call may take to settle before it counts as hung. */
export const BOUND_MS = 20_000;

/** How a call broke, or null when it returned (or settled) normally. */
export type Outcome = { kind: "threw" | "rejected" | "hung"; detail: string } | null;

/** One argument list of the grid, with what it holds, for messages. */
export interface ArgSet {
  readonly label: string;
  readonly args: () => unknown[];
  /** No hostile value: what it returns is worth calling again (a curried step, a method). */
  readonly base: boolean;
}

const baseArgs = (base: "undefined" | "{}"): unknown[] =>
  Array.from({ length: SLOTS }, () => (base === "undefined" ? undefined : {}));

/**
 * Every argument list: the two bases (all slots undefined, all `{}`), then each hostile value in
 * each slot of each base.
 */
export const argGrid = (): ArgSet[] => {
  const out: ArgSet[] = [];
  for (const base of ["undefined", "{}"] as const) {
    out.push({ label: `all ${base}`, args: () => baseArgs(base), base: true });
    for (let slot = 0; slot < SLOTS; slot++)
      for (const [what, make] of HOSTILE)
        out.push({
          label: `slot ${slot} = ${what}, others ${base}`,
          args: () => {
            const a = baseArgs(base);
            a[slot] = make();
            return a;
          },
          base: false,
        });
  }
  return out;
};

/** True for a neverthrow Result (sync). */
const isResult = (v: unknown): v is { isOk(): boolean; value?: unknown } =>
  typeof v === "object" &&
  v !== null &&
  typeof (v as { isOk?: unknown }).isOk === "function" &&
  typeof (v as { isErr?: unknown }).isErr === "function";

/** What a call produced, seen through a Result: the Ok value, else the value itself. */
export const produced = (v: unknown): unknown =>
  isResult(v) ? (v.isOk() ? (v as { value: unknown }).value : undefined) : v;

/** Closes what a call opened (an app-server, a model stub, a sandbox), when it returned one. */
export const closeIfOpen = async (v: unknown): Promise<void> => {
  try {
    await closeOne(v);
  } catch {
    // a hostile value handed back: nothing of ours to close
  }
};

const closeOne = async (v: unknown): Promise<void> => {
  const o = produced(v) as { close?: unknown; dispose?: unknown } | null | undefined;
  if (typeof o !== "object" && typeof o !== "function") return;
  if (o === null || o === undefined) return;
  for (const key of ["close", "dispose"] as const) {
    const f = o[key];
    if (typeof f === "function") await Promise.resolve(f.call(o) as unknown).catch(() => undefined);
  }
};

/**
 * Calls `fn(...args)` and waits (bounded) for what it returned to settle: a promise, a
 * ResultAsync or a streamed turn's `outcome`. `onValue` sees the settled value before it is
 * closed (it may call its methods); a broken call is reported, never thrown.
 */
export const probe = async (
  fn: (...a: unknown[]) => unknown,
  args: unknown[],
  onValue: (v: unknown) => Promise<void> = async () => undefined,
): Promise<Outcome> => {
  let returned: unknown;
  try {
    returned = fn(...args);
  } catch (e) {
    return { kind: "threw", detail: String(e) };
  }
  // A thunk (a TaskEither) is run: what it returns is what settles.
  if (typeof returned === "function" && returned.length === 0)
    try {
      returned = (returned as () => unknown)();
    } catch (e) {
      return { kind: "threw", detail: `when run: ${String(e)}` };
    }
  // A streamed turn: its outcome is what settles. (A function may hand back its hostile
  // argument: what cannot be inspected is taken as it is.)
  let thenable = false;
  try {
    if (typeof returned === "object" && returned !== null && "outcome" in returned)
      returned = (returned as { outcome: unknown }).outcome;
    thenable = typeof (returned as { then?: unknown } | null)?.then === "function";
  } catch {
    thenable = false;
  }
  const settle = async (v: unknown): Promise<null> => {
    try {
      await onValue(v);
    } finally {
      await closeIfOpen(v);
    }
    return null;
  };
  if (!thenable) return settle(returned);
  let timer: NodeJS.Timeout | undefined;
  const hung = new Promise<Outcome>((res) => {
    timer = setTimeout(() => res({ kind: "hung", detail: `${BOUND_MS} ms` }), BOUND_MS);
  });
  const settled = (returned as Promise<unknown>).then(settle, (e: unknown) => ({
    kind: "rejected" as const,
    detail: String(e),
  }));
  try {
    return await Promise.race([settled, hung]);
  } finally {
    clearTimeout(timer);
  }
};
