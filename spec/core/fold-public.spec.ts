/**
 * The public fold: `stepTurn`, `finishTurn`, `splitUsage`. Events are built through the event
 * codec, as every transport builds them.
 */
import fc from "fast-check";
import { assertProperty } from "../support/property.js";
import {
  decodeContinuationToken,
  mintContinuationToken,
  resumeThread,
  startThread,
  type Thread,
  type ThreadEvent,
  type Usage,
} from "../../lib/index.js";
import { decodeEventValue } from "../../lib/codecs/index.js";
import {
  finishTurn,
  foldTurn,
  initialTurnState,
  logLength,
  logToArray,
  splitUsage,
  stepTurn,
  type TurnState,
} from "../../lib/advanced/index.js";
import { validUsage } from "../support/arbitraries.js";

const ev = (e: object): ThreadEvent => decodeEventValue(e)._unsafeUnwrap();
const thread = startThread({})._unsafeUnwrap();
const THREAD = "0199a213-81c0-7800-8aa1-bbab2a035a53";
const started = ev({ type: "thread.started", thread_id: THREAD });
const turnStarted = ev({ type: "turn.started" });
const completed = ev({
  type: "turn.completed",
  usage: { input_tokens: 10, cached_input_tokens: 0, output_tokens: 5 },
});
const message = (id: string, text: string) =>
  ev({ type: "item.completed", item: { id, type: "agent_message", text } });

const steps = (s: TurnState, events: readonly ThreadEvent[]): TurnState =>
  events.reduce((acc, e) => stepTurn(acc, e)._unsafeUnwrap(), s);

describe("stepTurn", () => {
  it("moves start → thread → turn → completed", () => {
    const phases = [started, turnStarted, completed].reduce<string[]>(
      (acc, e, i, all) => [...acc, steps(initialTurnState(thread), all.slice(0, i + 1)).phase],
      [],
    );
    expect(phases).toEqual(["thread", "turn", "completed"]);
  });

  it.each([
    ["missing_thread_started", [turnStarted]],
    ["out_of_order", [started, started]],
    ["out_of_order", [started, turnStarted, turnStarted]],
    ["out_of_order", [started, completed]],
    ["after_completion", [started, turnStarted, completed, message("m", "late")]],
  ] as const)("refuses a stream with %s", (violation, events) => {
    const before = steps(initialTurnState(thread), events.slice(0, -1));
    const last = events[events.length - 1] as ThreadEvent;
    expect(stepTurn(before, last)._unsafeUnwrapErr()).toMatchObject({
      _tag: "ProtocolViolation",
      violation,
    });
  });

  it("refuses a resumed thread that the CLI started anew", () => {
    const resumed = {
      threadId: "0199a213-81c0-7800-8aa1-000000000000",
    } as unknown as Pick<Thread, "threadId">;
    expect(stepTurn(initialTurnState(resumed), started)._unsafeUnwrapErr()).toMatchObject({
      violation: "thread_id_changed",
      actualThreadId: THREAD,
    });
  });

  it("keeps a failure: trailing events change nothing", () => {
    const failed = steps(initialTurnState(thread), [
      started,
      turnStarted,
      ev({ type: "turn.failed", error: { message: "boom" } }),
    ]);
    expect(stepTurn(failed, message("m", "after"))._unsafeUnwrap()).toBe(failed);
  });

  it("gathers items, notices and unknown event types in arrival order", () => {
    const s = steps(initialTurnState(thread), [
      started,
      ev({ type: "error", message: "reconnecting" }),
      message("a", "one"),
      ev({ type: "some.future.event" }),
      message("b", "two"),
      ev({ type: "error", message: "again" }),
    ]);
    expect(logToArray(s.items).map((i) => i.id)).toEqual(["a", "b"]);
    expect(logToArray(s.notices)).toEqual(["reconnecting", "again"]);
    expect(logToArray(s.unknownEventTypes)).toEqual(["some.future.event"]);
    expect(s.finalResponse).toBe("two");
  });

  describe("states are persistent", () => {
    it("an old state stepped again does not see what its successors added", () => {
      const base = steps(initialTurnState(thread), [started, turnStarted, message("a", "one")]);
      const left = steps(base, [message("b", "left"), completed]);
      const right = steps(base, [message("c", "right"), message("a", "one again"), completed]);
      const again = steps(base, [completed]);
      const items = (s: TurnState) =>
        finishTurn(thread, s)
          ._unsafeUnwrap()
          .turn.items.map((i) => (i.type === "agent_message" ? `${i.id}:${i.text}` : i.id));
      expect(items(left)).toEqual(["a:one", "b:left"]);
      expect(items(right)).toEqual(["a:one again", "c:right"]);
      expect(items(again)).toEqual(["a:one"]);
      expect(logLength(base.items)).toBe(1);
    });

    it("any branching of any stream agrees with folding each branch from scratch", () => {
      const anEvent = fc.oneof(
        fc
          .tuple(fc.constantFrom("a", "b", "c", "d"), fc.string({ maxLength: 4 }))
          .map(([id, t]) => message(id, t)),
        fc.string({ maxLength: 4 }).map((m) => ev({ type: "error", message: m })),
        fc.constantFrom("x.y", "z").map((type) => ev({ type })),
      );
      let checked = 0;
      assertProperty(
        fc.property(
          fc.array(anEvent, { maxLength: 12 }),
          fc.array(fc.tuple(fc.nat(12), fc.array(anEvent, { maxLength: 6 })), { maxLength: 4 }),
          (trunk, branches) => {
            const prefix = [started, turnStarted];
            const states = [steps(initialTurnState(thread), prefix)];
            for (const e of trunk) states.push(steps(states[states.length - 1] as TurnState, [e]));
            const outcome = (s: TurnState) => finishTurn(thread, steps(s, [completed]));
            for (const [at, extra] of branches) {
              const i = at % states.length;
              const branched = outcome(steps(states[i] as TurnState, extra));
              const scratch = foldTurn(thread, [
                ...prefix,
                ...trunk.slice(0, i),
                ...extra,
                completed,
              ]);
              expect(branched._unsafeUnwrap().turn).toEqual(scratch._unsafeUnwrap().turn);
            }
            // The trunk, stepped before every branch, still means what it meant.
            expect(outcome(states[states.length - 1] as TurnState)._unsafeUnwrap().turn).toEqual(
              foldTurn(thread, [...prefix, ...trunk, completed])._unsafeUnwrap().turn,
            );
            checked++;
          },
        ),
        { numRuns: 200 },
      );
      expect(checked).toBe(200);
    });
  });
});

