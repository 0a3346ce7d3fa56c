/**
 * The replay transport: feeds recorded `--experimental-json` output (golden/) through the same
 * runner and fold as a live turn, without a process. One recording per turn, in order.
 */
import { errAsync, okAsync } from "neverthrow";
import { decodeEventLine, type DecodeError, type ThreadEvent } from "../core/events.js";
import { spawnFailed, type ShellError } from "../core/errors/index.js";
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
      const rec = recordings[next++];
      if (rec === undefined)
        return errAsync<TransportRun, ShellError>(
          spawnFailed("transport", `the replay has only ${recordings.length} recorded turn(s)`),
        );
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
        const status: TransportExit = { exitCode: rec.exitCode ?? 0, signal: null };
        const e = classifyExit(status, rec.stderr ?? "", request.thread.threadId);
        settle(e === null ? { ok: true, value: status } : { ok: false, error: e });
      };
      const events: AsyncIterable<ThreadEvent> = {
        async *[Symbol.asyncIterator]() {
          let bad: DecodeError | null = null;
          try {
            for (const line of rec.stdout.split("\n")) {
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
