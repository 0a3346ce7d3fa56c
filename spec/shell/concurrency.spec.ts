/**
 * Concurrency with the REAL codex CLI against the loopback model stub: 50 turns at once on 50
 * new threads (streamed, with session observation on, as by default), 50 more through runTurn
 * without observation, and 10 two-turn chains at once (each second turn a resume, its token
 * checked against the rollout before the CLI starts). Every turn succeeds, and nothing crosses
 * threads: each turn's reply, events, telemetry, token and model request belong to its own
 * thread and prompt alone.
 *
 * All threads of a test share one stub and one CODEX_HOME, as the threads of one process do.
 * Wall time is not asserted here (speed lives in bench/); a hang still fails by jest's time-out.
 * Measured on the project's 2-core machine: about 6–7 s for each batch of 50 turns, 2–3 s for
 * the chains.
 */
import { randomBytes } from "node:crypto";

import type { ThreadEvent } from "../../lib/core/events.js";
import { decodeContinuationToken } from "../../lib/core/continuation.js";
import { recordingSink, type RecordingSink } from "../../lib/core/telemetry.js";
import { resumeThread, type Thread } from "../../lib/core/thread.js";
import { runStreamed, runTurn } from "../../lib/shell/run.js";
import type { StubRequest } from "../../lib/testing/model-stub.js";
import { API_KEY, UUID, expectNoKey, withStubEnv } from "../support/run-env.js";
import { okOf } from "../support/results.js";

/** How many turns run at once; how many two-turn chains run at once. */
const TURNS = 50;
const CHAINS = 10;

/** A prompt no other turn has: a number and a random tag (to find it in any text). */
const promptOf = (what: string, i: number): string =>
  `${what} ${String(i).padStart(2, "0")} tag-${randomBytes(4).toString("hex")}`;

/** The stub's default reply to `prompt`: `Hello from stub N: <prompt>`; N, or null. */
const replyIndex = (finalResponse: string, prompt: string): number | null => {
  const m = /^Hello from stub (\d+): ([\s\S]*)$/.exec(finalResponse);
  return m !== null && m[2] === prompt ? Number(m[1]) : null;
};

/** The prompts of `all` that `text` holds. */
const promptsIn = (text: string, all: readonly string[]): string[] =>
  all.filter((p) => text.includes(p));

/** The request the stub got for `prompt` (its last user message), exactly one. */
const requestFor = (requests: readonly StubRequest[], prompt: string): StubRequest => {
  const found = requests.filter((r) => r.userText === prompt);
  expect(found).toHaveLength(1);
  return found[0]!;
};

/** Every telemetry event of one turn names its own thread (or none, before it has an id). */
const expectOwnTelemetry = (t: RecordingSink, threadId: string): void => {
  expect(t.events.length).toBeGreaterThan(0);
  for (const e of t.events) expect([threadId, null]).toContain(e.threadId);
  expect(t.events.at(-1)).toMatchObject({ name: "codex.turn.stop", threadId, outcome: "ok" });
  expectNoKey(t.events);
};