describe("finishTurn", () => {
  it("gives the Thread and the Turn, the item of each id once with its latest state", () => {
    const s = steps(initialTurnState(thread), [
      started,
      turnStarted,
      message("a", "draft"),
      message("b", "other"),
      message("a", "final"),
      completed,
    ]);
    const { thread: next, turn } = finishTurn(thread, s)._unsafeUnwrap();
    expect(next.threadId).toBe(THREAD);
    expect(turn.items).toEqual([
      { id: "a", type: "agent_message", text: "final" },
      { id: "b", type: "agent_message", text: "other" },
    ]);
    expect(turn.finalResponse).toBe("final");
    expect(turn.usage.input_tokens).toBe(10);
  });

  it("says a stream that stopped early is incomplete, naming the last notice", () => {
    const s = steps(initialTurnState(thread), [
      started,
      turnStarted,
      ev({ type: "error", message: "stream disconnected" }),
    ]);
    const e = finishTurn(thread, s)._unsafeUnwrapErr();
    expect(e).toMatchObject({ _tag: "ProtocolViolation", violation: "incomplete" });
    expect(e.message).toContain("stream disconnected");
  });

  it("returns the turn's failure", () => {
    const s = steps(initialTurnState(thread), [
      started,
      ev({ type: "turn.failed", error: { message: "quota" } }),
    ]);
    expect(finishTurn(thread, s)._unsafeUnwrapErr()).toMatchObject({
      _tag: "TurnFailed",
      message: "quota",
    });
  });

  it("parses a structured final response, and refuses one that is not JSON", () => {
    const ok = finishTurn(
      thread,
      steps(initialTurnState(thread), [started, turnStarted, message("m", '{"a":1}'), completed]),
      { structured: true },
    );
    expect(ok._unsafeUnwrap().turn.structuredOutput).toEqual({ a: 1 });
    const bad = finishTurn(
      thread,
      steps(initialTurnState(thread), [started, turnStarted, message("m", "not json"), completed]),
      { structured: true },
    );
    expect(bad._unsafeUnwrapErr()._tag).toBe("InvalidStructuredOutput");
  });

  it("finishing a state twice gives equal, independent turns", () => {
    const s = steps(initialTurnState(thread), [started, turnStarted, message("a", "x"), completed]);
    const one = finishTurn(thread, s)._unsafeUnwrap().turn;
    const two = finishTurn(thread, s)._unsafeUnwrap().turn;
    expect(one).toEqual(two);
    expect(one.items).not.toBe(two.items);
  });
});

