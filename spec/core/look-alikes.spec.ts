/**
 * Values that pass a shallow check and then betray it (issue 13, parts 2 and 3): a Redacted box
 * around a two-faced `env`, AbortSignal look-alikes, a revoked Proxy, and an `async` sink whose
 * promise rejects. Each is either taken once (what was checked is what is kept) or refused with a
 * typed error; none throws, and none leaves an unhandled rejection behind.
 */
import { Redacted, resumeThread, startThread, Thread, TurnOptions } from "../../lib/index.js";
import { mintContinuationToken } from "../../lib/core/continuation.js";
import { twoFaced } from "../support/two-faced.js";
import { isRealAbortSignal } from "../../lib/core/decoding/signal.js";
import { emit, type TelemetryEvent } from "../../lib/core/telemetry.js";
import { validateResume } from "../../lib/core/resume-validator.js";
import { foldTurn } from "../../lib/core/fold.js";
import { revokedProxy } from "../support/arbitraries.js";
import { okOf } from "../support/results.js";
import { untyped } from "../support/untyped.js";

/** An env whose CODEX_HOME answers `first` on its first read and `then` after. */
const twoFacedEnv = (first: string, then: unknown): Record<string, string> => {
  let reads = 0;
  return Object.defineProperty({ PATH: "/usr/bin" }, "CODEX_HOME", {
    enumerable: true,
    get: () => (reads++ === 0 ? first : then),
  }) as Record<string, string>;
};

describe("a Redacted box is copied with what it holds", () => {
  it("a two-faced env inside a box keeps the value that was checked", () => {
    const t = okOf(
      startThread({ env: Redacted.of(twoFacedEnv("/checked/home", "/attacker/home")) }, {}),
    );
    expect(Thread.is(t)).toBe(true);
    expect(t.codexOptions.env?.reveal()["CODEX_HOME"]).toBe("/checked/home");
  });

  it("a second answer that would be refused (a NUL) never reaches the thread", () => {
    const t = okOf(startThread({ env: Redacted.of(twoFacedEnv("/checked/home", "a\u0000b")) }));
    expect(t.codexOptions.env?.reveal()["CODEX_HOME"]).toBe("/checked/home");
  });

  it("a box around a value that cannot be read is an InvalidOptions error at its path", () => {
    const r = startThread({ env: Redacted.of(untyped(revokedProxy())) });
    expect(r._unsafeUnwrapErr()).toMatchObject({ _tag: "InvalidOptions" });
  });
});

describe("AbortSignal look-alikes", () => {
  const real = () => new AbortController().signal;
  const withOwnGetter = () =>
    Object.defineProperty(real(), "aborted", { get: () => false, enumerable: true });

  it.each([
    ["a real signal", true, real],
    ["AbortSignal.timeout", true, () => AbortSignal.timeout(1000)],
    ["AbortSignal.any", true, () => AbortSignal.any([real()])],
    ["an aborted signal", true, () => AbortSignal.abort()],
    ["Object.create(AbortSignal.prototype)", false, () => Object.create(AbortSignal.prototype)],
    ["a Proxy over a real signal", false, () => new Proxy(real(), {})],
    ["a real signal with its own aborted getter", false, withOwnGetter],
    ["a revoked Proxy", false, revokedProxy],
    ["a plain object", false, () => ({ aborted: false })],
  ])("%s is a real signal: %p", (_what, expected, make) => {
    expect(isRealAbortSignal(make())).toBe(expected);
  });

  it.each([
    ["Object.create(AbortSignal.prototype)", () => Object.create(AbortSignal.prototype) as unknown],
    ["a Proxy over a real signal", () => new Proxy(real(), {})],
    ["a real signal with its own aborted getter", withOwnGetter],
  ])("the turn options refuse %s at turnOptions.signal", (_what, make) => {
    const r = TurnOptions.decode({ signal: make() });
    expect(r._tag).toBe("Left");
    expect(TurnOptions.decode({ signal: real() })._tag).toBe("Right");
  });
});

describe("a revoked Proxy where a thread goes", () => {
  it("foldTurn returns an error, it does not throw", () => {
    expect(() => foldTurn(untyped(revokedProxy()), [])).not.toThrow();
    expect(foldTurn(untyped(revokedProxy()), []).isErr()).toBe(true);
  });
});

describe("an async sink that rejects", () => {
  /** Runs `f`, then lets the microtasks and a macrotask pass; returns the rejections left unhandled. */
  const unhandledDuring = async (f: () => void): Promise<unknown[]> => {
    const seen: unknown[] = [];
    const onRejection = (reason: unknown) => seen.push(reason);
    process.on("unhandledRejection", onRejection);
    try {
      f();
      await new Promise((r) => setTimeout(r, 20));
    } finally {
      process.off("unhandledRejection", onRejection);
    }
    return seen;
  };
  const rejecting = async (_e: TelemetryEvent): Promise<void> => {
    throw new Error("the sink failed");
  };

  it("emit leaves no unhandled rejection", async () => {
    const event: TelemetryEvent = {
      name: "codex.thread.resume.validated",
      timestamp: null,
      threadId: null,
      tokenKind: "none",
      expected: null,
      observed: null,
    };
    expect(await unhandledDuring(() => emit(rejecting, event))).toEqual([]);
  });

  it("validateResume reports through it and leaves no unhandled rejection", async () => {
    const thread = okOf(startThread());
    expect(
      await unhandledDuring(() => {
        expect(validateResume(thread, undefined, { sink: rejecting }).isOk()).toBe(true);
      }),
    ).toEqual([]);
  });

  it("a returned thenable whose then getter throws is ignored too", async () => {
    const sink = () =>
      untyped({
        get then() {
          throw new Error("then");
        },
      });
    const thread = okOf(startThread());
    expect(validateResume(thread, undefined, { sink }).isOk()).toBe(true);
  });
});

describe("an output schema is kept as the JSON it was validated as", () => {
  it("a toJSON that answers twice is run once: what is kept is plain data", () => {
    let calls = 0;
    const schema = {
      toJSON: () => (calls++ === 0 ? { type: "object" } : { type: "string", evil: true }),
    };
    const r = TurnOptions.decode({ outputSchema: schema });
    if (r._tag === "Left") throw new Error("expected the schema to decode");
    const kept = r.right.outputSchema;
    expect(kept).toEqual({ type: "object" });
    expect(JSON.stringify(kept)).toBe(JSON.stringify(kept));
    expect(JSON.stringify(kept)).toBe('{"type":"object"}');
  });
});

describe("validateResume returns the thread it checked", () => {
  it("a two-faced token: the thread returned holds the token that was verified", () => {
    const secret = "the validator's secret";
    const claim = {
      threadId: "0199a0f0-0000-7000-8000-0000000000dd",
      lastTurnId: null,
      completedTurns: 0,
    };
    const signed = okOf(mintContinuationToken(claim, secret));
    const base = okOf(resumeThread(claim.threadId, {}, {}, { continuationToken: signed }));
    const hostile = twoFaced(base, "continuationToken", signed, "forged-afterwards");
    const r = validateResume(hostile, undefined, { sink: () => undefined, secret });
    expect(okOf(r).continuationToken).toBe(signed);
    expect(Thread.is(okOf(r))).toBe(true);
  });
});
