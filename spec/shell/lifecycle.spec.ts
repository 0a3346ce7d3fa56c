/**
 * The thread lifecycle — fork, archive, unarchive, delete, list, read, name — against the REAL
 * codex CLI and the loopback model stub: over an app-server (`deps.transport =
 * server.transport`) and over the plain CLI (`codex exec fork`, `codex archive` …).
 */
import { isLeft } from "fp-ts/lib/Either.js";

import type { Thread } from "../../lib/core/thread.js";
import { openAppServer, type AppServer } from "../../lib/shell/app-server/open.js";
import { ThreadPage, ThreadRecord } from "../../lib/shell/app-server/summary.js";
import { execTransport } from "../../lib/shell/exec-transport.js";
import type { Transport } from "../../lib/shell/transport.js";
import {
  LifecycleEvent,
  archiveThread,
  deleteThread,
  forkThread,
  listThreads,
  readThread,
  setThreadName,
  unarchiveThread,
  type LifecycleDeps,
} from "../../lib/shell/lifecycle.js";
import { replayTransport } from "../../lib/shell/replay-transport.js";
import { runTurn, type TurnOutcome } from "../../lib/shell/run.js";
import { UNKNOWN_UUID, UUID, expectNoKey, withStubEnv, type StubEnv } from "../support/run-env.js";
import { untyped } from "../support/untyped.js";

const withServer = async (fn: (env: StubEnv, server: AppServer) => Promise<void>): Promise<void> =>
  withStubEnv(undefined, async (env) => {
    const server = (await openAppServer(env.codexOptions()))._unsafeUnwrap();
    try {
      await fn(env, server);
    } finally {
      await server.close();
    }
  });

const run = async (
  thread: Thread,
  input: string,
  transport?: AppServer["transport"],
): Promise<TurnOutcome> => {
  const r = await runTurn(
    thread,
    input,
    {},
    {
      observe: false,
      ...(transport !== undefined ? { transport } : {}),
    },
  );
  if (r.isErr()) throw new Error(`turn failed: ${JSON.stringify(r.error)}`);
  return r.value;
};

/** The user texts the model saw in the request at `index` (0-based), in order. */
const historyOf = (env: StubEnv, index: number): string =>
  JSON.stringify(env.stub.requests[index]?.body);

