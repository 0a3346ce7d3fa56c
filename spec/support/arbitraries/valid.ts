/**
 * Valid values: thread and turn ids, options, secrets, usage, fork facts and turn events.
 */
import fc from "fast-check";

import {
  Redacted,
  type CodexOptionsInput,
  type ThreadOptionsInput,
  type ThreadSecrets,
} from "../../../lib/index.js";
import type { ConfigValue } from "../../../lib/core/config-value.js";
import { isSecretPath } from "../../../lib/core/secrets.js";
import type { Input } from "./hostile.js";

const alnum = fc.constantFrom(..."abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789");
const word = (maxLength = 12) => fc.string({ unit: alnum, minLength: 1, maxLength });

/** Thread ids as the CLI prints them (UUIDs) and as legacy producers wrote them. */
export const validThreadId: fc.Arbitrary<string> = fc.oneof(
  fc.uuid(),
  word(20).map((w) => `thread_${w}`),
);

/** Turn ids, which follow the thread id rules. */
export const validTurnId: fc.Arbitrary<string> = word(20).map((w) => `turn_${w}`);

/** A printable string (no control characters), for free-text option values. */
const printable = fc
  .string({ unit: "grapheme", minLength: 1, maxLength: 16 })
  .filter((s) => !/[\u0000-\u001f\u007f-\u009f]/.test(s));

/** API keys: non-empty, no whitespace or control characters. */
export const validApiKey: fc.Arbitrary<string> = word(40).map((w) => `sk-test-${w}`);

const labels = fc.dictionary(word(8), printable, { maxKeys: 3 });

/** Config keys that do not make a value secret (secrets are generated apart). */
const plainKey = (k: string): boolean => !isSecretPath([k]) && !["env", "http_headers"].includes(k);

const configValue: fc.Arbitrary<ConfigValue> = fc.letrec<{ value: ConfigValue }>((tie) => ({
  value: fc.oneof(
    { depthSize: "small" },
    printable,
    fc.integer(),
    // JSON has no -0, so a config holding one cannot round-trip exactly; 0 stands in for it.
    fc.double({ noNaN: true, noDefaultInfinity: true }).map((x) => (x === 0 ? 0 : x)),
    fc.boolean(),
    fc.array(tie("value"), { maxLength: 3 }),
    fc.dictionary(word(8).filter(plainKey), tie("value"), { maxKeys: 3 }),
  ),
})).value;

/** Valid CodexOptions without secrets (the secrets are generated apart). */
export const validStoredCodexOptions: fc.Arbitrary<CodexOptionsInput> = fc.record(
  {
    codexPathOverride: word().map((w) => `/opt/codex/${w}`),
    baseUrl: word().map((w) => `https://${w}.example.com/v1`),
    config: fc.dictionary(word(8).filter(plainKey), configValue, { maxKeys: 3 }),
    configOverrides: fc.array(
      fc.tuple(word(8).filter(plainKey), word(8)).map(([k, v]) => `${k}="${v}"`),
      { maxLength: 2 },
    ),
  },
  { requiredKeys: [] },
);

/** Valid ThreadOptions: every option, each present or not. */
export const validThreadOptions: fc.Arbitrary<ThreadOptionsInput> = fc.record(
  {
    model: word().map((w) => `gpt-${w}`),
    threadSource: word(),
    sandboxMode: fc.constantFrom("read-only", "workspace-write", "danger-full-access"),
    workingDirectory: word().map((w) => `/work/${w}`),
    skipGitRepoCheck: fc.boolean(),
    modelReasoningEffort: fc.constantFrom(
      "minimal",
      "low",
      "medium",
      "high",
      "xhigh",
      "max",
      "ultra",
      "persistent",
    ),
    networkAccessEnabled: fc.boolean(),
    webSearchMode: fc.constantFrom("disabled", "cached", "live"),
    webSearchEnabled: fc.boolean(),
    approvalPolicy: fc.constantFrom("never", "on-request", "on-failure", "untrusted"),
    additionalDirectories: fc.array(
      word().map((w) => `./${w}`),
      { maxLength: 3 },
    ),
    ephemeral: fc.boolean(),
    labels,
  },
  { requiredKeys: [] },
);

