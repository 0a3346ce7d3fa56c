/**
 * What is built can be read back (issue 13, part 8): every Thread the constructors and the fold
 * produce serializes and deserializes to an equal value. A usage figure of `1e400` (which
 * JSON reads as Infinity) once gave an Ok Thread that `deserializeThread` then refused; usage
 * is now a count of tokens (a whole number from 0 to 2**53-1) wherever it is decoded or folded.
 * The threads come from every maker: `startThread`, `resumeThread`, `withThreadOptions`,
 * `forkedThread`, `foldTurn`, and `stepTurn` + `finishTurn` over turns with `error` notices
 * (a `turn.failed` makes no Thread: it is a `TurnFailed`). A thread holding secrets (an API key,
 * env, config secrets) reads back equal, secrets included, when they are supplied to
 * `deserializeThread`, and is a `MissingSecrets` naming every one when they are not.
 */
import fc from "fast-check";
import { assertProperty } from "../support/property.js";
import {
  deserializeThread,
  parseThreadId,
  Redacted,
  resumeThread,
  serializeThread,
  startThread,
  withThreadOptions,
  type CodexOptionsInput,
  type Thread,
  type ThreadEvent,
  type ThreadSecrets,
} from "../../lib/index.js";
import { decodeEventLine, decodeEventValue } from "../../lib/codecs/index.js";
import { finishTurn, foldTurn, initialTurnState, stepTurn } from "../../lib/advanced/index.js";
import { forkedThread } from "../../lib/core/fork.js";
import {
  validForkFacts,
  validLegacyMetadata,
  validSecrets,
  validStoredCodexOptions,
  validThreadId,
  validThreadOptions,
  validTurnEvents,
  validTurnId,
} from "../support/arbitraries.js";

const ev = (e: object): ThreadEvent => decodeEventValue(e)._unsafeUnwrap();

/** Usage as the CLI prints it, up to the largest count (so cumulative sums reach the cap). */
const wireUsage = fc.record(
  {
    input_tokens: fc.maxSafeNat(),
    cached_input_tokens: fc.maxSafeNat(),
    cache_write_input_tokens: fc.maxSafeNat(),
    output_tokens: fc.maxSafeNat(),
    reasoning_output_tokens: fc.maxSafeNat(),
  },
  { requiredKeys: ["input_tokens", "output_tokens"] },
);

/** A thread from a constructor, its codex options `codexOptions`: started, or resumed. */
const constructedWith = (codexOptions: fc.Arbitrary<CodexOptionsInput>): fc.Arbitrary<Thread> =>
  fc.oneof(
    fc.tuple(codexOptions, validThreadOptions).map(([c, t]) => startThread(c, t)._unsafeUnwrap()),
    fc
      .tuple(
        validThreadId,
        codexOptions,
        validThreadOptions,
        fc.option(validLegacyMetadata, { nil: undefined }),
      )
      .map(([id, c, t, m]) =>
        resumeThread(id, c, t, m === undefined ? {} : { metadata: m })._unsafeUnwrap(),
      ),
  );

/** A thread from a constructor: started, or resumed with (or without) metadata. */
const constructed: fc.Arbitrary<Thread> = constructedWith(validStoredCodexOptions);

/** A thread holding secrets, with the secrets that give them back to `deserializeThread`. */
const withSecrets = fc
  .tuple(validStoredCodexOptions, validSecrets)
  .chain(([stored, { codexOptions, supplied }]) =>
    constructedWith(
      fc.constant({
        ...stored,
        ...codexOptions,
        config: { ...stored.config, ...codexOptions.config },
      }),
    ).map((thread) => ({ thread, supplied })),
  );

/** One turn of events: what the fold is given. */
const turn = fc.record({
  turnId: validTurnId,
  usage: fc.option(wireUsage, { nil: undefined }),
  text: fc.string({ maxLength: 20 }),
});

/** Folds `turns` into `thread` (each with a position, so a continuation token is minted). */
const folded = (
  thread: Thread,
  threadId: string,
  turns: (typeof turn extends fc.Arbitrary<infer A> ? A : never)[],
): Thread => {
  let t = thread;
  turns.forEach((tu, i) => {
    const events = [
      ev({ type: "thread.started", thread_id: t.threadId ?? threadId }),
      ev({ type: "turn.started" }),
      ev({ type: "item.completed", item: { id: `m${i}`, type: "agent_message", text: tu.text } }),
      ev({ type: "turn.completed", ...(tu.usage !== undefined ? { usage: tu.usage } : {}) }),
    ];
    t = foldTurn(t, events, {
      secret: "a-secret-of-sufficient-length-0123456789",
      position: { completedTurns: i + 1, lastTurnId: tu.turnId },
    })._unsafeUnwrap().thread;
  });
  return t;
};

const readBack = (t: Thread, secrets?: ThreadSecrets): Thread =>
  deserializeThread(serializeThread(t)._unsafeUnwrap(), secrets)._unsafeUnwrap();

/** `u` with every Redacted box opened (`toEqual` sees no difference between two boxes). */
const opened = (u: unknown): unknown =>
  Redacted.is(u)
    ? { redacted: opened(u.reveal()) }
    : Array.isArray(u)
      ? u.map(opened)
      : typeof u === "object" && u !== null
        ? Object.fromEntries(Object.entries(u).map(([k, v]) => [k, opened(v)]))
        : u;

