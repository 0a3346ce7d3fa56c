/**
 * Folding a rollout's lines from the top, and stopping as soon as the fold says it is done: the
 * first line (`session_meta`) gives the fold its start, every later line a step. Reads a
 * regular file only, in chunks, within the process-wide bound on open rollouts; a line longer
 * than {@link SESSION_READ_LIMITS}.lineBytes is read from its start only (for its ordinal).
 */
import { err, ok, type Result } from "neverthrow";
import { isLeft, left, type Either } from "fp-ts/lib/Either.js";
import type { Issue } from "../../core/errors/index.js";
import { parseRolloutLine, parseSessionMeta, type RolloutLine } from "../../core/rollout.js";
import type { SessionMeta } from "../../core/rollout.js";
import { invalidRollout, type SessionProblem } from "../../core/errors/index.js";
import { withRegularFile } from "./regular-file.js";
import { SESSION_READ_LIMITS } from "./store.js";

const CHUNK = 64 * 1024;
const CLIP_PREFIX = 4096;
const NL = 0x0a;

/** A fold over a rollout: its start from the first line, a step per line, and when to stop. */
export interface RolloutFold<S> {
  readonly start: (meta: SessionMeta) => S;
  readonly step: (s: S, line: RolloutLine) => S;
  readonly done: (s: S) => boolean;
}

/** The first line's facts and the fold's result. */
export interface Folded<S> {
  readonly meta: SessionMeta;
  readonly state: S;
}

/**
 * Folds the rollout at `path` from the top until `fold.done` (or the end; an incomplete last
 * line is left out). The first line must be `session_meta`. Never rejects.
 */
export const foldRollout = <S>(
  path: string,
  fold: RolloutFold<S>,
): Promise<Result<Folded<S>, SessionProblem>> =>
  withRegularFile(path, async (file) => {
    const chunk = Buffer.allocUnsafe(CHUNK);
    let position = 0;
    let parts: Buffer[] = [];
    let length = 0;
    let clipped = false;
    const cur: { folded: Folded<S> | null } = { folded: null };
    let problem: SessionProblem | null = null;
    const line = (bytes: Buffer, cut: boolean): void => {
      const f = cur.folded;
      if (f !== null) {
        cur.folded = {
          meta: f.meta,
          state: fold.step(f.state, parseRolloutLine(bytes.toString("utf8"), cut)),
        };
        return;
      }
      const m: Either<Issue[], SessionMeta> =
        cut || bytes.length > SESSION_READ_LIMITS.headBytes
          ? left([
              {
                path: "line",
                message: `the first line is longer than ${SESSION_READ_LIMITS.headBytes} bytes`,
              },
            ])
          : parseSessionMeta(bytes.toString("utf8"));
      if (isLeft(m)) {
        problem = invalidRollout(path, m.left);
        return;
      }
      cur.folded = { meta: m.right, state: fold.start(m.right) };
    };
    const finished = (): boolean =>
      problem !== null || (cur.folded !== null && fold.done(cur.folded.state));
    for (;;) {
      const got = await file.read(chunk, 0, chunk.length, position);
      if (got === 0) break;
      position += got;
      let from = 0;
      while (from < got && !finished()) {
        const nl = chunk.indexOf(NL, from);
        const end = nl === -1 || nl >= got ? got : nl;
        const seg = chunk.subarray(from, end);
        if (!clipped && length + seg.length > SESSION_READ_LIMITS.lineBytes) {
          parts = [Buffer.concat([...parts, seg]).subarray(0, CLIP_PREFIX)];
          clipped = true;
        } else if (!clipped) parts.push(Buffer.from(seg));
        length += seg.length;
        if (end === got) break;
        line(Buffer.concat(parts), clipped);
        parts = [];
        length = 0;
        clipped = false;
        from = end + 1;
      }
      if (finished()) break;
    }
    const failed = problem as SessionProblem | null;
    if (failed !== null) return err(failed);
    return cur.folded === null
      ? err(invalidRollout(path, [{ path: "line", message: "the first line is incomplete" }]))
      : ok(cur.folded);
  });