/** A legacy metadata object (`thread.started.metadata`). */
export const validLegacyMetadata = fc.record(
  {
    labels,
    created_at: fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
    git: fc.record(
      { branch: word(), dirty: fc.boolean(), commit_hash: word(40) },
      { requiredKeys: [] },
    ),
  },
  { requiredKeys: [] },
);

/** A usage record. */
export const validUsage = fc.record({
  input_tokens: fc.nat(),
  cached_input_tokens: fc.nat(),
  cache_write_input_tokens: fc.nat(),
  output_tokens: fc.nat(),
  reasoning_output_tokens: fc.nat(),
});

/**
 * A thread's secrets, each present or not: an API key, env (plain or Redacted), and config
 * secrets at paths the CLI reads from its environment (a provider's bearer token and headers);
 * with the `ThreadSecrets` a caller gives `deserializeThread` to put them back. Each `config`
 * secret in `supplied` is the same value, plain where the thread holds it Redacted or the other
 * way round.
 */
export const validSecrets: fc.Arbitrary<{
  codexOptions: CodexOptionsInput;
  supplied: ThreadSecrets;
}> = fc
  .record(
    {
      apiKey: fc.tuple(validApiKey, fc.boolean()),
      env: fc.tuple(
        fc.dictionary(
          word(8).map((w) => `CFP_${w}`),
          word(),
          { maxKeys: 3 },
        ),
        fc.boolean(),
      ),
      provider: fc.record(
        {
          name: word(8),
          bearer: fc.tuple(word(), fc.boolean()),
          header: fc.tuple(word(), fc.boolean()),
        },
        { requiredKeys: ["name"] },
      ),
    },
    { requiredKeys: [] },
  )
  .map(({ apiKey, env, provider }) => {
    const box = <A>([v, boxed]: [A, boolean]): A | Redacted<A> => (boxed ? Redacted.of(v) : v);
    const other = <A>([v, boxed]: [A, boolean]): A | Redacted<A> => box([v, !boxed]);
    const table = (pick: typeof box) =>
      provider === undefined || (provider.bearer === undefined && provider.header === undefined)
        ? undefined
        : {
            model_providers: {
              [provider.name]: {
                ...(provider.bearer !== undefined
                  ? { experimental_bearer_token: pick(provider.bearer) }
                  : {}),
                ...(provider.header !== undefined
                  ? { http_headers: { Authorization: pick(provider.header) } }
                  : {}),
              },
            },
          };
    const config = table(box);
    const codexOptions = {
      ...(apiKey !== undefined ? { apiKey: box(apiKey) } : {}),
      ...(env !== undefined ? { env: box(env) } : {}),
      ...(config !== undefined ? { config } : {}),
    } as CodexOptionsInput;
    const supplied: ThreadSecrets = {
      ...(apiKey !== undefined ? { apiKey: other(apiKey) } : {}),
      ...(env !== undefined ? { env: other(env) } : {}),
      ...(config !== undefined ? { config: table(other) } : {}),
    };
    return { codexOptions, supplied };
  });

/** Where a fork stands when it is made (`ForkFacts` of core/fork.ts). */
export const validForkFacts = fc.record({
  cumulativeUsage: fc.option(validUsage, { nil: null }),
  position: fc.record({
    completedTurns: fc.nat({ max: 1000 }),
    lastTurnId: fc.option(validTurnId, { nil: null }),
  }),
});

/** The events of one turn as the CLI prints them: items, `error` notices, then its end. */
export const validTurnEvents = (threadId: string): fc.Arbitrary<object[]> =>
  fc
    .tuple(
      fc.array(
        fc.oneof(
          word().map((text) => ({ type: "error", message: text })),
          fc.tuple(word(8), fc.string({ maxLength: 20 })).map(([id, text]) => ({
            type: "item.completed",
            item: { id, type: "agent_message", text },
          })),
        ),
        { maxLength: 4 },
      ),
      fc.oneof(
        fc.option(validUsage, { nil: undefined }).map((usage) => ({
          type: "turn.completed",
          ...(usage !== undefined ? { usage } : {}),
        })),
        word().map((message) => ({ type: "turn.failed", error: { message } })),
      ),
    )
    .map(([middle, end]) => [
      { type: "thread.started", thread_id: threadId },
      { type: "turn.started" },
      ...middle,
      end,
    ]);

/** A plain generated value as an {@link Input} (labelled, so counterexamples read well). */
export const value = (v: unknown): Input => ({ label: fc.stringify(v), make: () => v });
