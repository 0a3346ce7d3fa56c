/**
 * What a caller hands the shell besides the thread (issue 13, parts 1 to 3): a transport whose
 * `kind` answers twice or whose `cancel` throws, a consumer that overlaps its `next` calls, a
 * store read given a look-alike signal, and a fork of a thread whose token the turn's policy
 * refuses. Each is taken once, contained or refused with a typed error: no throw, no rejection,
 * no hang, and nothing forked that a turn would refuse.
 */
import { okAsync } from "neverthrow";
import { mintContinuationToken } from "../../lib/core/continuation.js";
import type { ThreadEvent } from "../../lib/core/events.js";
import { resumeThread, startThread, type Thread } from "../../lib/core/thread.js";
import { forkThread } from "../../lib/shell/lifecycle.js";
import { execTransport } from "../../lib/shell/exec-transport.js";
import { runStreamed, runTurn } from "../../lib/shell/run.js";
import { listSessions, readSession } from "../../lib/shell/sessions.js";
import type { Transport } from "../../lib/shell/transport.js";
import { errOf, okOf } from "../support/results.js";
import { untyped } from "../support/untyped.js";

const THREAD_ID = "0199a0f0-0000-7000-8000-0000000000cc";
const SECRET = "the-turns-secret";
const MISSING_BINARY = "/nonexistent/codex-fp-hostile/codex";

const started = (): ThreadEvent =>
  ({ type: "thread.started", thread_id: THREAD_ID }) as ThreadEvent;

/**
 * A transport whose turn yields `events`, then waits until it is cancelled (or ends at once when
 * `hang` is false). Its `cancel` ends the turn and then throws, as a broken transport might.
 */
const scripted = (events: ThreadEvent[], hang: boolean): Transport & { cancels: number } => {
  const t = {
    kind: "scripted",
    cancels: 0,
    startTurn: () => {
      let release = (): void => undefined;
      const done = new Promise<void>((r) => {
        release = r;
        if (!hang) r();
      });
      async function* stream(): AsyncGenerator<ThreadEvent> {
        for (const e of events) yield e;
        await done;
      }
      return okAsync({
        events: stream(),
        exit: done.then(() => ({ ok: true as const, value: { exitCode: 0, signal: null } })),
        cancel: () => {
          t.cancels++;
          release();
          throw new Error("the transport's cancel failed");
        },
      });
    },
  };
  return t;
};

const thread = (): Thread => okOf(startThread({}, { skipGitRepoCheck: true }));

describe("a transport whose cancel throws", () => {
  it("a timeout still ends the turn as TimedOut, and nothing escapes the timer", async () => {
    const transport = scripted([started()], true);
    const r = await runTurn(thread(), "hi", { timeoutMs: 50 }, { transport, observe: false });
    expect(errOf(r)).toMatchObject({ _tag: "TimedOut" });
    expect(transport.cancels).toBeGreaterThan(0);
  });

  it("an abort still ends the turn as Aborted, and nothing escapes the listener", async () => {
    const transport = scripted([started()], true);
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 30);
    const r = await runTurn(thread(), "hi", { signal: ac.signal }, { transport, observe: false });
    expect(errOf(r)).toMatchObject({ _tag: "Aborted" });
  });

  it("leaving a streamed turn early does not throw out of the loop", async () => {
    const transport = scripted([started()], true);
    const run = runStreamed(thread(), "hi", {}, { transport, observe: false });
    const seen: string[] = [];
    for await (const e of run.events) {
      seen.push(e.type);
      break;
    }
    expect(seen).toEqual(["thread.started"]);
    expect(transport.cancels).toBe(1);
  });
});

describe("a streamed turn's events, read with overlapping next calls", () => {
  it("answers each call in order with its own event, and every call settles", async () => {
    const events = [
      started(),
      { type: "turn.started" } as ThreadEvent,
      {
        type: "turn.completed",
        usage: { input_tokens: 1, cached_input_tokens: 0, output_tokens: 1 },
      } as ThreadEvent,
    ];
    const transport = scripted(events, false);
    const it = runStreamed(thread(), "hi", {}, { transport, observe: false }).events[
      Symbol.asyncIterator
    ]();
    const calls = [it.next(), it.next(), it.next(), it.next(), it.next()];
    const results = await Promise.race([
      Promise.all(calls),
      new Promise<"hung">((r) => setTimeout(() => r("hung"), 5_000)),
    ]);
    expect(results).not.toBe("hung");
    const got = (results as IteratorResult<ThreadEvent>[]).map((x) =>
      x.done === true ? "done" : x.value.type,
    );
    expect(got).toEqual(["thread.started", "turn.started", "turn.completed", "done", "done"]);
  });
});