describe("the lifecycle over app-server", () => {
  it.concurrent(
    "forks a thread; the fork runs with the parent's history, the parent is untouched",
    async () => {
      await withServer(async (env, server) => {
        const deps: LifecycleDeps = { transport: server.transport };
        const parent = await run(env.thread(), "parent question", server.transport);
        const fork = (await forkThread(parent.thread, {}, deps))._unsafeUnwrap();
        expect(fork.threadId).toMatch(UUID);
        expect(fork.threadId).not.toBe(parent.thread.threadId);
        expect(fork.threadOptions).toEqual(parent.thread.threadOptions);
        expect(fork.continuationToken).not.toBeNull(); // its first turn is guarded (forks.spec.ts)
        expect(fork.cumulativeUsage).toEqual(parent.thread.cumulativeUsage);

        const child = await run(fork, "fork question", server.transport);
        expect(child.thread.threadId).toBe(fork.threadId);
        expect(child.turn.finalResponse).toBe("Hello from stub 2: fork question");
        expect(historyOf(env, 1)).toContain("parent question");
        // Per-turn usage like exec's fork: the fork's own turn, on top of the parent's history.
        expect(child.turn.usage.input_tokens).toBe(36);
        expect(child.turn.cumulativeUsage.input_tokens).toBe(60);

        const parentRecord = (
          await readThread(parent.thread.threadId!, { includeTurns: true }, deps)
        )._unsafeUnwrap();
        expect(parentRecord.turns).toHaveLength(1);
        const forkRecord = (
          await readThread(fork.threadId!, { includeTurns: true }, deps)
        )._unsafeUnwrap();
        expect(forkRecord.thread.forkedFromId).toBe(parent.thread.threadId);
        expect(
          forkRecord.turns?.map((t) =>
            t.items.map((i) => (i.type === "agent_message" ? i.text : i.type)),
          ),
        ).toEqual([["Hello from stub 1: parent question"], ["Hello from stub 2: fork question"]]);
        expect(isLeft(ThreadRecord.decode(forkRecord))).toBe(false);

        // The parent goes on by itself: its history does not hold the fork's turn.
        await run(parent.thread, "parent again", server.transport);
        expect(historyOf(env, 2)).not.toContain("fork question");
      });
    },
  );

  it.concurrent("forks through an earlier turn (lastTurnId)", async () => {
    await withServer(async (env, server) => {
      const one = await run(env.thread(), "turn one", server.transport);
      const two = await run(one.thread, "turn two", server.transport);
      const fork = (
        await forkThread(
          two.thread,
          { lastTurnId: String(one.turn.turnId) },
          { transport: server.transport },
        )
      )._unsafeUnwrap();
      await run(fork, "after the fork", server.transport);
      const body = historyOf(env, 2);
      expect(body).toContain("turn one");
      expect(body).not.toContain("turn two");
    });
  });

  it.concurrent(
    "archives: gone from listThreads(), listed with archived: true; unarchive brings it back",
    async () => {
      await withServer(async (env, server) => {
        const deps: LifecycleDeps = { transport: server.transport };
        const a = await run(env.thread(), "thread a", server.transport);
        const b = await run(env.thread(), "thread b", server.transport);
        const ids = (page: ThreadPage) => page.threads.map((t) => t.threadId);

        expect(ids((await listThreads({}, deps))._unsafeUnwrap()).sort()).toEqual(
          [a.thread.threadId, b.thread.threadId].sort(),
        );
        expect((await archiveThread(a.thread.threadId!, deps)).isOk()).toBe(true);
        const active = (await listThreads({}, deps))._unsafeUnwrap();
        expect(ids(active)).toEqual([b.thread.threadId]);
        expect(active.threads[0]).toMatchObject({ archived: false, preview: "thread b" });
        const archived = (await listThreads({ archived: true }, deps))._unsafeUnwrap();
        expect(archived.threads).toEqual([
          expect.objectContaining({ threadId: a.thread.threadId, archived: true }),
        ]);
        expect(isLeft(ThreadPage.decode(archived))).toBe(false);

        expect((await unarchiveThread(a.thread.threadId!, deps)).isOk()).toBe(true);
        expect(ids((await listThreads({}, deps))._unsafeUnwrap())).toContain(a.thread.threadId);
        expect((await unarchiveThread(a.thread.threadId!, deps))._unsafeUnwrapErr()).toMatchObject({
          _tag: "ThreadNotFound",
        });
        // An archived thread is not resumed: its turns fail with ThreadNotFound until unarchived.
        await archiveThread(b.thread.threadId!, deps);
        const r = await runTurn(
          b.thread,
          "still there?",
          {},
          { transport: server.transport, observe: false },
        );
        expect(r._unsafeUnwrapErr()).toMatchObject({
          _tag: "ThreadNotFound",
          message: expect.stringContaining("archived"),
        });
      });
    },
  );

  it.concurrent("deletes: readThread then gives ThreadNotFound", async () => {
    await withServer(async (env, server) => {
      const deps: LifecycleDeps = { transport: server.transport };
      const a = await run(env.thread(), "to be deleted", server.transport);
      expect((await readThread(a.thread.threadId!, {}, deps))._unsafeUnwrap().thread).toMatchObject(
        {
          threadId: a.thread.threadId,
          preview: "to be deleted",
          archived: false,
        },
      );
      expect((await deleteThread(a.thread.threadId!, deps)).isOk()).toBe(true);
      expect((await readThread(a.thread.threadId!, {}, deps))._unsafeUnwrapErr()).toMatchObject({
        _tag: "ThreadNotFound",
        threadId: a.thread.threadId,
      });
      expect((await listThreads({}, deps))._unsafeUnwrap().threads).toEqual([]);
      expect((await deleteThread(a.thread.threadId!, deps))._unsafeUnwrapErr()).toMatchObject({
        _tag: "ThreadNotFound",
      });
      const again = await runTurn(
        a.thread,
        "hello?",
        {},
        { transport: server.transport, observe: false },
      );
      expect(again._unsafeUnwrapErr()).toMatchObject({ _tag: "ThreadNotFound" });
    });
  });

  it.concurrent("refuses to delete a thread its forks still reference (RpcFailed)", async () => {
    await withServer(async (env, server) => {
      const deps: LifecycleDeps = { transport: server.transport };
      const a = await run(env.thread(), "parent", server.transport);
      (await forkThread(a.thread, {}, deps))._unsafeUnwrap();
      expect((await deleteThread(a.thread.threadId!, deps))._unsafeUnwrapErr()).toMatchObject({
        _tag: "RpcFailed",
        message: expect.stringContaining("forked history"),
      });
    });
  });

  it.concurrent("lists page by page, names threads, and searches titles", async () => {
    await withServer(async (env, server) => {
      const deps: LifecycleDeps = { transport: server.transport };
      const made: string[] = [];
      for (const q of ["first", "second", "third"])
        made.push(String((await run(env.thread(), q, server.transport)).thread.threadId));
      const page1 = (await listThreads({ limit: 2 }, deps))._unsafeUnwrap();
      expect(page1.threads).toHaveLength(2);
      expect(page1.nextCursor).not.toBeNull();
      const page2 = (
        await listThreads({ limit: 2, cursor: page1.nextCursor! }, deps)
      )._unsafeUnwrap();
      expect(page2.threads).toHaveLength(1);
      expect(page2.nextCursor).toBeNull();
      expect([...page1.threads, ...page2.threads].map((t) => t.threadId).sort()).toEqual(
        [...made].sort(),
      );

      expect((await setThreadName(made[1]!, "the second one", deps)).isOk()).toBe(true);
      expect((await readThread(made[1]!, {}, deps))._unsafeUnwrap().thread.name).toBe(
        "the second one",
      );
      const found = (await listThreads({ searchTerm: "second one" }, deps))._unsafeUnwrap();
      expect(found.threads.map((t) => t.threadId)).toEqual([made[1]]);
      expect(
        (await listThreads({ cwd: env.sandbox.cwd }, deps))._unsafeUnwrap().threads,
      ).toHaveLength(3);
    });
  });

  it.concurrent("lists threads made by `codex exec` too", async () => {
    await withServer(async (env, server) => {
      const viaExec = await run(env.thread(), "made by exec");
      const viaServer = await run(env.thread(), "made by the server", server.transport);
      const page = (await listThreads({}, { transport: server.transport }))._unsafeUnwrap();
      expect(page.threads.map((t) => t.threadId).sort()).toEqual(
        [viaExec.thread.threadId, viaServer.thread.threadId].sort(),
      );
    });
  });

  it.concurrent("maps unknown ids to ThreadNotFound and reports every call", async () => {
    await withServer(async (env, server) => {
      const events: LifecycleEvent[] = [];
      const deps: LifecycleDeps = {
        transport: server.transport,
        sink: (e) => events.push(e as LifecycleEvent),
      };
      for (const call of [
        () => archiveThread(UNKNOWN_UUID, deps),
        () => unarchiveThread(UNKNOWN_UUID, deps),
        () => deleteThread(UNKNOWN_UUID, deps),
        () => readThread(UNKNOWN_UUID, {}, deps),
        () => setThreadName(UNKNOWN_UUID, "x", deps),
        () => forkThread(env.resume(UNKNOWN_UUID), {}, deps),
      ])
        expect((await call())._unsafeUnwrapErr()).toMatchObject({
          _tag: "ThreadNotFound",
          threadId: UNKNOWN_UUID,
        });
      expect(events.map((e) => e.name)).toEqual([
        "codex.thread.archive",
        "codex.thread.unarchive",
        "codex.thread.delete",
        "codex.thread.read",
        "codex.thread.name",
        "codex.thread.fork",
      ]);
      for (const e of events) {
        expect(isLeft(LifecycleEvent.decode(e))).toBe(false);
        expect(e).toMatchObject({
          outcome: "error",
          errorTag: "ThreadNotFound",
          transport: "app-server",
        });
      }
      expectNoKey(events);
    });
  });
});

