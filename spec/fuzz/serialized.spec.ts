/**
 * Fuzzing deserializeThread: on any string (and on things that are not strings), and on valid
 * serializations with fields broken, added, moved and garbled. Nothing throws; every error is
 * tagged data; whatever is accepted is a sound Thread whose own serialization reads back the
 * same (so a stored thread never becomes unreadable after one round).
 */
import fc from "fast-check";

import {
  deserializeThread,
  mintContinuationToken,
  resumeThread,
  serializeThread,
  type Thread,
} from "../../lib/index.js";
import { decodeEventValue, decodeTranscript } from "../../lib/codecs/index.js";
import { foldTurn } from "../../lib/advanced/index.js";
import {
  anyInput,
  validApiKey,
  type Input,
  CODEC_KEYS,
  mutatedJsonLike,
  nastyString,
  value,
} from "../support/arbitraries.js";
import { CLI_GOLDEN } from "../support/core-helpers.js";
import { CASES } from "./support/budget.js";
import { call, expectSoundThread, fuzzIt, okOrTagged } from "./support/harness.js";
import { ROLLOUT_ID, rolloutHead, validThread } from "./support/threads.js";
import { readFileSync } from "node:fs";

const ERRORS = [
  "InvalidSerializedThread",
  "InvalidApiKey",
  "InvalidOptions",
  "MissingSecrets",
] as const;

const KEYS = [
  "format",
  "threadId",
  "codexOptions",
  "threadOptions",
  "metadata",
  "labels",
  "continuationToken",
  "cumulativeUsage",
  "apiKey",
  "env",
  "origin",
  "extra",
  "unknownKeys",
  "git",
  "baseInstructionsChars",
  "model",
  "sandboxMode",
  ...CODEC_KEYS,
];

/** A thread as a real turn leaves it: resumed with rollout metadata, folded over a recording. */
const foldedThread = () => {
  const thread = resumeThread(
    ROLLOUT_ID,
    { apiKey: "sk-test-fuzz-serialized", baseUrl: "https://api.example.com/v1" },
    { model: "gpt-5", labels: { team: "core" } },
    {
      metadata: rolloutHead(),
      continuationToken: mintContinuationToken(
        { threadId: ROLLOUT_ID, lastTurnId: null, completedTurns: 1 },
        "secret",
      )._unsafeUnwrap(),
    },
  )._unsafeUnwrap();
  const events = decodeTranscript(
    readFileSync(`${CLI_GOLDEN}/resume/turn2.jsonl`, "utf8"),
  )._unsafeUnwrap();
  return foldTurn(thread, events, { secret: "secret" })._unsafeUnwrap().thread;
};

/** `thread` after one small turn (so it has an id, a token and usage). */
const afterTurn = (thread: Thread, n: number): Thread => {
  const id = thread.threadId ?? `thread_fuzz_${n}`;
  const events = [
    { type: "thread.started", thread_id: id },
    { type: "turn.started" },
    { type: "item.completed", item: { id: "item_0", type: "agent_message", text: `reply ${n}` } },
    {
      type: "turn.completed",
      usage: {
        input_tokens: 10 * n,
        cached_input_tokens: n,
        output_tokens: 3,
        reasoning_output_tokens: 1,
      },
    },
  ].map((e) => decodeEventValue(e)._unsafeUnwrap());
  return foldTurn(thread, events)._unsafeUnwrap().thread;
};

/** Valid serializations to mutate: a folded recording, and a fixed sample of threads after a turn. */
const BASES: unknown[] = [
  foldedThread(),
  ...fc.sample(validThread, { numRuns: 30, seed: 20_240_718 }).map(afterTurn),
].map((t) => JSON.parse(serializeThread(t)._unsafeUnwrap()) as unknown);

/** Secrets to supply: none, valid, or anything. */
const secrets: fc.Arbitrary<Input> = fc.oneof(
  fc.constant(undefined).map(value),
  fc
    .record(
      {
        apiKey: fc.oneof(validApiKey, nastyString),
        env: fc.dictionary(
          fc.oneof(fc.constantFrom("PATH", "OPENAI_API_KEY"), nastyString),
          nastyString,
          {
            maxKeys: 3,
          },
        ),
      },
      { requiredKeys: [] },
    )
    .map(value),
  anyInput,
);

describe("fuzz: serialized threads", () => {
  fuzzIt(
    "deserializeThread on any string: tagged errors, sound threads",
    CASES.serialized.anyString,
    fc.tuple(
      fc.oneof(
        nastyString.map(value),
        fc.jsonValue({ maxDepth: 3 }).map((v) => value(JSON.stringify(v))),
        anyInput,
      ),
      secrets,
    ),
    ([json, s]) => {
      const r = call("deserializeThread", () =>
        deserializeThread(json.make() as string, s.make() as never),
      );
      const t = okOrTagged(r, ERRORS, "deserializeThread");
      if (t !== undefined) expectSoundThread(t, "deserializeThread");
    },
  );

  fuzzIt(
    "deserializeThread on mutated valid serializations: what it accepts round-trips",
    CASES.serialized.mutated,
    fc.tuple(mutatedJsonLike(BASES, KEYS), secrets),
    ([json, s]) => {
      const r = call("deserializeThread", () => deserializeThread(json, s.make() as never));
      const t = okOrTagged(r, ERRORS, "deserializeThread");
      if (t !== undefined) expectSoundThread(t, "deserializeThread");
    },
  );
});
