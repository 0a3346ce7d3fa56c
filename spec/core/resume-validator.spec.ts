/**
 * The resume validator: `validateResume(thread, observed?, deps)` checks a thread's
 * continuation token against its id and the observed session, and reports every call as
 * exactly one telemetry event.
 */
import { isRight } from "fp-ts/lib/Either.js";
import fc from "fast-check";
import { assertProperty } from "../support/property.js";

import {
  mintContinuationToken,
  recordingSink,
  resumeThread,
  startThread,
  validateResume,
  type MismatchReason,
  type Thread,
} from "../../lib/index.js";
import { TelemetryEvent } from "../../lib/codecs/index.js";
import { type ObservedSession } from "../../lib/codecs/index.js";
import { anyInput, validApiKey } from "../support/arbitraries.js";

const SECRET = "resume-secret";
const THREAD_ID = "01a20fb5-345b-7f51-b6d3-8f2a9ee94142";

const token = (
  claim: Partial<{ threadId: string; lastTurnId: string | null; completedTurns: number }> = {},
  secret: string | null = SECRET, // null: unsigned
) =>
  mintContinuationToken(
    { threadId: THREAD_ID, lastTurnId: "turn_2", completedTurns: 2, ...claim },
    secret ?? undefined,
  )._unsafeUnwrap();

const threadWith = (continuationToken: string | null, threadId = THREAD_ID): Thread =>
  resumeThread(threadId, { apiKey: "sk-test-key-0001" }, {}, { continuationToken })._unsafeUnwrap();

/** Runs the validator once with a recording sink; returns the result and the events. */
const run = (
  thread: Thread,
  observed?: ObservedSession,
  secret: string | null = SECRET,
  policy: { acceptLegacyTokens?: boolean; requireToken?: boolean } = {},
) => {
  const rec = recordingSink();
  const result = validateResume(thread, observed, {
    sink: rec.sink,
    ...policy,
    ...(secret ? { secret } : {}),
  });
  return { result, events: [...rec.events] };
};

const reasonOf = (
  thread: Thread,
  observed: ObservedSession | undefined,
  secret: string | null,
  policy: { acceptLegacyTokens?: boolean; requireToken?: boolean } = {},
) => {
  const { result, events } = run(thread, observed, secret, policy);
  expect(events).toHaveLength(1);
  if (result.isOk()) {
    expect(events[0]?.name).toBe("codex.thread.resume.validated");
    return "ok";
  }
  expect(result.error._tag).toBe("ContinuationMismatch");
  expect(events[0]).toMatchObject({ name: "codex.thread.resume.mismatch" });
  return result.error._tag === "ContinuationMismatch" ? result.error.reason : "other";
};

/** The own entries of `u` (hostile values may refuse: then none), for adding a sink. */
const ownEntries = (u: unknown): object => {
  try {
    return typeof u === "object" && u !== null ? { ...u } : {};
  } catch {
    return {};
  }
};