describe("the lifecycle's app-server capability (deps.server)", () => {
  it.concurrent(
    "goes to deps.server, or to the server a copy of its transport carries; a wrapper that carries none is told to pass deps.server",
    async () => {
      await withServer(async (env, server) => {
        const made = String(
          (await run(env.thread(), "explicit server", server.transport)).thread.threadId,
        );
        // A transport wrapped by the caller: it runs turns, but carries no app-server.
        const wrapper: Transport = {
          kind: "app-server",
          startTurn: (r) => server.transport.startTurn(r),
        };
        const events: LifecycleEvent[] = [];
        const sink = (e: unknown) => events.push(e as LifecycleEvent);

        // deps.server alone, and deps.server beside the wrapper: requests on that server.
        expect((await readThread(made, {}, { server }))._unsafeUnwrap().thread.threadId).toBe(made);
        expect((await archiveThread(made, { server, transport: wrapper })).isOk()).toBe(true);
        // A copy of the transport keeps the capability (it is an own property, not a lookup).
        const copy: Transport = { ...server.transport };
        const archived = (
          await listThreads({ archived: true }, { transport: copy })
        )._unsafeUnwrap();
        expect(archived.threads.map((t) => t.threadId)).toEqual([made]);
        // The server's sink is the default sink of the calls given deps.server.
        expect(
          (await unarchiveThread(made, { server: { transport: server.transport, sink } })).isOk(),
        ).toBe(true);
        expect(events).toHaveLength(1);
        expect(events[0]).toMatchObject({
          name: "codex.thread.unarchive",
          transport: "app-server",
          outcome: "ok",
        });

        // The wrapper alone: not a silent Unsupported, but one that names deps.server.
        for (const call of [
          () => readThread(made, {}, { transport: wrapper }),
          () => archiveThread(made, { transport: wrapper }),
          () => forkThread(env.resume(made), {}, { transport: wrapper }),
        ]) {
          const e = (await call())._unsafeUnwrapErr();
          expect(e).toMatchObject({ _tag: "Unsupported", transport: "app-server" });
          expect(e.message).toMatch(/deps\.server/);
        }
        // Nothing was archived through the wrapper.
        expect(
          (await listThreads({ archived: true }, { server }))._unsafeUnwrap().threads,
        ).toHaveLength(0);
      });
    },
  );

  it("refuses a deps.server that is no AppServer, before anything runs", async () => {
    for (const server of [42, {}, { transport: execTransport({}) }, null])
      expect(
        (
          await readThread(UNKNOWN_UUID, {}, { server } as unknown as LifecycleDeps)
        )._unsafeUnwrapErr(),
      ).toMatchObject({ _tag: "InvalidOptions", path: "deps.server" });
  });
});

