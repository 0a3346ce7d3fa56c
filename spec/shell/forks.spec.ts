/**
 * Forks are first-class threads, against the REAL codex CLI and the loopback model stub, over
 * an app-server and over `codex exec fork`: a fork's turns report the usage the stub billed for
 * them (whatever turn it was taken at), its fork metadata is the same in `listThreads`,
 * `readThread` and the session store, and it carries a continuation token that guards its
 * first turn like any other.
 *
 * The stub bills `12·(N+1)` input tokens for its N-th request (1-based), 5 output tokens and
 * 1 reasoning token for a text answer (`defaultUsage`); a fork itself makes no request.
 */
import { decodeContinuationToken } from "../../lib/core/continuation.js";
import type { Thread } from "../../lib/core/thread.js";
import { openAppServer, type AppServer } from "../../lib/shell/app-server/open.js";
import {
  forkThread,
  listThreads,
  readThread,
  type LifecycleDeps,
} from "../../lib/shell/lifecycle.js";
import { runTurn, type RunDeps, type TurnOutcome } from "../../lib/shell/run.js";
import { findSession } from "../../lib/shell/sessions.js";
import { UUID, withStubEnv, type StubEnv } from "../support/run-env.js";

const SECRET = "fork-spec-secret";

/** What the stub billed for its request number `n` (1-based), a text answer. */
const billed = (n: number) => ({
  input_tokens: 12 * (n + 1),
  cached_input_tokens: Math.floor((12 * (n + 1)) / 4),
  cache_write_input_tokens: 0,
  output_tokens: 5,
  reasoning_output_tokens: 1,
});

/** The sum of usages. */
const sum = (...us: ReturnType<typeof billed>[]) =>
  us.reduce((a, b) => ({
    input_tokens: a.input_tokens + b.input_tokens,
    cached_input_tokens: a.cached_input_tokens + b.cached_input_tokens,
    cache_write_input_tokens: 0,
    output_tokens: a.output_tokens + b.output_tokens,
    reasoning_output_tokens: a.reasoning_output_tokens + b.reasoning_output_tokens,
  }));

const withServer = async (fn: (env: StubEnv, server: AppServer) => Promise<void>): Promise<void> =>
  withStubEnv(undefined, async (env) => {
    const server = (await openAppServer(env.codexOptions()))._unsafeUnwrap();
    try {
      await fn(env, server);
    } finally {
      await server.close();
    }
  });

const run = async (thread: Thread, input: string, deps: RunDeps = {}): Promise<TurnOutcome> => {
  const r = await runTurn(thread, input, {}, { secret: SECRET, ...deps });
  if (r.isErr()) throw new Error(`turn failed: ${JSON.stringify(r.error)}`);
  return r.value;
};

/** The claim of a thread's token, verified with the spec's secret. */
const claimOf = (thread: Thread) => {
  const d = decodeContinuationToken(thread.continuationToken, SECRET)._unsafeUnwrap();
  if (d.kind !== "signed") throw new Error(`expected a signed token, got ${d.kind}`);
  return d.claim;
};

