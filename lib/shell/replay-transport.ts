/**
 * The replay transport: feeds recorded `--experimental-json` output (golden/) through the same
 * runner and fold as a live turn, without a process. One recording per turn, in order.
 */
import { errAsync, okAsync } from "neverthrow";
import { decodeEventLine, type DecodeError, type ThreadEvent } from "../core/events.js";
import { defect, spawnFailed, type ShellError } from "../core/errors/index.js";
import { classifyExit } from "./process/index.js";
import type { Transport, TransportExit, TransportRun } from "./transport.js";

/** One recorded turn: its stdout, and optionally its exit status and stderr. */
export interface Recording {
  readonly stdout: string;
  readonly exitCode?: number;
  readonly stderr?: string;
}

/** A transport that replays `recordings` one per turn; past the last it fails. */
export const replayTransport = (recordings: readonly Recording[]): Transport => {
  let next = 0;
  return {
    kind: "replay",
    startTurn: (request) => {
      // Read once, up front: a recording or request built by hand that cannot be read is a
      // Defect, never a throw (here or later, inside the events).
      let rec: Recording | undefined;
      let threadId: string | null;
      let count: number;
      try {
        count = recordings.length;
        const given = recordings[next++];
        rec =
          given === undefined
            ? undefined
            : { stdout: given.stdout, exitCode: given.exitCode, stderr: given.stderr };
        threadId = request.thread.threadId;
      } catch (e) {
        return errAsync<TransportRun, ShellError>(defect("transport", e));
      }
      if (rec === undefined)
        return errAsync<TransportRun, ShellError>(
          spawnFailed("transport", `the replay has only ${count} recorded turn(s)`),
        );
      if (typeof rec.stdout !== "string")
        return errAsync<TransportRun, ShellError>(
          spawnFailed("transport", `recording ${next - 1} has no stdout string`),
        );
      const { stdout, exitCode, stderr } = rec;
      let cancelled = false;
      // Lines are decoded as they are read, so a long recording is never held decoded whole.
      // Like a process's exit, `exit` settles once the events are read to the end (or to the
      // first bad line, which it reports) or the run is cancelled.
      let settle: (x: Awaited<TransportRun["exit"]>) => void = () => undefined;
      const exit = new Promise<Awaited<TransportRun["exit"]>>((resolve) => {
        settle = resolve;
      });
      const finish = (bad: DecodeError | null): void => {
        if (bad !== null) return settle({ ok: false, error: bad });
        const status: TransportExit = { exitCode: exitCode ?? 0, signal: null };
        const e = classifyExit(status, stderr ?? "", threadId);
        settle(e === null ? { ok: true, value: status } : { ok: false, error: e });
      };
      const events: AsyncIterable<ThreadEvent> = {
        async *[Symbol.asyncIterator]() {
          let bad: DecodeError | null = null;
          try {
            for (const line of stdout.split("\n")) {
              if (cancelled) return;
              if (line.trim() === "") continue;
              const r = decodeEventLine(line);
              if (r.isErr()) {
                bad = r.error;
                return;
              }
              yield r.value;
            }
          } finally {
            finish(bad);
          }
        },
      };
      return okAsync({
        events,
        exit,
        cancel: () => {
          cancelled = true;
          finish(null);
        },
      });
    },
  };
};
