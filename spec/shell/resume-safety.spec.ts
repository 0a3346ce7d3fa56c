import { appendFileSync, readFileSync, writeFileSync } from "node:fs";
import { recordingSink, resumeLast, runTurn, type Thread } from "../../lib/index.js";
import { findSession } from "../../lib/sessions/index.js";
import { execTransport, type Transport } from "../../lib/advanced/index.js";
import { withStubEnv } from "../support/run-env.js";

/** The exec transport, counting the turns it is asked to start (a spawn each). */
const counting = (): { transport: Transport; spawns: () => number } => {
  const inner = execTransport();
  let n = 0;
  return {
    transport: { kind: inner.kind, startTurn: (r) => ((n += 1), inner.startTurn(r)) },
    spawns: () => n,
  };
};

const ok = async (r: ReturnType<typeof runTurn>) => (await r)._unsafeUnwrap();

describe("resume safety with the real CLI", () => {
  it("refuses a stale snapshot before any process starts, with one telemetry event", () =>
    withStubEnv(undefined, async (env) => {
      const first = await ok(runTurn(env.thread(), "one"));
      const snapshot: Thread = first.thread; // two values from the same point
      const ahead = await ok(runTurn(snapshot, "two"));
      expect(ahead.thread.threadId).toBe(snapshot.threadId);

      const { transport, spawns } = counting();
      const telemetry = recordingSink();
      const stale = await runTurn(snapshot, "three", {}, { transport, sink: telemetry.sink });
      expect(stale._unsafeUnwrapErr()).toMatchObject({
        _tag: "ContinuationMismatch",
        reason: "stale",
        expected: { completedTurns: 1 },
        observed: { completedTurns: 2 },
      });
      expect(spawns()).toBe(0);
      expect(telemetry.events.map((e) => e.name)).toEqual(["codex.thread.resume.mismatch"]);

      // The value that is up to date still runs.
      const third = await ok(runTurn(ahead.thread, "three", {}, { transport }));
      expect(spawns()).toBe(1);
      expect(third.turn.finalResponse).toContain("three");
    }));

  it("refuses a token whose session is there but cannot be read (fail closed), before any process", () =>
    withStubEnv(undefined, async (env) => {
      const first = await ok(runTurn(env.thread(), "one"));
      const session = (
        await findSession(first.thread.threadId ?? "", { codexHome: env.sandbox.codexHome })
      )._unsafeUnwrap();
      // The head is damaged: the rollout is found by its name, but its position cannot be read.
      const text = readFileSync(session.path, "utf8");
      writeFileSync(session.path, `not a session_meta line\n${text.slice(text.indexOf("\n") + 1)}`);
      const { transport, spawns } = counting();
      const r = await runTurn(first.thread, "two", {}, { transport });
      expect(r._unsafeUnwrapErr()).toMatchObject({
        _tag: "ContinuationMismatch",
        reason: "unreadable",
      });
      expect(r._unsafeUnwrapErr().message).toContain(session.path);
      expect(spawns()).toBe(0);
    }));

  it("learns each turn's real id and position from the rollout", () =>
    withStubEnv(undefined, async (env) => {
      const one = await ok(runTurn(env.thread(), "one"));
      const two = await ok(runTurn(one.thread, "two"));
      const session = (
        await findSession(two.thread.threadId ?? "", { codexHome: env.sandbox.codexHome })
      )._unsafeUnwrap();
      expect(session.completedTurns).toBe(2);
      expect(two.turn.turnId).toBe(session.lastTurnId);
      expect(one.turn.turnId).not.toBe(two.turn.turnId);
      expect(two.thread.metadata).toMatchObject({
        origin: "rollout",
        cliVersion: expect.any(String),
      });
    }));

  it("reports a rollout whose turns interleave two writers as forked, and refuses to resume it", () =>
    withStubEnv(undefined, async (env) => {
      const one = await ok(runTurn(env.thread(), "one"));
      const session = (
        await findSession(one.thread.threadId ?? "", { codexHome: env.sandbox.codexHome })
      )._unsafeUnwrap();
      // An older CLI let a second writer append: its turn starts while the first one is open.
      const lines = readFileSync(session.path, "utf8")
        .split("\n")
        .filter((l) => l !== "");
      const started = lines.find((l) => l.includes('"type":"task_started"')) ?? "";
      const completed = lines.find((l) => l.includes('"type":"task_complete"')) ?? "";
      const other = (l: string) =>
        l.split(session.lastTurnId ?? "").join("01a2ffff-0000-7000-8000-00000000beef");
      appendFileSync(
        session.path,
        [started, other(started), completed, other(completed)].join("\n") + "\n",
      );
      const after = (
        await findSession(one.thread.threadId ?? "", { codexHome: env.sandbox.codexHome })
      )._unsafeUnwrap();
      expect(after.forked).toBe(true);

      const { transport, spawns } = counting();
      const r = await runTurn(one.thread, "two", {}, { transport });
      expect(r._unsafeUnwrapErr()).toMatchObject({
        _tag: "ContinuationMismatch",
        reason: "forked",
      });
      expect(spawns()).toBe(0);
    }));

  it("resumeLast picks the newest session (or the newest for a cwd) and guards it with a token", () =>
    withStubEnv(undefined, async (env) => {
      const a = await ok(runTurn(env.thread(), "first thread"));
      const b = await ok(runTurn(env.thread(), "second thread"));
      const last = (
        await resumeLast(env.codexOptions(), { skipGitRepoCheck: true })
      )._unsafeUnwrap();
      expect(last.threadId).toBe(b.thread.threadId);
      expect(last.continuationToken).not.toBeNull();
      const none = await resumeLast(env.codexOptions(), {}, { cwd: "/nowhere/at/all" });
      expect(none.isErr()).toBe(true);
      const again = await ok(runTurn(last, "continue the newest"));
      expect(again.thread.threadId).toBe(b.thread.threadId);
      expect(a.thread.threadId).not.toBe(b.thread.threadId);
    }));
});