describe("the lifecycle over the codex CLI (exec)", () => {
  it.concurrent(
    "forks with `codex exec fork`; the fork resumes with the parent's history",
    async () => {
      await withStubEnv(undefined, async (env) => {
        const deps: LifecycleDeps = { codexOptions: env.codexOptions() };
        const parent = await run(env.thread(), "parent question");
        const fork = (await forkThread(parent.thread, {}, deps))._unsafeUnwrap();
        expect(fork.threadId).toMatch(UUID);
        expect(fork.threadId).not.toBe(parent.thread.threadId);
        const child = await run(fork, "fork question");
        expect(child.thread.threadId).toBe(fork.threadId);
        expect(historyOf(env, 1)).toContain("parent question");
        expect(child.turn.usage.input_tokens).toBe(36);
        expect(child.turn.cumulativeUsage.input_tokens).toBe(60);
        expect(
          (await forkThread(env.resume(UNKNOWN_UUID), {}, deps))._unsafeUnwrapErr(),
        ).toMatchObject({
          _tag: "ThreadNotFound",
        });
        expect(
          (await forkThread(parent.thread, { lastTurnId: "x" }, deps))._unsafeUnwrapErr(),
        ).toMatchObject({ _tag: "Unsupported", transport: "exec" });
        // The parent of a fork cannot be deleted: the CLI refuses (ExecFailed, not ThreadNotFound).
        expect(
          (await deleteThread(parent.thread.threadId!, deps))._unsafeUnwrapErr(),
        ).toMatchObject({
          _tag: "ExecFailed",
          message: expect.stringContaining("codex delete exited with code 1"),
        });
      });
    },
  );

  it.concurrent(
    "archives, unarchives and deletes with the CLI; unknown ids are ThreadNotFound",
    async () => {
      await withStubEnv(undefined, async (env) => {
        const events: LifecycleEvent[] = [];
        const deps: LifecycleDeps = {
          codexOptions: env.codexOptions(),
          transport: execTransport(),
          sink: (e) => events.push(e as LifecycleEvent),
        };
        const a = await run(env.thread(), "cli thread");
        const id = a.thread.threadId;
        expect((await archiveThread(id!, deps)).isOk()).toBe(true);
        expect((await archiveThread(id!, deps))._unsafeUnwrapErr()).toMatchObject({
          _tag: "ThreadNotFound",
        });
        expect((await unarchiveThread(id!, deps)).isOk()).toBe(true);
        expect((await deleteThread(id!, deps)).isOk()).toBe(true);
        for (const call of [archiveThread, unarchiveThread, deleteThread])
          expect((await call(UNKNOWN_UUID, deps))._unsafeUnwrapErr()).toMatchObject({
            _tag: "ThreadNotFound",
            threadId: UNKNOWN_UUID,
          });
        expect(events.every((e) => e.transport === "exec")).toBe(true);
        expect(events.filter((e) => e.outcome === "ok")).toHaveLength(3);
        expectNoKey(events);
      });
    },
  );

  it.concurrent(
    "returns Unsupported for what the CLI cannot do, without running anything",
    async () => {
      const deps: LifecycleDeps = {};
      expect((await listThreads({}, deps))._unsafeUnwrapErr()).toMatchObject({
        _tag: "Unsupported",
        operation: "listThreads",
      });
      expect((await readThread(UNKNOWN_UUID, {}, deps))._unsafeUnwrapErr()).toMatchObject({
        _tag: "Unsupported",
      });
      expect((await setThreadName(UNKNOWN_UUID, "n", deps))._unsafeUnwrapErr()).toMatchObject({
        _tag: "Unsupported",
      });
      const replay = { transport: replayTransport([]) };
      expect((await archiveThread(UNKNOWN_UUID, replay))._unsafeUnwrapErr()).toMatchObject({
        _tag: "Unsupported",
        transport: "replay",
      });
    },
  );
});