describe("finishTurn: what the new Thread carries forward", () => {
  const SECRET = "a signing secret";
  const whole = (t: Thread, events: readonly ThreadEvent[]) => steps(initialTurnState(t), events);
  const claimOf = (token: string | null) => {
    const d = decodeContinuationToken(token, SECRET)._unsafeUnwrap();
    if (d.kind === "legacy") throw new Error("expected one of our tokens");
    return d.claim;
  };

  it("a first turn: the new thread's token claims one completed turn, signed with the secret", () => {
    const turn = ev({ type: "turn.started", turn_id: "turn-1" });
    const { thread: next, turn: done } = finishTurn(
      thread,
      whole(thread, [started, turn, completed]),
      { secret: SECRET },
    )._unsafeUnwrap();
    expect(done.turnId).toBe("turn-1");
    expect(claimOf(next.continuationToken)).toEqual({
      threadId: THREAD,
      lastTurnId: "turn-1",
      completedTurns: 1,
    });
    expect(decodeContinuationToken(next.continuationToken, "another secret").isErr()).toBe(true);
  });

  it("a resumed turn: one more than the token it resumed, unless the session showed the position", () => {
    const token = mintContinuationToken(
      { threadId: THREAD, lastTurnId: "turn-4", completedTurns: 4 },
      SECRET,
    )._unsafeUnwrap();
    const resumed = resumeThread(THREAD, {}, {}, { continuationToken: token })._unsafeUnwrap();
    const s = whole(resumed, [started, ev({ type: "turn.started", turn_id: "turn-5" }), completed]);
    const counted = finishTurn(resumed, s, { secret: SECRET })._unsafeUnwrap().thread;
    expect(claimOf(counted.continuationToken)).toMatchObject({
      completedTurns: 5,
      lastTurnId: "turn-5",
    });
    const observed = finishTurn(resumed, s, {
      secret: SECRET,
      position: { completedTurns: 9, lastTurnId: "turn-9" },
    })._unsafeUnwrap();
    expect(claimOf(observed.thread.continuationToken)).toMatchObject({
      completedTurns: 9,
      lastTurnId: "turn-9",
    });
    expect(observed.turn.turnId).toBe("turn-9");
  });

  it("cumulative usage over two turns: the thread's figure grows, each turn keeps its own", () => {
    const report = (input: number, output: number) =>
      ev({
        type: "turn.completed",
        usage: { input_tokens: input, cached_input_tokens: 0, output_tokens: output },
      });
    const one = finishTurn(thread, whole(thread, [started, turnStarted, report(10, 5)]));
    const first = one._unsafeUnwrap();
    const two = finishTurn(
      first.thread,
      whole(first.thread, [started, turnStarted, report(25, 8)]),
    )._unsafeUnwrap();
    expect(two.turn.usage).toMatchObject({ input_tokens: 15, output_tokens: 3 });
    expect(two.turn.cumulativeUsage).toMatchObject({ input_tokens: 25, output_tokens: 8 });
    expect(two.thread.cumulativeUsage).toEqual(two.turn.cumulativeUsage);
    expect(first.thread.cumulativeUsage).toMatchObject({ input_tokens: 10, output_tokens: 5 });
  });

  it("prefers the turn usage the session recorded when the thread had no figure before", () => {
    const recorded = { ...zero(), input_tokens: 3, output_tokens: 1 };
    const r = finishTurn(thread, whole(thread, [started, turnStarted, completed]), {
      turnUsage: recorded,
    })._unsafeUnwrap();
    expect(r.turn.usage).toEqual(recorded);
    expect(r.turn.cumulativeUsage).toMatchObject({ input_tokens: 10, output_tokens: 5 });
  });

  it("no usage reported: the turn used nothing and the thread's figure stands", () => {
    const bare = ev({ type: "turn.completed" });
    const r = finishTurn(thread, whole(thread, [started, turnStarted, bare]))._unsafeUnwrap();
    expect(r.turn.usage).toEqual(zero());
    expect(r.thread.cumulativeUsage).toEqual(zero());
  });

  it("leaves the thread it was given unchanged, and freezes the new one", () => {
    const before = JSON.stringify(thread);
    const { thread: next } = finishTurn(
      thread,
      whole(thread, [started, turnStarted, completed]),
    )._unsafeUnwrap();
    expect(JSON.stringify(thread)).toBe(before);
    expect(thread.threadId).toBeNull();
    expect(Object.isFrozen(next)).toBe(true);
    expect(next).not.toBe(thread);
  });
});

describe("splitUsage", () => {
  const add = (a: Usage, b: Usage): Usage =>
    Object.fromEntries(
      (Object.keys(a) as (keyof Usage)[]).map((k) => [k, a[k] + b[k]]),
    ) as unknown as Usage;

  it("without a previous figure, the turn's usage is the thread's", () => {
    let checked = 0;
    assertProperty(
      fc.property(validUsage, (u) => {
        expect(splitUsage(u, null)._unsafeUnwrap()).toEqual({ usage: u, cumulativeUsage: u });
        checked++;
      }),
      { numRuns: 100 },
    );
    expect(checked).toBe(100);
  });

  it("a cumulative report: the turn's own usage is the difference", () => {
    let checked = 0;
    assertProperty(
      fc.property(validUsage, validUsage, (previous, own) => {
        const reported = add(previous, own);
        expect(splitUsage(reported, previous)._unsafeUnwrap()).toEqual({
          usage: own,
          cumulativeUsage: reported,
        });
        checked++;
      }),
      { numRuns: 100 },
    );
    expect(checked).toBe(100);
  });

  it("a per-turn report (a figure went down): the thread's usage is the sum", () => {
    const previous = { ...splitUsage(zero(), null)._unsafeUnwrap().usage, input_tokens: 50 };
    const reported = { ...zero(), input_tokens: 7, output_tokens: 3 };
    expect(splitUsage(reported, previous)._unsafeUnwrap()).toEqual({
      usage: reported,
      cumulativeUsage: add(reported, previous),
    });
  });
});

function zero(): Usage {
  return {
    input_tokens: 0,
    cached_input_tokens: 0,
    cache_write_input_tokens: 0,
    output_tokens: 0,
    reasoning_output_tokens: 0,
  };
}
