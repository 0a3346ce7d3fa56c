/**
 * Valid threads and valid raw options for the fuzz suite, built only through the public
 * constructors (the mutations start from these).
 */
import fc from "fast-check";

import {
  mintContinuationToken,
  resumeThread,
  startThread,
  type Thread,
} from "../../../lib/index.js";
import {
  validApiKey,
  validLegacyMetadata,
  validStoredCodexOptions,
  validThreadId,
  validThreadOptions,
  validTurnId,
} from "../../support/arbitraries.js";
import { CLI_GOLDEN, readJsonLines } from "../../support/core-helpers.js";

/** The thread id of the recorded resume session, and its rollout's first line. */
export const ROLLOUT_ID = "01a20fb5-345b-7f51-b6d3-8f2a9ee94142";
export const rolloutHead = (): unknown => readJsonLines(`${CLI_GOLDEN}/resume/rollout.jsonl`)[0];

/** Raw (undecoded) client options with the secrets in them. */
export const validRawCodexOptions = fc
  .tuple(
    validStoredCodexOptions,
    fc.option(validApiKey, { nil: undefined }),
    fc.option(
      fc.dictionary(
        fc.constantFrom("HOME", "PATH", "OPENAI_API_KEY", "CODEX_HOME"),
        fc.string({ maxLength: 12 }),
      ),
      {
        nil: undefined,
      },
    ),
  )
  .map(([o, apiKey, env]) => ({
    ...o,
    ...(apiKey !== undefined ? { apiKey } : {}),
    ...(env !== undefined ? { env } : {}),
  }));

/** A valid claim of a position in a thread. */
export const validClaim = fc.record({
  threadId: validThreadId,
  lastTurnId: fc.option(validTurnId, { nil: null }),
  completedTurns: fc.nat({ max: 10_000 }),
});

/** A secret to sign tokens with (non-empty). */
export const validSecret = fc.string({ minLength: 1, maxLength: 24 });

/** Valid threads: new, or resumed with a token and metadata. */
export const validThread: fc.Arbitrary<Thread> = fc
  .record({
    id: fc.option(validThreadId, { nil: null }),
    codexOptions: validRawCodexOptions,
    threadOptions: validThreadOptions,
    metadata: fc.option(fc.oneof(validLegacyMetadata, fc.constant(null)), { nil: undefined }),
    position: fc.option(
      fc.record({ lastTurnId: fc.option(validTurnId, { nil: null }), completedTurns: fc.nat(50) }),
      { nil: null },
    ),
    secret: fc.option(validSecret, { nil: undefined }),
  })
  .map((g) => {
    const r =
      g.id === null
        ? startThread(g.codexOptions, g.threadOptions)
        : resumeThread(g.id, g.codexOptions, g.threadOptions, {
            metadata: g.metadata,
            continuationToken:
              g.position === null
                ? null
                : mintContinuationToken(
                    { threadId: g.id, ...g.position },
                    g.secret,
                  )._unsafeUnwrap(),
          });
    return r._unsafeUnwrap();
  });