describe("forks over app-server", () => {
  it.concurrent(
    "a fork taken at an earlier turn reports, turn by turn, what the stub billed",
    async () => {
      await withServer(async (env, server) => {
        const transport = server.transport;
        const deps: LifecycleDeps = { transport, secret: SECRET };
        const one = await run(env.thread(), "turn one", { transport });
        const two = await run(one.thread, "turn two", { transport });
        const three = await run(two.thread, "turn three", { transport });
        expect(three.thread.cumulativeUsage).toEqual(sum(billed(1), billed(2), billed(3)));

        const fork = (
          await forkThread(three.thread, { lastTurnId: String(one.turn.turnId) }, deps)
        )._unsafeUnwrap();
        expect(env.stub.requests).toHaveLength(3); // forking asks the model nothing
        // The fork's history is turn one: its usage, not the parent's three turns.
        expect(fork.cumulativeUsage).toEqual(billed(1));

        // Without reading the session after the turn: the baseline alone makes it right.
        const first = await run(fork, "fork turn one", { transport, observe: false });
        expect(env.stub.requests).toHaveLength(4);
        expect(first.turn.usage).toEqual(billed(4));
        expect(first.turn.cumulativeUsage).toEqual(sum(billed(1), billed(4)));
        const second = await run(first.thread, "fork turn two", { transport });
        expect(second.turn.usage).toEqual(billed(5));
        expect(second.turn.cumulativeUsage).toEqual(sum(billed(1), billed(4), billed(5)));

        // The parent's figures are untouched by the fork's turns.
        const four = await run(three.thread, "turn four", { transport });
        expect(four.turn.usage).toEqual(billed(6));
        expect(env.stub.requests).toHaveLength(6);
      });
    },
  );

  it.concurrent("a fork of a fork finds its history's usage in the first parent", async () => {
    await withServer(async (env, server) => {
      const transport = server.transport;
      const deps: LifecycleDeps = { transport, secret: SECRET };
      const one = await run(env.thread(), "turn one", { transport });
      const two = await run(one.thread, "turn two", { transport });
      const fork = (
        await forkThread(two.thread, { lastTurnId: String(one.turn.turnId) }, deps)
      )._unsafeUnwrap();
      // Forked before it has a turn of its own: its whole history is in the first parent.
      const forkOfFork = (await forkThread(fork, {}, deps))._unsafeUnwrap();
      expect(forkOfFork.cumulativeUsage).toEqual(billed(1));
      const first = await run(forkOfFork, "grandchild", { transport, observe: false });
      expect(first.turn.usage).toEqual(billed(3));
      expect(first.turn.cumulativeUsage).toEqual(sum(billed(1), billed(3)));
      expect(env.stub.requests).toHaveLength(3);
    });
  });

  it.concurrent("listThreads, readThread and the session store agree on forkedFromId", async () => {
    await withServer(async (env, server) => {
      const deps: LifecycleDeps = { transport: server.transport, secret: SECRET };
      const parent = await run(env.thread(), "parent", { transport: server.transport });
      const fork = (await forkThread(parent.thread, {}, deps))._unsafeUnwrap();
      const parentId = parent.thread.threadId;

      const listed = (await listThreads({}, deps))._unsafeUnwrap().threads;
      const byId = new Map(listed.map((t) => [t.threadId, t.forkedFromId]));
      expect(byId.get(String(fork.threadId))).toBe(parentId);
      expect(byId.get(String(parentId))).toBeNull();
      const read = (await readThread(String(fork.threadId), {}, deps))._unsafeUnwrap();
      expect(read.thread.forkedFromId).toBe(parentId);
      const stored = await findSession(String(fork.threadId), { env: env.env });
      expect(stored._unsafeUnwrap().forkedFromId).toBe(parentId);
      expect(
        (await findSession(String(parentId), { env: env.env }))._unsafeUnwrap().forkedFromId,
      ).toBeNull();
    });
  });

  it.concurrent(
    "a fork carries a signed token for its position; its first turn is validated",
    async () => {
      await withServer(async (env, server) => {
        const transport = server.transport;
        const deps: LifecycleDeps = { transport, secret: SECRET };
        const one = await run(env.thread(), "turn one", { transport });
        const two = await run(one.thread, "turn two", { transport });
        const fork = (
          await forkThread(two.thread, { lastTurnId: String(one.turn.turnId) }, deps)
        )._unsafeUnwrap();
        // The position the session observer sees in the fork's own rollout: no turns yet.
        expect(claimOf(fork)).toEqual({
          threadId: fork.threadId,
          completedTurns: 0,
          lastTurnId: null,
        });

        // Signed with another key: refused before the model is asked anything.
        const otherKey = await runTurn(fork, "x", {}, { transport, secret: "another-secret" });
        expect(otherKey._unsafeUnwrapErr()).toMatchObject({
          _tag: "ContinuationMismatch",
          reason: "signature",
        });
        expect(env.stub.requests).toHaveLength(2);

        const first = await run(fork, "fork turn", { transport });
        expect(claimOf(first.thread)).toEqual({
          threadId: fork.threadId,
          completedTurns: 1,
          lastTurnId: first.turn.turnId,
        });
        // The fork value again, after the fork moved on: a stale snapshot, refused.
        const stale = await runTurn(fork, "again", {}, { transport, secret: SECRET });
        expect(stale._unsafeUnwrapErr()).toMatchObject({
          _tag: "ContinuationMismatch",
          reason: "stale",
        });
        expect(env.stub.requests).toHaveLength(3);
      });
    },
  );
});

describe("forkThread's secret", () => {
  it.concurrent(
    "must be a non-empty string: refused before anything runs, never echoed",
    async () => {
      await withStubEnv(undefined, async (env) => {
        const thread = env.resume("01a20fb5-32b6-73c3-8683-50ee63f5dba7");
        for (const secret of ["", 42, null])
          for (const deps of [{ codexOptions: env.codexOptions() }, { transport: undefined }]) {
            const r = await forkThread(thread, {}, { ...deps, secret } as unknown as LifecycleDeps);
            expect(r._unsafeUnwrapErr()).toMatchObject({
              _tag: "InvalidOptions",
              path: "deps.secret",
            });
            expect(JSON.stringify(r._unsafeUnwrapErr())).not.toContain("42");
          }
        expect(env.stub.requests).toHaveLength(0);
      });
    },
  );
});

describe("forks over the codex CLI (exec)", () => {
  it.concurrent(
    "`codex exec fork`: billed usage per turn, forkedFromId in the store, a guarded first turn",
    async () => {
      await withStubEnv(undefined, async (env) => {
        const deps: LifecycleDeps = { codexOptions: env.codexOptions(), secret: SECRET };
        const one = await run(env.thread(), "turn one");
        const two = await run(one.thread, "turn two");
        // A stale parent value (it never saw turn two): the fork's history is still both turns.
        const fork = (await forkThread(one.thread, {}, deps))._unsafeUnwrap();
        expect(fork.threadId).toMatch(UUID);
        expect(env.stub.requests).toHaveLength(2);
        expect(fork.cumulativeUsage).toEqual(sum(billed(1), billed(2)));
        expect(two.thread.cumulativeUsage).toEqual(fork.cumulativeUsage);
        expect(claimOf(fork)).toEqual({
          threadId: fork.threadId,
          completedTurns: 0,
          lastTurnId: null,
        });
        expect(
          (await findSession(String(fork.threadId), { env: env.env }))._unsafeUnwrap().forkedFromId,
        ).toBe(one.thread.threadId);

        const first = await run(fork, "fork turn", { observe: false });
        expect(first.turn.usage).toEqual(billed(3));
        expect(first.turn.cumulativeUsage).toEqual(sum(billed(1), billed(2), billed(3)));
        const stale = await runTurn(fork, "again", {}, { secret: SECRET });
        expect(stale._unsafeUnwrapErr()).toMatchObject({
          _tag: "ContinuationMismatch",
          reason: "stale",
        });
        expect(env.stub.requests).toHaveLength(3);
      });
    },
  );
});