/** A thread that reads back equal, the secrets in its boxes included. */
const expectReadsBack = (t: Thread, secrets?: ThreadSecrets): void =>
  expect(opened(readBack(t, secrets))).toEqual(opened(t));

describe("every Thread built reads back equal", () => {
  it("from the constructors", () => {
    assertProperty(
      fc.property(constructed, (t) => expect(readBack(t)).toEqual(t)),
      { numRuns: 100 },
    );
  });

  it("from the fold, over one or more turns (cumulative usage held at 2**53-1)", () => {
    assertProperty(
      fc.property(
        constructed,
        validThreadId,
        fc.array(turn, { minLength: 1, maxLength: 3 }),
        (t, id, turns) => {
          const after = folded(t, id, turns);
          expect(readBack(after)).toEqual(after);
          const usage = after.cumulativeUsage;
          if (usage !== null)
            for (const n of Object.values(usage)) expect(Number.isSafeInteger(n)).toBe(true);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe("every Thread built reads back equal: the other makers", () => {
  it("from withThreadOptions", () => {
    assertProperty(
      fc.property(constructed, validThreadOptions, (t, patch) =>
        expectReadsBack(withThreadOptions(t, patch)._unsafeUnwrap()),
      ),
      { numRuns: 100 },
    );
  });

  it("from forkedThread (signed or not)", () => {
    assertProperty(
      fc.property(
        constructed,
        validThreadId,
        validForkFacts,
        fc.option(fc.constant("a-secret-of-sufficient-length-0123456789"), { nil: undefined }),
        (t, id, facts, secret) => {
          const fork = forkedThread(t, parseThreadId(id)._unsafeUnwrap(), facts, secret);
          expectReadsBack(fork._unsafeUnwrap());
        },
      ),
      { numRuns: 100 },
    );
  });

  it("from stepTurn and finishTurn, over turns with error notices; turn.failed makes none", () => {
    let failed = 0;
    let finished = 0;
    assertProperty(
      fc.property(
        fc
          .tuple(constructed, validThreadId)
          .chain(([t, id]) => validTurnEvents(t.threadId ?? id).map((e) => [t, e] as const)),
        ([t, events]) => {
          let state = initialTurnState(t);
          for (const e of events) state = stepTurn(state, ev(e))._unsafeUnwrap();
          const done = finishTurn(t, state);
          const last = events[events.length - 1] as { type: string };
          if (last.type === "turn.failed") {
            failed++;
            expect(done._unsafeUnwrapErr()).toMatchObject({ _tag: "TurnFailed" });
          } else {
            finished++;
            expectReadsBack(done._unsafeUnwrap().thread);
          }
        },
      ),
      { numRuns: 200 },
    );
    expect(failed).toBeGreaterThan(0);
    expect(finished).toBeGreaterThan(0);
  });

  it("with secrets: equal when they are supplied, MissingSecrets naming each when not", () => {
    assertProperty(
      fc.property(withSecrets, ({ thread, supplied }) => {
        expectReadsBack(thread, supplied);
        const json = serializeThread(thread)._unsafeUnwrap();
        const listed = (JSON.parse(json) as { secrets: string[] }).secrets;
        const without = deserializeThread(json);
        if (listed.length === 0) expect(without.isOk()).toBe(true);
        else
          expect(without._unsafeUnwrapErr()).toMatchObject({
            _tag: "MissingSecrets",
            paths: listed,
          });
      }),
      { numRuns: 100 },
    );
  });
});

describe("a usage figure that is not a count of tokens", () => {
  const line = (inputTokens: string) =>
    `{"type":"turn.completed","usage":{"input_tokens":${inputTokens},"output_tokens":1}}`;

  it.each(["1e400", "-1", "1.5", "9007199254740993"])(
    "%s is refused where the event is decoded",
    (n) => {
      const e = decodeEventLine(line(n))._unsafeUnwrapErr();
      expect(e).toMatchObject({ _tag: "InvalidEvent" });
      expect(e.message).toMatch(/usage\.input_tokens/);
    },
  );

  it("an event a transport built itself with Infinity is a ProtocolViolation of the fold", () => {
    const thread = startThread()._unsafeUnwrap();
    const events = [
      ev({ type: "thread.started", thread_id: "0199a213-81c0-7800-8aa1-bbab2a035a53" }),
      ev({ type: "turn.started" }),
      // As the app-server mapping builds it: not decoded, the JSON parser gave Infinity.
      { type: "turn.completed", usage: { input_tokens: Infinity, output_tokens: 1 } },
    ] as ThreadEvent[];
    expect(foldTurn(thread, events)._unsafeUnwrapErr()).toMatchObject({
      _tag: "ProtocolViolation",
      violation: "invalid_usage",
    });
  });

  it("a serialized thread with such a figure is refused at its path", () => {
    const text = serializeThread(startThread()._unsafeUnwrap())
      ._unsafeUnwrap()
      .replace(
        '"cumulativeUsage":null',
        '"cumulativeUsage":{"input_tokens":1e400,"cached_input_tokens":0,"cache_write_input_tokens":0,"output_tokens":0,"reasoning_output_tokens":0}',
      );
    expect(text).toContain("1e400");
    expect(deserializeThread(text)._unsafeUnwrapErr()).toMatchObject({
      _tag: "InvalidSerializedThread",
      path: "thread.cumulativeUsage.input_tokens",
    });
  });
});