describe("deps.transport is read once", () => {
  it("a kind that answers exec to the check and replay later does not skip the preflight", async () => {
    let reads = 0;
    let startedTurns = 0;
    const transport = {
      get kind() {
        return reads++ === 0 ? "exec" : "replay";
      },
      startTurn: () => {
        startedTurns++;
        return scripted([], false).startTurn(untyped({}));
      },
    };
    const input = [
      { type: "text" as const, text: "hi" },
      { type: "local_image" as const, path: "/nonexistent/codex-fp-hostile/image.png" },
    ];
    const r = await runTurn(thread(), input, {}, { transport, observe: false });
    expect(errOf(r)).toMatchObject({ _tag: "InvalidOptions" });
    expect(errOf(r).path).toMatch(/^input/);
    expect(startedTurns).toBe(0);
    expect(reads).toBe(1);
  });
});

describe("a store read given a look-alike signal", () => {
  it.each([
    ["Object.create(AbortSignal.prototype)", () => Object.create(AbortSignal.prototype) as unknown],
    ["a Proxy over a real signal", () => new Proxy(new AbortController().signal, {})],
  ])("%s is InvalidOptions at opts.signal, not a rejection", async (_what, make) => {
    const listed = await listSessions({ codexHome: "/nonexistent", signal: untyped(make()) });
    expect(errOf(listed)).toMatchObject({ _tag: "InvalidOptions", path: "opts.signal" });
    const read = await readSession("/nonexistent/rollout.jsonl", { signal: untyped(make()) });
    expect(errOf(read)).toMatchObject({ _tag: "InvalidOptions", path: "opts.signal" });
  });
});

describe("forkThread applies the turn's token policy to the parent", () => {
  const parentWith = (continuationToken: string | null): Thread =>
    okOf(resumeThread(THREAD_ID, {}, { skipGitRepoCheck: true }, { continuationToken }));
  const signed = (): string =>
    okOf(
      mintContinuationToken({ threadId: THREAD_ID, lastTurnId: null, completedTurns: 0 }, SECRET),
    );
  const deps = { codexPath: MISSING_BINARY, secret: SECRET };

  it("a parent whose token is not signed with the secret is refused before anything runs", async () => {
    for (const token of ["forged-legacy", signed().replace(/.$/, "A"), "cfp1.e30"]) {
      const r = await forkThread(parentWith(token), {}, deps);
      expect([token, errOf(r)]).toMatchObject([
        token,
        { _tag: "ContinuationMismatch", reason: "signature" },
      ]);
    }
  });

  it("a legacy parent passes only with acceptLegacyTokens (then the binary is looked for)", async () => {
    const r = await forkThread(
      parentWith("forged-legacy"),
      {},
      { ...deps, acceptLegacyTokens: true },
    );
    expect(errOf(r)._tag).not.toBe("ContinuationMismatch");
  });

  it("requireToken refuses a parent without a token", async () => {
    const r = await forkThread(parentWith(null), {}, { ...deps, requireToken: true });
    expect(errOf(r)).toMatchObject({ _tag: "ContinuationMismatch", reason: "signature" });
    const without = await forkThread(parentWith(null), {}, deps);
    expect(errOf(without)._tag).not.toBe("ContinuationMismatch");
  });

  it("a parent signed with the secret gets past the check", async () => {
    const r = await forkThread(parentWith(signed()), {}, deps);
    expect(errOf(r)._tag).not.toBe("ContinuationMismatch");
  });
});

describe("execTransport reads its options once, when it is made", () => {
  it("bad options are InvalidOptions at their path from every turn, before any spawn", async () => {
    for (const [options, path] of [
      [{ codexPath: 5 }, "options.codexPath"],
      [{ processEnv: { PATH: 5 } }, "options.processEnv.PATH"],
      [{ tmpDir: {} }, "options.tmpDir"],
      [{ stderrTailBytes: -1 }, "options.stderrTailBytes"],
      [5, "options"],
    ] as const) {
      const transport = execTransport(untyped(options));
      const r = await runTurn(thread(), "hi", {}, { transport, observe: false });
      expect([path, errOf(r)]).toMatchObject([path, { _tag: "InvalidOptions", path }]);
    }
  });

  it("a codexPath getter is read once for all the transport's turns", async () => {
    let reads = 0;
    const options = {
      get codexPath() {
        reads++;
        return MISSING_BINARY;
      },
    };
    const transport = execTransport(options);
    for (let i = 0; i < 2; i++) {
      const r = await runTurn(thread(), "hi", {}, { transport, observe: false });
      expect(errOf(r)).toMatchObject({ _tag: "CodexNotFound" });
    }
    expect(reads).toBe(1);
  });
});