describe("concurrent turns with the real CLI", () => {
  it(`${TURNS} streamed turns at once on ${TURNS} threads: all Ok, nothing crosses threads`, async () => {
    await withStubEnv(undefined, async (env) => {
      const prompts = Array.from({ length: TURNS }, (_, i) => promptOf("concurrent turn", i));
      const runs = await Promise.all(
        prompts.map(async (prompt) => {
          const telemetry = recordingSink();
          const streamed = runStreamed(env.thread(), prompt, {}, { sink: telemetry.sink });
          const events: ThreadEvent[] = [];
          for await (const e of streamed.events) events.push(e);
          return { prompt, events, telemetry, result: await streamed.outcome };
        }),
      );

      const outcomes = runs.map((r) => okOf(r.result, r.prompt));
      const ids = outcomes.map((o) => o.thread.threadId);
      expect(new Set(ids).size).toBe(TURNS);
      const indexes = runs.map((r, i) => replyIndex(outcomes[i]!.turn.finalResponse, r.prompt));
      expect(indexes).not.toContain(null);
      expect(new Set(indexes).size).toBe(TURNS); // one model request each, none shared

      runs.forEach(({ prompt, events, telemetry }, i) => {
        const { thread, turn } = outcomes[i]!;
        const id = thread.threadId!;
        expect(id).toMatch(UUID);
        // Its events: its own thread id, its own reply, no other turn's prompt.
        expect(events.map((e) => e.type)).toEqual([
          "thread.started",
          "turn.started",
          "item.completed",
          "turn.completed",
        ]);
        expect(events[0]).toMatchObject({ type: "thread.started", thread_id: id });
        expect(events[2]).toMatchObject({
          type: "item.completed",
          item: { type: "agent_message", text: turn.finalResponse },
        });
        expect(promptsIn(JSON.stringify(events), prompts)).toEqual([prompt]);
        // Its token: its own thread, one turn (read from its own rollout).
        const token = decodeContinuationToken(thread.continuationToken)._unsafeUnwrap();
        expect(token).toMatchObject({
          kind: "unsigned",
          claim: { threadId: id, completedTurns: 1 },
        });
        expect(token.kind !== "legacy" && token.claim.lastTurnId).toBe(turn.turnId);
        expect(thread.metadata).toMatchObject({ origin: "rollout", threadId: id });
        expectOwnTelemetry(telemetry, id);
        // Its model request: its own prompt, no other.
        const request = requestFor(env.stub.requests, prompt);
        expect(promptsIn(JSON.stringify(request.body), prompts)).toEqual([prompt]);
        expect(replyIndex(turn.finalResponse, prompt)).toBe(request.index);
      });
      expect(env.stub.requests).toHaveLength(TURNS);
    });
  }, 60_000);

  it(`${TURNS} runTurn calls at once without observation: all Ok, each its own reply`, async () => {
    await withStubEnv(undefined, async (env) => {
      const prompts = Array.from({ length: TURNS }, (_, i) => promptOf("plain turn", i));
      const results = await Promise.all(
        prompts.map((p) => runTurn(env.thread(), p, {}, { observe: false })),
      );
      const outcomes = results.map((r, i) => okOf(r, prompts[i]!));
      expect(new Set(outcomes.map((o) => o.thread.threadId)).size).toBe(TURNS);
      outcomes.forEach(({ thread, turn }, i) => {
        const prompt = prompts[i]!;
        expect(thread.threadId).toMatch(UUID);
        expect(replyIndex(turn.finalResponse, prompt)).toBe(
          requestFor(env.stub.requests, prompt).index,
        );
        expect(promptsIn(JSON.stringify(turn), prompts)).toEqual([prompt]);
        // Without observation the token still binds this thread, at one turn.
        expect(decodeContinuationToken(thread.continuationToken)._unsafeUnwrap()).toMatchObject({
          claim: { threadId: thread.threadId, completedTurns: 1 },
        });
      });
      expect(env.stub.requests).toHaveLength(TURNS);
    });
  }, 60_000);

  it(`${CHAINS} two-turn chains at once: each resume continues its own thread`, async () => {
    await withStubEnv(undefined, async (env) => {
      const firsts = Array.from({ length: CHAINS }, (_, i) => promptOf("chain first", i));
      const seconds = Array.from({ length: CHAINS }, (_, i) => promptOf("chain second", i));
      const all = [...firsts, ...seconds];
      const chains = await Promise.all(
        firsts.map(async (first, i) => {
          const second = seconds[i]!;
          const t1 = recordingSink();
          const one = okOf(await runTurn(env.thread(), first, {}, { sink: t1.sink }), first);
          // Half the chains go on from the returned thread value; half resume the thread as
          // another process would, from its id and token.
          const next: Thread =
            i % 2 === 0
              ? one.thread
              : resumeThread(
                  one.thread.threadId!,
                  env.codexOptions(),
                  { skipGitRepoCheck: true, workingDirectory: env.sandbox.cwd },
                  { continuationToken: one.thread.continuationToken },
                )._unsafeUnwrap();
          const t2 = recordingSink();
          const two = okOf(await runTurn(next, second, {}, { sink: t2.sink }), second);
          return { first, second, one, two, t1, t2 };
        }),
      );

      const ids = chains.map((c) => c.one.thread.threadId);
      expect(new Set(ids).size).toBe(CHAINS);
      for (const { first, second, one, two, t1, t2 } of chains) {
        const id = one.thread.threadId!;
        expect(two.thread.threadId).toBe(id);
        expect(replyIndex(one.turn.finalResponse, first)).not.toBeNull();
        expect(replyIndex(two.turn.finalResponse, second)).not.toBeNull();
        expect(decodeContinuationToken(two.thread.continuationToken)._unsafeUnwrap()).toMatchObject(
          {
            claim: { threadId: id, completedTurns: 2, lastTurnId: two.turn.turnId },
          },
        );
        expect(two.turn.turnId).not.toBe(one.turn.turnId);
        // The second request carries this chain's history and no other chain's.
        const request = requestFor(env.stub.requests, second);
        expect(promptsIn(JSON.stringify(request.body), all).sort()).toEqual([first, second].sort());
        expect(promptsIn(JSON.stringify(requestFor(env.stub.requests, first).body), all)).toEqual([
          first,
        ]);
        expectOwnTelemetry(t1, id);
        expectOwnTelemetry(t2, id);
        expect(t2.events.map((e) => e.name)).toContain("codex.thread.resume.validated");
        expect(JSON.stringify(two.thread)).not.toContain(API_KEY);
      }
      expect(env.stub.requests).toHaveLength(2 * CHAINS);
    });
  }, 60_000);
});
