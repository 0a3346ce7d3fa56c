/**
 * The public forms of the fold's and the argv builder's helpers the library runs over values it
 * built itself (usage, command requests). Inside, the library calls the plain forms; a caller
 * may hand these anything from JavaScript, so each checks its (typed) arguments first and returns
 * a Result: a hostile value is a typed error, never a throw.
 */
import { UNREADABLE_INPUT } from "../decoding/copy.js";
import { err, ok, type Result } from "neverthrow";
import { isLeft } from "fp-ts/lib/Either.js";
import * as t from "io-ts";
import { decodeAll } from "../decoding/decode.js";
import { decodingError, issuesError, type ThreadError } from "../errors/index.js";
import { splitUsage as splitUsageOf } from "../fold.js";
import { Usage } from "../usage.js";
import { buildExecCommand as buildCommand, type Command, type CommandRequest } from "../argv.js";

/** The turn's own usage and the thread's cumulative usage (see `splitUsage`), both checked. */
export const splitUsage = (
  reported: Usage,
  previous?: Usage | null,
): Result<{ usage: Usage; cumulativeUsage: Usage }, ThreadError> => {
  const r = decodeAll(Usage, reported, "reported");
  const p = decodeAll(t.union([Usage, t.null]), previous ?? null, "previous");
  if (isLeft(r) || isLeft(p)) {
    const issues = [...(isLeft(r) ? r.left : []), ...(isLeft(p) ? p.left : [])];
    return err(issuesError("InvalidOptions", "reported", "not Usage", issues));
  }
  return ok(splitUsageOf(r.right, p.right));
};

/**
 * The `codex exec` command for one turn (see `buildExecCommand`); a request that cannot be read
 * is an `InvalidOptions` error.
 */
export const buildExecCommand = (request: CommandRequest): Result<Command, ThreadError> => {
  if (typeof request !== "object" || request === null)
    return err(
      decodingError("InvalidOptions", "request", "not a CommandRequest", [
        { path: "request", message: "expected an object" },
      ]),
    );
  try {
    return ok(buildCommand(request));
  } catch {
    return err(
      decodingError("InvalidOptions", "request", "not a CommandRequest", [
        { path: "request", message: UNREADABLE_INPUT },
      ]),
    );
  }
};
