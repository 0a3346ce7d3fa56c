/**
 * The replay transport: feeds recorded `--experimental-json` output (golden/) through the same
 * runner and fold as a live turn, without a process. One recording per turn, in order.
 */
import { errAsync, okAsync } from "neverthrow";
import { decodeEventLine, type ThreadEvent } from "../core/events.js";
import type { ShellError } from "../core/errors.js";
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
        return errAsync<TransportRun, ShellError>({
          _tag: "SpawnFailed",
          path: "transport",
          message: `the replay has only ${recordings.length} recorded turn(s)`,
        });
      let cancelled = false;
      const lines = rec.stdout.split("\n").filter((l) => l.trim() !== "");
      const decoded = lines.map((l) => decodeEventLine(l));
      const firstBad = decoded.findIndex((r) => r.isErr());
      const good = (firstBad === -1 ? decoded : decoded.slice(0, firstBad)).flatMap((r) =>
        r.isOk() ? [r.value] : [],
      );
      const events: AsyncIterable<ThreadEvent> = {
        async *[Symbol.asyncIterator]() {
          for (const e of good) {
            if (cancelled) return;
            yield e;
          }
        },
      };
      const status: TransportExit = { exitCode: rec.exitCode ?? 0, signal: null };
      const bad = firstBad === -1 ? undefined : decoded[firstBad];
      const exit: TransportRun["exit"] = Promise.resolve(
        bad !== undefined && bad.isErr()
          ? { ok: false as const, error: bad.error }
          : (() => {
              const e = classifyExit(status, rec.stderr ?? "", request.thread.threadId);
              return e === null
                ? { ok: true as const, value: status }
                : { ok: false as const, error: e };
            })(),
      );
      return okAsync({
        events,
        exit,
        cancel: () => {
          cancelled = true;
        },
      });
    },
  };
};
