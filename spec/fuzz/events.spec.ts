/**
 * Fuzzing the event decoders and the turn fold: decodeEventLine / decodeEventValue on anything
 * and on mutated recorded events, decodeTranscript on reordered, truncated, interleaved and
 * damaged recorded transcripts (agreeing with the line decoder), and foldTurn over whatever
 * decodes. Nothing throws; every error is tagged data; every Thread a fold returns is sound.
 */
import fc from "fast-check";

import {
  ThreadEvent,
  mintContinuationToken,
  resumeThread,
  startThread,
  type ThreadEvent as Event,
  type Thread,
} from "../../lib/index.js";
import { decodeEventLine, decodeEventValue, decodeTranscript } from "../../lib/codecs/index.js";
import { foldTurn } from "../../lib/advanced/index.js";
import { anyInput, validThreadId, validUsage, type Input } from "../support/arbitraries.js";
import {
  CODEC_KEYS,
  applyEdit,
  edit,
  goldenAppServerLines,
  goldenTranscripts,
  jsonLeaf,
  jsonText,
  mutatedJson,
  mutatedJsonLike,
  nastyString,
  value,
} from "../support/arbitraries.js";
import { CASES } from "./support/budget.js";
import {
  DECODE_ERROR_TAGS,
  FOLD_ERROR_TAGS,
  THREAD_ERROR_TAGS,
  call,
  check,
  expectSoundThread,
  fuzzIt,
  okOrTagged,
  safeJson,
} from "./support/harness.js";

const TRANSCRIPTS = goldenTranscripts();
const GOLDEN_LINES = TRANSCRIPTS.flatMap((t) => t.lines);
const GOLDEN_EVENTS = GOLDEN_LINES.map((l) => JSON.parse(l) as unknown);
const APP_SERVER_LINES = goldenAppServerLines();

const EVENT_TYPES = [
  "thread.started",
  "turn.started",
  "turn.completed",
  "turn.failed",
  "item.started",
  "item.updated",
  "item.completed",
  "error",
  "turn.continuation",
  "item.agent_message.delta",
  "item.input_text.delta",
  "tool.call.required",
  "tool.call.completed",
  "thread/tokenUsage/updated",
  "thread.tokenUsage.updated",
  "turn/diff/updated",
  "turn/compaction/completed",
  "unknown",
  "x.y",
];
const ITEM_TYPES = [
  "agent_message",
  "reasoning",
  "command_execution",
  "file_change",
  "mcp_tool_call",
  "web_search",
  "todo_list",
  "error",
  "user_message",
];

/** An event-shaped object: a known type and fields of any kind, some of them right. */
const eventLike: fc.Arbitrary<Record<string, unknown>> = fc.record(
  {
    type: fc.oneof(fc.constantFrom(...EVENT_TYPES), nastyString),
    thread_id: fc.oneof(validThreadId, nastyString, jsonLeaf),
    turn_id: fc.oneof(nastyString, jsonLeaf),
    item: fc.oneof(
      fc.record(
        {
          id: fc.oneof(fc.string({ maxLength: 8 }), jsonLeaf),
          type: fc.oneof(fc.constantFrom(...ITEM_TYPES), nastyString),
          text: fc.oneof(fc.string({ maxLength: 20 }), jsonLeaf),
          status: fc.oneof(fc.constantFrom("completed", "failed", "in_progress"), jsonLeaf),
          command: fc.oneof(fc.string({ maxLength: 20 }), jsonLeaf),
          changes: fc.oneof(fc.array(jsonLeaf, { maxLength: 2 }), jsonLeaf),
          items: fc.oneof(fc.array(jsonLeaf, { maxLength: 2 }), jsonLeaf),
        },
        { requiredKeys: [] },
      ),
      jsonLeaf,
    ),
    usage: fc.oneof(validUsage, jsonLeaf),
    error: fc.oneof(
      fc.record({ message: fc.oneof(fc.string({ maxLength: 20 }), jsonLeaf) }),
      jsonLeaf,
    ),
    message: fc.oneof(fc.string({ maxLength: 20 }), jsonLeaf),
    status: fc.oneof(fc.constantFrom("completed", "failed", "pending"), jsonLeaf),
    continuation_token: fc.oneof(fc.string({ maxLength: 12 }), nastyString, jsonLeaf),
    metadata: jsonLeaf,
    final_response: jsonLeaf,
  },
  { requiredKeys: ["type"] },
);

/** Lines: nasty text, JSON of anything, event-shaped JSON, recorded lines, mutations of those. */
const lines: fc.Arbitrary<string> = fc.oneof(
  nastyString,
  fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
  eventLike.map(jsonText),
  fc.constantFrom(...GOLDEN_LINES, ...APP_SERVER_LINES),
  fc.string({ unit: fc.constantFrom(...'{}[]":,\\ntrue1e-'), maxLength: 40 }),
);

