/**
 * Step 1 of a turn: every argument read once, into a snapshot, and only the decoded snapshot
 * used from then on; what the CLI would refuse after it started is refused before any process.
 */
import { err, ok, type Result } from "neverthrow";
import { decodingError, type Issue, type TurnError } from "../../core/errors/index.js";
import { Input, normalizeParts, type NormalizedInput } from "../../core/input.js";
import { TurnOptions } from "../../core/options.js";
import { takeThread, type Thread } from "../../core/thread.js";
import { givenBinary, preflight } from "../preflight.js";
import type { Transport } from "../transport.js";
import { decodeSnapshot, type TakenRunDeps } from "./deps.js";

/** A turn's arguments, decoded and checked. */
export interface ValidTurn {
  readonly thread: Thread;
  readonly turnOptions: TurnOptions;
  readonly input: NormalizedInput;
  readonly secret?: string;
  readonly acceptLegacyTokens: boolean;
  readonly requireToken: boolean;
}

const issuesOf = (e: TurnError): readonly Issue[] => ("issues" in e ? e.issues : []);

/** Decodes the turn's arguments (deps already taken) and runs the preflight checks. */
export const validateTurn = async (
  threadArg: unknown,
  inputArg: unknown,
  turnOptionsArg: unknown,
  deps: TakenRunDeps,
  transport: Transport,
): Promise<Result<ValidTurn, TurnError>> => {
  const { limits, secret, acceptLegacyTokens, requireToken } = deps;
  const th = takeThread(threadArg, "thread", limits);
  if (th.isErr()) return err(th.error);
  const thread = th.value;
  const opts = decodeSnapshot(
    TurnOptions,
    turnOptionsArg ?? {},
    "turnOptions",
    "invalid turn options",
    "InvalidOptions",
    limits,
  );
  const decodedInput = decodeSnapshot(
    Input,
    inputArg,
    "input",
    "invalid input",
    "InvalidOptions",
    limits,
  );
  // Every problem of the turn options and the input at once (the options' first).
  if (opts.isErr() && decodedInput.isErr())
    return err(
      decodingError("InvalidOptions", opts.error.path, "invalid turn options and input", [
        ...issuesOf(opts.error),
        ...issuesOf(decodedInput.error),
      ]),
    );
  if (opts.isErr()) return err(opts.error);
  if (decodedInput.isErr()) return err(decodedInput.error);
  // Decoded once, under the caller's limits: normalizing reads nothing again.
  const normalized = normalizeParts(decodedInput.value);
  // What the CLI would refuse after it started is refused now, before any process.
  if (transport.kind !== "replay") {
    const checked = await preflight({
      thread,
      input: decodedInput.value,
      prompt: normalized.prompt,
      // The binary the default exec transport spawns, when it is a given path.
      binary:
        deps.transport !== undefined
          ? null
          : givenBinary(thread.codexOptions.codexPathOverride, deps.codexPath),
    });
    if (checked.isErr()) return err(checked.error);
  }
  return ok({
    thread,
    turnOptions: opts.value,
    input: normalized,
    ...(secret !== undefined ? { secret } : {}),
    acceptLegacyTokens,
    requireToken,
  });
};