describe("validateResume", () => {
  it("returns the thread when its signed token matches the observed session", () => {
    const thread = threadWith(token());
    const { result, events } = run(thread, { completedTurns: 2, lastTurnId: "turn_2" });
    expect(result._unsafeUnwrap()).toBe(thread);
    expect(events).toEqual([
      {
        name: "codex.thread.resume.validated",
        timestamp: null,
        threadId: THREAD_ID,
        tokenKind: "signed",
        expected: { completedTurns: 2, lastTurnId: "turn_2" },
        observed: { completedTurns: 2, lastTurnId: "turn_2" },
      },
    ]);
  });

  it("accepts a token when nothing was observed", () => {
    expect(reasonOf(threadWith(token()), undefined, SECRET)).toBe("ok");
  });

  it("accepts a thread without a token (a fresh start), as token kind none", () => {
    const { result, events } = run(startThread()._unsafeUnwrap(), { completedTurns: 3 });
    expect(result.isOk()).toBe(true);
    expect(events[0]).toMatchObject({ tokenKind: "none", threadId: null });
  });

  it("accepts an unsigned token when no secret is configured", () => {
    const { events } = run(threadWith(token({}, null)), { completedTurns: 2 }, null);
    expect(events[0]).toMatchObject({ tokenKind: "unsigned" });
  });

  it("reports thread_id for a token minted for another thread", () => {
    expect(reasonOf(threadWith(token({ threadId: "thread_other" })), undefined, SECRET)).toBe(
      "thread_id",
    );
  });

  it("reports stale when the session has moved on since the token was minted", () => {
    const thread = threadWith(token());
    expect(reasonOf(thread, { completedTurns: 3, lastTurnId: "turn_3" }, SECRET)).toBe("stale");
    expect(reasonOf(thread, { lastTurnId: "turn_3" }, SECRET)).toBe("stale");
  });

  it("reports forked when the session's history diverges from the token", () => {
    const thread = threadWith(token());
    expect(reasonOf(thread, { completedTurns: 1 }, SECRET)).toBe("forked");
    expect(reasonOf(thread, { completedTurns: 2, lastTurnId: "turn_x" }, SECRET)).toBe("forked");
    expect(reasonOf(thread, { completedTurns: 2, forked: true }, SECRET)).toBe("forked");
  });

  it("reports signature for a token signed with another secret, or not signed", () => {
    expect(reasonOf(threadWith(token({}, "another secret")), undefined, SECRET)).toBe("signature");
    expect(reasonOf(threadWith(token({}, null)), undefined, SECRET)).toBe("signature");
  });

  it("reports malformed for a token that cannot be read (no secret), or an observation that cannot", () => {
    expect(reasonOf(threadWith("cfp1.bm90IGpzb24"), undefined, null)).toBe("malformed");
    expect(reasonOf(threadWith("cfp1.e30"), undefined, null)).toBe("malformed");
    expect(reasonOf(threadWith(token()), { completedTurns: -1 }, SECRET)).toBe("malformed");
    expect(reasonOf(threadWith(token()), { completedTurns: Number.NaN }, SECRET)).toBe("malformed");
    expect(reasonOf(threadWith(token()), { turns: 1 } as never, SECRET)).toBe("malformed");
  });

  it("reports malformed for a value that is not a thread at all, never Ok", () => {
    for (const notAThread of [Number.NaN, 0, "thread", null, undefined, [], true])
      expect(reasonOf(notAThread as unknown as Thread, undefined, SECRET)).toBe("malformed");
  });

  it("reports version for a token of a version it does not know (no secret)", () => {
    expect(reasonOf(threadWith(token().replace("cfp1.", "cfp7.")), undefined, null)).toBe(
      "version",
    );
  });

  it("a session that is there but cannot be read does not confirm a token (fail closed)", () => {
    const unreadable = { unreadable: "/store/rollout.jsonl: not a regular file: a folder" };
    const { result, events } = run(threadWith(token()), unreadable);
    expect(result._unsafeUnwrapErr()).toMatchObject({
      _tag: "ContinuationMismatch",
      reason: "unreadable",
    });
    expect(result._unsafeUnwrapErr().message).toContain("not a regular file");
    expect(events[0]).toMatchObject({ name: "codex.thread.resume.mismatch", reason: "unreadable" });
    // A thread without a token claims nothing: there is nothing to confirm.
    expect(run(threadWith(null), unreadable).result.isOk()).toBe(true);
  });

  it("with a secret, a token that cannot be read is not signed with it: signature", () => {
    for (const bad of ["cfp1.bm90IGpzb24", "cfp1.e30", "cfp7.e30", "CFP1.e30", `${token()}.`])
      expect([bad, reasonOf(threadWith(bad), undefined, SECRET)]).toEqual([bad, "signature"]);
  });

  it("builds the error from the reason, with both positions", () => {
    const { result, events } = run(threadWith(token()), { completedTurns: 5, lastTurnId: "t5" });
    expect(result._unsafeUnwrapErr()).toEqual({
      _tag: "ContinuationMismatch",
      path: "thread.continuationToken",
      message:
        "the thread has moved on since this continuation token was minted (a stale snapshot)",
      reason: "stale",
      threadId: THREAD_ID,
      expected: { completedTurns: 2, lastTurnId: "turn_2" },
      observed: { completedTurns: 5, lastTurnId: "t5" },
    });
    expect(events[0]).toEqual({
      name: "codex.thread.resume.mismatch",
      timestamp: null,
      threadId: THREAD_ID,
      reason: "stale",
      expected: { completedTurns: 2, lastTurnId: "turn_2" },
      observed: { completedTurns: 5, lastTurnId: "t5" },
    });
  });

  describe("with a legacy server token (opted in with acceptLegacyTokens)", () => {
    const legacy = () => threadWith("cont-auto-run", "thread_auto_123");
    const optIn = { acceptLegacyTokens: true };

    it("accepts it when it equals the one the server issued last", () => {
      const { result, events } = run(
        legacy(),
        { continuationToken: "cont-auto-run" },
        SECRET,
        optIn,
      );
      expect(result.isOk()).toBe(true);
      expect(events[0]).toMatchObject({ tokenKind: "legacy", expected: null });
    });

    it("reports stale when the server has issued another one since", () => {
      expect(reasonOf(legacy(), { continuationToken: "cont-auto-run-2" }, SECRET, optIn)).toBe(
        "stale",
      );
    });

    it("accepts it when there is nothing to compare it with", () => {
      expect(reasonOf(legacy(), { completedTurns: 4 }, SECRET, optIn)).toBe("ok");
    });

    it("reports forked when the session is known to be forked", () => {
      expect(
        reasonOf(legacy(), { continuationToken: "cont-auto-run", forked: true }, SECRET, optIn),
      ).toBe("forked");
    });
  });

  describe("the token policy with a secret", () => {
    it("refuses anything not signed with it: legacy, opaque, unsigned, another key", () => {
      for (const t of ["x", "cont-auto-run", token({}, null), token({}, "another-secret")])
        expect(reasonOf(threadWith(t), { completedTurns: 2, lastTurnId: "turn_2" }, SECRET)).toBe(
          "signature",
        );
    });

    it("accepts a legacy token without a secret, and with one only when opted in", () => {
      const legacy = threadWith("cont-auto-run");
      expect(reasonOf(legacy, {}, SECRET)).toBe("signature");
      expect(reasonOf(legacy, {}, SECRET, { acceptLegacyTokens: true })).toBe("ok");
      expect(run(legacy, {}, null).result.isOk()).toBe(true);
    });

    it("rejects an empty secret instead of verifying with the empty key", () => {
      const signedEmpty = `${token({}, null)}.${"A".repeat(43)}`;
      for (const t of [signedEmpty, token()]) {
        const rec = recordingSink();
        const r = validateResume(threadWith(t), {}, { sink: rec.sink, secret: "" });
        expect(r._unsafeUnwrapErr()).toMatchObject({ reason: "signature" });
        expect(r._unsafeUnwrapErr().message).toContain("non-empty string");
        expect(rec.events).toHaveLength(1);
      }
    });

    it("reports a signature it cannot check (no secret) as unverified, not signed", () => {
      const { result, events } = run(threadWith(token()), { completedTurns: 2 }, null);
      expect(result.isOk()).toBe(true);
      expect(events[0]).toMatchObject({ tokenKind: "unverified" });
      expect(run(threadWith(token()), { completedTurns: 2 }).events[0]).toMatchObject({
        tokenKind: "signed",
      });
    });

    it("with requireToken, refuses a resumed thread whose token is null", () => {
      expect(reasonOf(threadWith(null), {}, SECRET, { requireToken: true })).toBe("signature");
      expect(reasonOf(threadWith(null), {}, SECRET)).toBe("ok");
      const fresh = startThread({})._unsafeUnwrap();
      expect(reasonOf(fresh, undefined, SECRET, { requireToken: true })).toBe("ok");
    });
  });

  describe("a session that is not in the store", () => {
    it("is a SessionMissing error naming the store, reported as a mismatch (reason missing)", () => {
      const rec = recordingSink();
      const r = validateResume(
        threadWith(token()),
        {
          missingFrom: "/b/.codex/sessions",
        },
        { sink: rec.sink, secret: SECRET },
      );
      expect(r._unsafeUnwrapErr()).toMatchObject({
        _tag: "SessionMissing",
        store: "/b/.codex/sessions",
        threadId: THREAD_ID,
      });
      expect(r._unsafeUnwrapErr().message).toContain("/b/.codex/sessions");
      expect(rec.events).toEqual([
        expect.objectContaining({ name: "codex.thread.resume.mismatch", reason: "missing" }),
      ]);
      expect(rec.events.every((e) => isRight(TelemetryEvent.decode(e)))).toBe(true);
    });

    it("checks the token first: a forged token is a signature mismatch even then", () => {
      expect(reasonOf(threadWith("x"), { missingFrom: "/b/.codex/sessions" }, SECRET)).toBe(
        "signature",
      );
    });
  });

  it("emits exactly one event per call, and every event is a valid TelemetryEvent", () => {
    const observed = fc.record(
      {
        completedTurns: fc.oneof(fc.nat(4), fc.integer({ min: -2, max: 4 })),
        lastTurnId: fc.option(fc.constantFrom("turn_1", "turn_2", "turn_3"), { nil: null }),
        continuationToken: fc.constantFrom("cont-auto-run", "cont-other"),
        forked: fc.boolean(),
      },
      { requiredKeys: [] },
    );
    const tokens = fc.oneof(
      fc.constant(null),
      fc.constant("cont-auto-run"),
      fc
        .record({
          completedTurns: fc.nat(4),
          lastTurnId: fc.option(fc.constantFrom("turn_1", "turn_2"), { nil: null }),
        })
        .chain((c) => fc.constantFrom(token(c), token(c, "other"), token(c, null), `x${token(c)}`)),
    );
    assertProperty(
      fc.property(tokens, observed, fc.boolean(), (tk, o, withSecret) => {
        const { result, events } = run(threadWith(tk), o, withSecret ? SECRET : null);
        expect(events).toHaveLength(1);
        expect(isRight(TelemetryEvent.decode(events[0]))).toBe(true);
        expect(events[0]?.name).toBe(
          result.isOk() ? "codex.thread.resume.validated" : "codex.thread.resume.mismatch",
        );
      }),
      { numRuns: 300 },
    );
  });

  it("lets no secret into events or errors", () => {
    assertProperty(
      fc.property(validApiKey, fc.boolean(), (apiKey, matching) => {
        const thread = resumeThread(
          THREAD_ID,
          { apiKey, env: { OPENAI_API_KEY: apiKey } },
          {},
          { continuationToken: token({}, matching ? SECRET : "other-secret") },
        )._unsafeUnwrap();
        const { result, events } = run(thread, { completedTurns: 2 });
        const shown = JSON.stringify(events) + JSON.stringify(result.isErr() ? result.error : {});
        expect(shown).not.toContain(apiKey);
        expect(shown).not.toContain(SECRET);
        expect(shown).not.toContain("other-secret");
      }),
      { numRuns: 50 },
    );
  });

  it("is not broken by a sink that throws", () => {
    const thread = threadWith(token());
    const throwing = () => {
      throw new Error("sink down");
    };
    expect(validateResume(thread, undefined, { sink: throwing, secret: SECRET }).isOk()).toBe(true);
    expect(
      validateResume(thread, { completedTurns: 9 }, { sink: throwing, secret: SECRET }).isErr(),
    ).toBe(true);
  });

  it("reads no clock unless one is given", () => {
    const RealDate = Date;
    let clockReads = 0;
    class WatchedDate extends RealDate {
      constructor(...args: []) {
        if (args.length === 0) clockReads += 1;
        super(...args);
      }
      static override now(): number {
        clockReads += 1;
        return RealDate.now();
      }
    }
    globalThis.Date = WatchedDate as DateConstructor;
    try {
      const { events } = run(threadWith(token()), { completedTurns: 2 });
      expect(events[0]?.timestamp).toBeNull();
      expect(clockReads).toBe(0);
    } finally {
      globalThis.Date = RealDate;
    }
    const rec = recordingSink();
    validateResume(threadWith(token()), undefined, {
      sink: rec.sink,
      secret: SECRET,
      now: () => new Date(0),
    });
    expect(rec.events[0]?.timestamp).toBe("1970-01-01T00:00:00.000Z");
  });

  it("does not fail a resume because the injected clock fails", () => {
    const rec = recordingSink();
    const r = validateResume(threadWith(token()), undefined, {
      sink: rec.sink,
      secret: SECRET,
      now: () => new Date(Number.NaN),
    });
    expect(r.isOk()).toBe(true);
    expect(rec.events[0]?.timestamp).toBeNull();
  });

  it("covers every mismatch reason", () => {
    const reasons: MismatchReason[] = [
      "thread_id",
      "stale",
      "forked",
      "signature",
      "malformed",
      "version",
      "unreadable",
    ];
    const seen = new Set([
      reasonOf(
        threadWith(token()),
        { unreadable: "/store/rollout.jsonl: not a regular file" },
        SECRET,
      ),
      reasonOf(threadWith(token({ threadId: "thread_x" })), undefined, SECRET),
      reasonOf(threadWith(token()), { completedTurns: 3 }, SECRET),
      reasonOf(threadWith(token()), { completedTurns: 1 }, SECRET),
      reasonOf(threadWith(token({}, "x")), undefined, SECRET),
      reasonOf(threadWith("cfp1.e30"), undefined, null),
      reasonOf(threadWith("cfp2.e30"), undefined, null),
    ]);
    expect([...seen].sort()).toEqual([...reasons].sort());
  });

  it("never throws and always emits one event, whatever it is given", () => {
    assertProperty(
      fc.property(anyInput, anyInput, anyInput, (deps, thread, observed) => {
        const rec = recordingSink();
        const withSink = { ...ownEntries(deps.make()), sink: rec.sink };
        expect(() =>
          validateResume(thread.make() as Thread, observed.make() as never, withSink as never),
        ).not.toThrow();
        expect(rec.events).toHaveLength(1);
        expect(() =>
          validateResume(thread.make() as Thread, observed.make() as never, deps.make() as never),
        ).not.toThrow();
      }),
      { numRuns: 300 },
    );
  });
});
