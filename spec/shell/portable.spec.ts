/**
 * Portable threads, end to end with the real CLI and the loopback stub: a thread moves between
 * two CODEX_HOMEs (two machines) with exportSession / importSession, each side with its own
 * workingDirectory, the continuation token guarding every step.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";

import {
  deserializeThread,
  exportSession,
  importSession,
  recordingSink,
  runTurn,
  serializeThread,
  withThreadOptions,
  type Thread,
} from "../../lib/index.js";
import { type SessionArchive } from "../../lib/sessions/index.js";
import { execTransport, type Transport } from "../../lib/advanced/index.js";
import { makeSandbox } from "../../lib/testing/sandbox.js";
import { API_KEY, withStubEnv } from "../support/run-env.js";

const SECRET = "portable-threads-secret";

/** The exec transport, counting the turns it is asked to start (a spawn each). */
const counting = (): { transport: Transport; spawns: () => number } => {
  const inner = execTransport();
  let n = 0;
  return {
    transport: { kind: inner.kind, startTurn: (r) => ((n += 1), inner.startTurn(r)) },
    spawns: () => n,
  };
};

/** The thread as another machine reads it: serialized, read back with that machine's env and cwd. */
const moveTo = (
  thread: Thread,
  home: { codexHome: string; cwd: string },
  path: string | undefined,
): Thread => {
  const json = serializeThread(thread)._unsafeUnwrap();
  const env = { PATH: path ?? "/usr/bin:/bin", HOME: home.codexHome, CODEX_HOME: home.codexHome };
  const back = deserializeThread(json, { apiKey: API_KEY, env })._unsafeUnwrap();
  return withThreadOptions(back, { workingDirectory: home.cwd })._unsafeUnwrap();
};

/** An archive as it travels: JSON text. */
const wire = (a: SessionArchive): string => JSON.stringify(a);

describe("a thread moved between two CODEX_HOMEs", () => {
  it(
    "runs turns 1–2 on A, 3–4 on B, 5 on A; the token guards every step",
    () =>
      withStubEnv(undefined, async (env) => {
        const b = await makeSandbox();
        try {
          const deps = { secret: SECRET };
          const homeA = { codexHome: env.sandbox.codexHome, cwd: env.sandbox.cwd };
          const homeB = { codexHome: b.codexHome, cwd: b.cwd };
          const PATH = env.env["PATH"];

          // Two turns on A.
          const one = (await runTurn(env.thread(), "one", {}, deps))._unsafeUnwrap();
          const two = (await runTurn(one.thread, "two", {}, deps))._unsafeUnwrap();
          const id = two.thread.threadId ?? "";

          // Resuming on B before the history is there: refused before any spawn, naming the store.
          const onB = moveTo(two.thread, homeB, PATH);
          const { transport, spawns } = counting();
          const telemetry = recordingSink();
          const early = await runTurn(
            onB,
            "three",
            {},
            { ...deps, transport, sink: telemetry.sink },
          );
          expect(early._unsafeUnwrapErr()).toMatchObject({
            _tag: "SessionMissing",
            threadId: id,
            store: join(b.codexHome, "sessions"),
          });
          expect(spawns()).toBe(0);
          expect(telemetry.events).toEqual([
            expect.objectContaining({ name: "codex.thread.resume.mismatch", reason: "missing" }),
          ]);

          // Whole export on A → JSON → import on B.
          const whole = (await exportSession(id, { codexHome: homeA.codexHome }))._unsafeUnwrap();
          expect(whole).toMatchObject({
            threadId: id,
            base: null,
            position: { completedTurns: 2 },
          });
          const imported = (
            await importSession(wire(whole), { codexHome: homeB.codexHome })
          )._unsafeUnwrap();
          expect(imported).toMatchObject({ threadId: id, completedTurns: 2 });

          // Turns 3 and 4 on B, each exported as a delta of its own.
          const three = (await runTurn(onB, "three", {}, { ...deps, transport }))._unsafeUnwrap();
          expect(spawns()).toBe(1);
          expect(three.turn.finalResponse).toContain("three");
          const d3 = (
            await exportSession(id, { codexHome: homeB.codexHome, since: whole })
          )._unsafeUnwrap();
          expect(d3.base).toMatchObject({ length: whole.length, position: { completedTurns: 2 } });
          expect(d3.position.completedTurns).toBe(3);
          const four = (await runTurn(three.thread, "four", {}, deps))._unsafeUnwrap();
          const d4 = (
            await exportSession(id, { codexHome: homeB.codexHome, since: d3 })
          )._unsafeUnwrap();
          expect(d4.position).toEqual({ completedTurns: 4, lastTurnId: four.turn.turnId });
          expect(d4.length - (d4.base?.length ?? 0)).toBeLessThan(d4.length / 2);

          // Back on A: turn 4's delta alone does not apply (A lacks turn 3) …
          const missing = await importSession(wire(d4), { codexHome: homeA.codexHome });
          expect(missing._unsafeUnwrapErr()).toMatchObject({
            _tag: "ArchiveConflict",
            reason: "missing_base",
          });
          // … a stale snapshot of the thread on A is refused (A has only 2 turns, the token says 4 —
          // and the snapshot from turn 2 is behind what B did, once A has it).
          (await importSession(wire(d3), { codexHome: homeA.codexHome }))._unsafeUnwrap();
          const atA = (
            await importSession(wire(d4), { codexHome: homeA.codexHome })
          )._unsafeUnwrap();
          expect(atA.completedTurns).toBe(4);
          const bytesA = await readFile(atA.path);
          const bytesB = await readFile(
            join(b.codexHome, "sessions", ...d4.relativePath.split("/")),
          );
          expect(bytesA.equals(bytesB)).toBe(true);

          // A stale import (the whole archive of turn 2, or turn 3's delta) is refused.
          for (const stale of [whole, d3])
            expect(
              (await importSession(wire(stale), { codexHome: homeA.codexHome }))._unsafeUnwrapErr(),
            ).toMatchObject({ _tag: "ArchiveConflict", reason: "ahead" });

          // The snapshot A held (turn 2) is stale now; the thread from B (turn 4) runs turn 5 on A.
          const staleRun = await runTurn(two.thread, "five", {}, { ...deps, transport });
          expect(staleRun._unsafeUnwrapErr()).toMatchObject({
            _tag: "ContinuationMismatch",
            reason: "stale",
          });
          expect(spawns()).toBe(1);
          const five = (
            await runTurn(moveTo(four.thread, homeA, PATH), "five", {}, deps)
          )._unsafeUnwrap();
          expect(five.turn.finalResponse).toContain("five");
          expect(five.thread.threadId).toBe(id);

          // B's copy of the thread is now behind A: its turn-4 token no longer matches A's store,
          // and on B itself a stale turn-3 value is refused.
          const staleB = await runTurn(three.thread, "again", {}, { ...deps, transport });
          expect(staleB._unsafeUnwrapErr()).toMatchObject({ reason: "stale" });
          expect(spawns()).toBe(1);
        } finally {
          await b.dispose();
        }
      }),
    120_000,
  );
});