describe("lifecycle input validation", () => {
  it("rejects ids the CLI would read as flags, and bad options, before anything runs", async () => {
    const deps: LifecycleDeps = { codexPath: "/no/such/codex" };
    for (const id of ["--force", "-x", "", "a/b", 42, null])
      for (const call of [
        archiveThread(untyped(id), deps),
        unarchiveThread(untyped(id), deps),
        deleteThread(untyped(id), deps),
        readThread(untyped(id), {}, deps),
        setThreadName(untyped(id), "n", deps),
      ])
        expect((await call)._unsafeUnwrapErr()).toMatchObject({ _tag: "InvalidThreadId" });
    expect((await listThreads({ limit: 0 }, deps))._unsafeUnwrapErr()).toMatchObject({
      _tag: "InvalidOptions",
    });
    expect((await listThreads({ nope: true } as never, deps))._unsafeUnwrapErr()).toMatchObject({
      _tag: "InvalidOptions",
    });
    expect((await setThreadName(UNKNOWN_UUID, "  ", deps))._unsafeUnwrapErr()).toMatchObject({
      _tag: "InvalidOptions",
    });
    expect(
      (await readThread(UNKNOWN_UUID, { includeTurns: "yes" } as never, deps))._unsafeUnwrapErr(),
    ).toMatchObject({
      _tag: "InvalidOptions",
    });
    expect((await forkThread({} as Thread, {}, deps))._unsafeUnwrapErr()).toMatchObject({
      _tag: "NotAThread",
    });
    // The CLI path with a binary that does not exist: a typed error, not a throw.
    expect((await archiveThread(UNKNOWN_UUID, deps))._unsafeUnwrapErr()).toMatchObject({
      _tag: "CodexNotFound",
    });
  });
});