/** What is wrong with an Ok event: it must be an event by its own codec. */
const expectEvent = (e: Event, where: string): void =>
  check(ThreadEvent.is(e), () => `${where}: an Ok that is not a ThreadEvent: ${safeJson(e)}`);

/** The decoding of one line, checked; the event, or undefined for an Err. */
const decodeChecked = (line: string): Event | undefined => {
  const r = call("decodeEventLine", () => decodeEventLine(line));
  if (typeof line !== "string") {
    okOrTagged(r, DECODE_ERROR_TAGS, "decodeEventLine");
    return undefined;
  }
  const e = okOrTagged(r, DECODE_ERROR_TAGS, "decodeEventLine");
  if (e !== undefined) expectEvent(e, "decodeEventLine");
  // The same object, already parsed, decodes the same way.
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    return e;
  }
  const v = call("decodeEventValue", () => decodeEventValue(parsed));
  check(v.isOk() === r.isOk(), () => `decodeEventValue and decodeEventLine disagree on ${line}`);
  return e;
};

/** Threads to fold a transcript into: new, resumed (with its own id or another), with a token. */
const foldThread = (ids: readonly string[]): fc.Arbitrary<Thread> =>
  fc
    .record({
      kind: fc.constantFrom("new", "resume", "resume-token"),
      id: ids.length > 0 ? fc.oneof(fc.constantFrom(...ids), validThreadId) : validThreadId,
      turns: fc.nat(5),
    })
    .map(({ kind, id, turns }) =>
      kind === "new"
        ? startThread({ apiKey: "sk-test-fuzz-fold" }, {})._unsafeUnwrap()
        : resumeThread(
            id,
            {},
            {},
            {
              continuationToken:
                kind === "resume"
                  ? null
                  : mintContinuationToken({
                      threadId: id,
                      lastTurnId: null,
                      completedTurns: turns,
                    })._unsafeUnwrap(),
            },
          )._unsafeUnwrap(),
    );

/** Folding context: structured or not, signed or not. */
const foldContext = fc.record(
  { structured: fc.boolean(), secret: fc.string({ minLength: 1, maxLength: 8 }) },
  { requiredKeys: [] },
);

/** Folds `events` and checks the outcome. */
const foldChecked = (
  thread: Thread,
  events: readonly Event[],
  ctx: { structured?: boolean; secret?: string },
): void => {
  const r = call("foldTurn", () => foldTurn(thread, events, ctx));
  const out = okOrTagged(r, [...FOLD_ERROR_TAGS, ...THREAD_ERROR_TAGS], "foldTurn");
  if (out === undefined) return;
  expectSoundThread(out.thread, "foldTurn");
  check(typeof out.turn.finalResponse === "string", "the turn's final response is not a string");
  check(
    Object.values(out.turn.usage).every((n) => typeof n === "number"),
    () => `the turn's usage is not numbers: ${safeJson(out.turn.usage)}`,
  );
};

/** A transcript damaged the ways a stream is: reordered, cut, repeated, interleaved, garbled. */
const damagedTranscript = fc
  .record({
    a: fc.nat(TRANSCRIPTS.length - 1),
    b: fc.nat(TRANSCRIPTS.length - 1),
    how: fc.constantFrom(
      "shuffle",
      "prefix",
      "cut-line",
      "duplicate",
      "interleave",
      "garble",
      "as-is",
    ),
    pick: fc.array(fc.nat(40), { maxLength: 14 }),
    at: fc.nat(10_000),
    edits: fc.array(edit, { minLength: 1, maxLength: 2 }),
    crlf: fc.boolean(),
  })
  .map((g) => {
    const a = TRANSCRIPTS[g.a]?.lines ?? [];
    const b = TRANSCRIPTS[g.b]?.lines ?? [];
    let out: string[];
    switch (g.how) {
      case "shuffle":
        out = g.pick.map((i) => a[i % Math.max(1, a.length)] ?? "");
        break;
      case "prefix":
        out = a.slice(0, g.at % (a.length + 1));
        break;
      case "cut-line": {
        const k = a.length === 0 ? 0 : g.at % a.length;
        const line = a[k] ?? "";
        out = [...a.slice(0, k), line.slice(0, g.at % (line.length + 1))];
        break;
      }
      case "duplicate":
        out = a.flatMap((l, i) => (g.pick.includes(i) ? [l, l] : [l]));
        break;
      case "interleave":
        out = g.pick.map(
          (i, j) => (j % 2 === 0 ? a : b)[i % Math.max(1, (j % 2 === 0 ? a : b).length)] ?? "",
        );
        break;
      case "garble": {
        const k = a.length === 0 ? 0 : g.at % a.length;
        out = a.map((l, i) => (i === k ? g.edits.reduce(applyEdit, l) : l));
        break;
      }
      case "as-is":
        out = a;
        break;
    }
    const ids = [...a, ...b].flatMap((l) => /"thread_id":"([^"]+)"/.exec(l)?.[1] ?? []);
    return { text: out.join(g.crlf ? "\r\n" : "\n"), ids };
  });

