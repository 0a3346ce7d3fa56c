/**
 * Fuzzing the option decoders: startThread, resumeThread and withThreadOptions on anything at
 * all (hostile values included) and on valid options with a few fields broken. Nothing throws,
 * every error is tagged data that never echoes the API key, and every Ok is a sound Thread.
 */
import fc from "fast-check";

import { resumeThread, serializeThread, startThread, withThreadOptions } from "../../lib/index.js";
import { anyInput, validThreadId, validThreadOptions, type Input } from "../support/arbitraries.js";
import { applyJsonOps, jsonLeaf, jsonOp, nastyString, value } from "../support/arbitraries.js";
import { CASES } from "./support/budget.js";
import { call, check, expectSoundThread, fuzzIt, okOrTagged } from "./support/harness.js";
import { rolloutHead, validRawCodexOptions, validThread } from "./support/threads.js";
import { untyped } from "../support/untyped.js";

const OPTION_ERRORS = ["InvalidOptions", "InvalidApiKey"] as const;
const RESUME_ERRORS = [
  "InvalidOptions",
  "InvalidApiKey",
  "InvalidThreadId",
  "InvalidMetadata",
  "InvalidContinuationToken",
] as const;

/** Option keys (the codecs' own) worth adding or breaking. */
const OPTION_KEYS = [
  "codexPathOverride",
  "baseUrl",
  "apiKey",
  "config",
  "configOverrides",
  "env",
  "model",
  "threadSource",
  "sandboxMode",
  "workingDirectory",
  "skipGitRepoCheck",
  "modelReasoningEffort",
  "networkAccessEnabled",
  "webSearchMode",
  "webSearchEnabled",
  "approvalPolicy",
  "additionalDirectories",
  "ephemeral",
  "labels",
  "modle",
  "__proto__",
];

/** Valid raw options with one to three structural mutations (set, delete, add, wrap, swap). */
const mutatedOptions = fc
  .tuple(
    validRawCodexOptions,
    validThreadOptions,
    fc.array(jsonOp(OPTION_KEYS), { minLength: 1, maxLength: 3 }),
  )
  .map(([codexOptions, threadOptions, ops]) => {
    const apiKey = typeof codexOptions.apiKey === "string" ? codexOptions.apiKey : null;
    const m = applyJsonOps({ codexOptions, threadOptions }, ops);
    // (An op may replace the root itself: then both options are that value.)
    const o = typeof m === "object" && m !== null ? (m as Record<string, unknown>) : null;
    return {
      codexOptions: o === null ? m : o["codexOptions"],
      threadOptions: o === null ? m : o["threadOptions"],
      apiKey,
    };
  });

/** Values that are options, not quite options, or nothing like options. */
const someOptions: fc.Arbitrary<Input> = fc.oneof(
  anyInput,
  validRawCodexOptions.map(value),
  validThreadOptions.map(value),
  fc.dictionary(fc.constantFrom(...OPTION_KEYS), jsonLeaf, { maxKeys: 4 }).map(value),
);

/** An error never holds the API key: its value is never echoed. */
const expectKeyNotEchoed = (error: unknown, apiKey: string | null): void => {
  if (apiKey === null) return;
  const text = JSON.stringify(error);
  check(!text.includes(apiKey), () => `the error echoes the API key: ${text}`);
};

describe("fuzz: options", () => {
  fuzzIt(
    "startThread on anything: no throw, tagged errors, sound threads",
    CASES.options.startAnything,
    fc.tuple(someOptions, someOptions),
    ([a, b]) => {
      const r = call("startThread", () => startThread(untyped(a.make()), untyped(b.make())));
      const t = okOrTagged(r, OPTION_ERRORS, "startThread");
      if (t !== undefined) expectSoundThread(t, "startThread");
    },
  );

  fuzzIt(
    "startThread on valid options with broken fields: the key is never echoed",
    CASES.options.startMutated,
    mutatedOptions,
    ({ codexOptions, threadOptions, apiKey }) => {
      const r = call("startThread", () =>
        startThread(untyped(codexOptions), untyped(threadOptions)),
      );
      const t = okOrTagged(r, OPTION_ERRORS, "startThread");
      if (t !== undefined) {
        expectSoundThread(t, "startThread");
        if (apiKey !== null && t.codexOptions.apiKey?.reveal() === apiKey) {
          check(
            !serializeThread(t)._unsafeUnwrap().includes(apiKey),
            "serializeThread holds the key",
          );
          check(!JSON.stringify(t).includes(apiKey), "JSON.stringify(thread) holds the key");
        }
      } else if (r.isErr()) expectKeyNotEchoed(r.error, apiKey);
    },
  );

  fuzzIt(
    "resumeThread on anything: no throw, tagged errors, sound threads",
    CASES.options.resume,
    fc.record({
      id: fc.oneof(validThreadId.map(value), nastyString.map(value), anyInput),
      codexOptions: someOptions,
      threadOptions: someOptions,
      resume: fc.oneof(
        fc.constant(undefined).map(value),
        anyInput,
        fc
          .record(
            {
              continuationToken: fc.oneof(nastyString.map(value), anyInput),
              metadata: fc.oneof(
                fc.constant(rolloutHead()).map(value),
                fc.constant(JSON.stringify(rolloutHead())).map(value),
                jsonLeaf.map(value),
                anyInput,
              ),
            },
            { requiredKeys: [] },
          )
          .map((r): Input => ({
            label: `{ continuationToken: ${r.continuationToken?.label ?? "-"}, metadata: ${r.metadata?.label ?? "-"} }`,
            make: () => ({
              ...(r.continuationToken !== undefined
                ? { continuationToken: r.continuationToken.make() }
                : {}),
              ...(r.metadata !== undefined ? { metadata: r.metadata.make() } : {}),
            }),
          })),
      ),
    }),
    (g) => {
      const r = call("resumeThread", () =>
        resumeThread(
          untyped(g.id.make()),
          untyped(g.codexOptions.make()),
          untyped(g.threadOptions.make()),
          untyped(g.resume.make()),
        ),
      );
      const t = okOrTagged(r, RESUME_ERRORS, "resumeThread");
      if (t !== undefined) expectSoundThread(t, "resumeThread");
    },
  );

  fuzzIt(
    "withThreadOptions on anything: no throw, tagged errors, the original untouched",
    CASES.options.withThreadOptions,
    fc.tuple(
      validThread,
      fc.oneof(
        someOptions,
        fc
          .tuple(validThreadOptions, fc.array(jsonOp(OPTION_KEYS), { minLength: 1, maxLength: 2 }))
          .map(([o, ops]) => value(applyJsonOps(o, ops))),
      ),
    ),
    ([thread, patch]) => {
      const before = serializeThread(thread)._unsafeUnwrap();
      const r = call("withThreadOptions", () => withThreadOptions(thread, untyped(patch.make())));
      const t = okOrTagged(r, ["InvalidOptions"], "withThreadOptions");
      if (t !== undefined) expectSoundThread(t, "withThreadOptions");
      check(
        serializeThread(thread)._unsafeUnwrap() === before,
        "withThreadOptions changed the original thread",
      );
    },
  );
});