/**
 * A turn in the right order (thread.started, turn.started, …, the end) whose fields are odd:
 * the ids, the server-issued token, the usage and the items are anything.
 */
const wellOrdered: fc.Arbitrary<Record<string, unknown>[]> = fc
  .record({
    threadId: fc.oneof(fc.constant("thread_fuzz_1"), validThreadId, nastyString),
    middle: fc.array(eventLike, { maxLength: 4 }),
    token: fc.option(fc.oneof(fc.constantFrom("cont-auto-run", "cfp1.x"), nastyString), {
      nil: undefined,
    }),
    usage: fc.oneof(validUsage, jsonLeaf),
    end: fc.constantFrom("turn.completed", "turn.failed", "none"),
    metadata: fc.oneof(fc.constant(undefined), jsonLeaf, fc.constant({ labels: { a: "b" } })),
  })
  .map((g) => [
    { type: "thread.started", thread_id: g.threadId, metadata: g.metadata },
    { type: "turn.started" },
    ...g.middle,
    ...(g.token !== undefined ? [{ type: "turn.continuation", continuation_token: g.token }] : []),
    ...(g.end === "turn.completed"
      ? [{ type: "turn.completed", usage: g.usage }]
      : g.end === "turn.failed"
        ? [{ type: "turn.failed", error: { message: "failed" } }]
        : []),
  ]);

describe("fuzz: events", () => {
  fuzzIt(
    "decodeEventLine on any line (and on non-strings): tagged errors, Ok events match their codec",
    CASES.events.line,
    fc.oneof({ weight: 6, arbitrary: lines.map(value) }, { weight: 1, arbitrary: anyInput }),
    (line) => void decodeChecked(line.make() as string),
  );

  it("decodeTranscript given non-strings by JS callers: an error, not an exception", () => {
    for (const u of [null, undefined, 42, {}, ["{}"], Symbol("x")]) {
      const r = decodeTranscript(u as never);
      expect(r.isErr() && r.error).toMatchObject({ _tag: "InvalidJson", line: 1 });
    }
  });

  fuzzIt(
    "decodeEventLine on mutated recorded events",
    CASES.events.lineMutated,
    mutatedJsonLike(GOLDEN_EVENTS, CODEC_KEYS),
    (line) => void decodeChecked(line),
  );

  fuzzIt(
    "decodeEventValue on anything (hostile values included)",
    CASES.events.value,
    fc.oneof(anyInput, mutatedJson(GOLDEN_EVENTS, CODEC_KEYS).map(value), eventLike.map(value)),
    (input: Input) => {
      const r = call("decodeEventValue", () => decodeEventValue(input.make()));
      const e = okOrTagged(r, DECODE_ERROR_TAGS, "decodeEventValue");
      if (e !== undefined) expectEvent(e, "decodeEventValue");
    },
  );

  fuzzIt(
    "decodeTranscript on damaged recordings agrees with the line decoder; foldTurn on the rest",
    CASES.events.transcript,
    fc
      .tuple(damagedTranscript, fc.nat(1_000), foldContext)
      .chain(([t, seed, ctx]) =>
        fc.tuple(fc.constant(t), foldThread(t.ids), fc.constant(ctx), fc.constant(seed)),
      ),
    ([{ text }, thread, ctx]) => {
      const r = call("decodeTranscript", () => decodeTranscript(text));
      const events = okOrTagged(r, DECODE_ERROR_TAGS, "decodeTranscript");
      // The transcript is its lines: the first that fails is the error, else every event.
      const all = text.split("\n");
      const firstBad = all.findIndex((l) => l.trim() !== "" && decodeEventLine(l).isErr());
      if (events === undefined) {
        const line = r.isErr() ? r.error.line : -1;
        check(line === firstBad + 1, () => `the error is on line ${line}, not ${firstBad + 1}`);
        return;
      }
      check(firstBad === -1, () => `line ${firstBad + 1} does not decode, the transcript does`);
      check(
        events.length === all.filter((l) => l.trim() !== "").length,
        "decodeTranscript lost or made up events",
      );
      events.forEach((e) => expectEvent(e, "decodeTranscript"));
      foldChecked(thread, events, ctx);
    },
  );

  fuzzIt(
    "foldTurn on any sequence of decodable events",
    CASES.events.fold,
    fc.tuple(
      fc.oneof(
        fc.array(fc.oneof(eventLike, fc.constantFrom(...GOLDEN_EVENTS)), { maxLength: 10 }),
        wellOrdered,
      ),
      foldThread(["thread_fuzz_1"]),
      foldContext,
    ),
    ([raw, thread, ctx]) => {
      const events = raw.flatMap((u) => {
        const r = decodeEventValue(u);
        return r.isOk() ? [r.value] : [];
      });
      foldChecked(thread, events, ctx);
    },
  );
});
