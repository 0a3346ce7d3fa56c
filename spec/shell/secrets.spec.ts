/**
 * Secrets: an API key planted in the options (`apiKey`) or in the environment (`env:
 * { OPENAI_API_KEY, CODEX_API_KEY }`) never shows up in an error of any failure mode (invalid
 * options and inputs, a binary that prints the keys on stderr and exits 1, a real turn the
 * model server refuses with HTTP 401), in a telemetry event, in a serialized thread, or in
 * JSON.stringify / util.inspect of threads and outcomes. ExecFailed's stderr tail is redacted.
 *
 * "Shows up" is searched for in every serialized form: the whole key, a distinctive tail of it,
 * and every 8-character piece of it.
 */
import type { Result } from "neverthrow";
import { chmod, writeFile } from "node:fs/promises";
import { inspect, format } from "node:util";

import fc from "fast-check";
import { assertProperty } from "../support/property.js";

import type { TurnError } from "../../lib/core/errors/index.js";
import type { ThreadEvent } from "../../lib/core/events.js";
import { mintContinuationToken } from "../../lib/core/continuation.js";
import { deserializeThread, serializeThread } from "../../lib/core/serialize.js";
import { recordingSink, type RecordingSink } from "../../lib/core/telemetry.js";
import {
  resumeThread,
  startThread,
  withThreadOptions,
  type Thread,
} from "../../lib/core/thread.js";
import { runStreamed, runTurn, type RunDeps, type TurnOutcome } from "../../lib/shell/run.js";
import type { StubScript } from "../../lib/testing/model-stub.js";
import {
  API_KEY,
  FEW_RETRIES,
  fake,
  makeScratch,
  withStubEnv,
  type Scratch,
  type StubEnv,
} from "../support/run-env.js";
import { errOf } from "../support/results.js";
import { untyped } from "../support/untyped.js";

/**
 * The three planted keys: in `apiKey`, and in `env` as OPENAI_API_KEY and CODEX_API_KEY (no
 * 8-character piece of one is a piece of another, so a leak names the key that leaked).
 */
const OPTION_KEY = API_KEY;
const ENV_OPENAI_KEY = "sk-proj-H5n2Vr8Kq4Wm7ZxEnvOpenAi";
const ENV_CODEX_KEY = "cdx-P3j6Tb9Yc1Gs4LdEnvCodexKey";
const KEYS = [OPTION_KEY, ENV_OPENAI_KEY, ENV_CODEX_KEY];

const UUID_ID = "01a20fb5-345b-7f51-b6d3-8f2a9ee94142";

/** Every serialized form of `value` a log line or a crash report could hold. */
const renderings = (value: unknown): string[] => {
  const out = [
    typeof value === "string" ? value : "",
    JSON.stringify(value) ?? "",
    inspect(value, { depth: Infinity }),
    inspect(value, { depth: Infinity, showHidden: true, customInspect: false }),
    format("%o %s %j", value, value, value),
  ];
  if (value instanceof Error || (typeof value === "object" && value !== null && "message" in value))
    out.push(String((value as { message?: unknown }).message));
  return out;
};

/** The pieces of a key searched for: the key, its distinctive tail, every 8 characters. */
const piecesOf = (key: string): string[] => [
  key,
  key.slice(-12),
  ...Array.from({ length: key.length - 7 }, (_, i) => key.slice(i, i + 8)),
];

/** The planted keys (or pieces of them) that show in any rendering of `value`. */
const leaks = (value: unknown): string[] => {
  const texts = renderings(value);
  return KEYS.flatMap((key) =>
    piecesOf(key)
      .filter((p) => texts.some((t) => t.includes(p)))
      .slice(0, 1),
  );
};

/** Fails, naming `what`, when any planted key (or piece) shows in `value`. */
const expectNoLeak = (what: string, value: unknown): void => {
  expect({ what, leaks: leaks(value) }).toEqual({ what, leaks: [] });
};

const ALL_KEYS_ENV = { OPENAI_API_KEY: ENV_OPENAI_KEY, CODEX_API_KEY: ENV_CODEX_KEY };

describe("secrets: errors of invalid options and inputs", () => {
  const base = { apiKey: OPTION_KEY, env: ALL_KEYS_ENV };
  const cases: [string, () => Result<unknown, TurnError>][] = [
    ["an API key with a space", () => startThread({ apiKey: `${OPTION_KEY} x` })],
    ["an API key with a newline", () => startThread({ apiKey: `${OPTION_KEY}\n` })],
    ["an API key that is a number", () => startThread({ apiKey: untyped(42), env: ALL_KEYS_ENV })],
    ["a key as the base URL", () => startThread({ ...base, baseUrl: OPTION_KEY })],
    ["a key as a config override", () => startThread({ ...base, configOverrides: [OPTION_KEY] })],
    [
      "a key in an env value with NUL",
      () => startThread({ env: { OPENAI_API_KEY: `${ENV_OPENAI_KEY}\u0000` } }),
    ],
    [
      "an env value that is not a string",
      () => startThread({ ...base, env: untyped({ ...ALL_KEYS_ENV, N: 1 }) }),
    ],
    ["a key as a flag-like model", () => startThread(base, { model: `-${OPTION_KEY}` })],
    [
      "a key as a working directory",
      () => startThread(base, { workingDirectory: `--${OPTION_KEY}` }),
    ],
    [
      "an unknown option beside the keys",
      () => startThread(untyped({ ...base, mdoel: ENV_CODEX_KEY })),
    ],
    ["a key as a thread id", () => resumeThread(`${OPTION_KEY}/..`, base)],
    [
      "a key as a token",
      () => resumeThread(UUID_ID, base, {}, { continuationToken: `${OPTION_KEY}!` }),
    ],
    ["a key as metadata", () => resumeThread(UUID_ID, base, {}, { metadata: OPTION_KEY })],
    [
      "a key as a claim",
      () =>
        mintContinuationToken({ threadId: `${OPTION_KEY} `, lastTurnId: null, completedTurns: -1 }),
    ],
    [
      "a key as the secrets of a serialized thread",
      () =>
        deserializeThread(serializeThread(startThread({})._unsafeUnwrap())._unsafeUnwrap(), {
          apiKey: `${OPTION_KEY} `,
        }),
    ],
    [
      "a key inside a serialized thread",
      () =>
        deserializeThread(
          JSON.stringify({
            ...(JSON.parse(
              serializeThread(startThread({})._unsafeUnwrap())._unsafeUnwrap(),
            ) as object),
            codexOptions: { apiKey: OPTION_KEY, env: ALL_KEYS_ENV },
          }),
        ),
    ],
    ["broken JSON holding a key", () => deserializeThread(`{"apiKey":"${OPTION_KEY}"`)],
    [
      "a key as a patch",
      () => withThreadOptions(startThread(base)._unsafeUnwrap(), { model: `--${ENV_OPENAI_KEY}` }),
    ],
  ];

  it.each(cases)("%s: the error shows no key", (what, make) => {
    const e = errOf(make(), what);
    expect(e._tag).toMatch(/^Invalid/);
    expectNoLeak(what, e);
  });

  it("a turn refused before it starts (bad input, bad turn options): no key", async () => {
    const thread = startThread(base)._unsafeUnwrap();
    const telemetry = recordingSink();
    const deps: RunDeps = { observe: false, sink: telemetry.sink, codexPath: fake("record.mjs") };
    const bad = [
      await runTurn(thread, untyped([{ type: "text", text: 1 }, OPTION_KEY]), {}, deps),
      await runTurn(thread, "hi", untyped({ timeoutMs: OPTION_KEY }), deps),
      await runTurn(
        thread,
        "hi",
        untyped({ outputSchema: OPTION_KEY, signal: ENV_CODEX_KEY }),
        deps,
      ),
      await runTurn({ ...thread, threadId: `${OPTION_KEY} ` } as unknown as Thread, "hi", {}, deps),
    ];
    for (const r of bad) expectNoLeak("a refused turn", errOf(r, "a refused turn"));
    expectNoLeak("telemetry", telemetry.events);
  });

  it("threads with random keys: never in their serialized forms", () => {
    const key = fc
      .string({
        unit: fc.constantFrom(..."abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"),
        minLength: 24,
        maxLength: 48,
      })
      .map((s) => `sk-${s}`);
    assertProperty(
      fc.property(key, key, fc.boolean(), (apiKey, envKey, resumed) => {
        const options = { apiKey, env: { OPENAI_API_KEY: envKey, PATH: "/usr/bin" } };
        const thread = (
          resumed ? resumeThread(UUID_ID, options) : startThread(options)
        )._unsafeUnwrap();
        const shown = [serializeThread(thread)._unsafeUnwrap(), ...renderings(thread)].join("\n");
        expect(shown).not.toContain(apiKey);
        expect(shown).not.toContain(envKey);
      }),
      { numRuns: 200 },
    );
  });
});

// ---------------------------------------------------------------------------------------------
// A binary that prints the keys
// ---------------------------------------------------------------------------------------------

/**
 * A fake codex, written at run time: it reads the prompt, prints every key it was given (the
 * values of CODEX_API_KEY and OPENAI_API_KEY) on stderr a few times, and exits 1.
 */
const PRINT_KEYS = `#!/usr/bin/env node
const keys = [process.env.CODEX_API_KEY, process.env.OPENAI_API_KEY].filter(Boolean);
process.stdin.resume();
process.stdin.on("end", () => {
  for (const k of keys) process.stderr.write("auth: using key " + k + "\\nretrying with " + k + "…\\n");
  process.stderr.write("fatal: invalid keys " + keys.join(", ") + "\\n");
  process.exit(1);
});
`;

/**
 * A fake codex that prints the key in its events: an `error` notice and `turn.failed` (as the
 * CLI does when the model server echoes the key), or a notice and a completed turn.
 */
const EVENTS_WITH_KEY = `#!/usr/bin/env node
const key = process.env.CODEX_API_KEY || process.env.OPENAI_API_KEY || "";
const out = (e) => process.stdout.write(JSON.stringify(e) + "\\n");
process.stdin.resume();
process.stdin.on("end", () => {
  out({ type: "thread.started", thread_id: "0199a0f0-0000-7000-8000-00000000fa4e" });
  out({ type: "turn.started" });
  out({ type: "error", message: "Incorrect API key provided: " + key });
  if (process.env.FAKE_COMPLETE === "1") {
    out({ type: "item.completed", item: { id: "item_0", type: "agent_message", text: "done" } });
    out({ type: "turn.completed", usage: { input_tokens: 1, cached_input_tokens: 0, output_tokens: 1 } });
    process.exit(0);
  }
  out({ type: "turn.failed", error: { message: "unexpected status 401 Unauthorized: Incorrect API key provided: " + key } });
  process.exit(1);
});
`;

/** Writes an executable fake into `scratch`; returns its path. */
const writeFake = async (scratch: Scratch, name: string, source: string): Promise<string> => {
  const path = scratch.file(name);
  await writeFile(path, source);
  await chmod(path, 0o755);
  return path;
};

/** Where the keys are planted. */
const PLANTINGS: [string, { apiKey?: string; env?: Record<string, string> }][] = [
  ["apiKey", { apiKey: OPTION_KEY }],
  ["env OPENAI_API_KEY and CODEX_API_KEY", { env: ALL_KEYS_ENV }],
  [
    "apiKey and env OPENAI_API_KEY",
    { apiKey: OPTION_KEY, env: { OPENAI_API_KEY: ENV_OPENAI_KEY } },
  ],
];

/** Runs one turn on `binary` (through codexPathOverride) with the keys planted as given. */
const runFake = async (
  binary: string,
  planted: { apiKey?: string; env?: Record<string, string> },
  extraEnv: Record<string, string> = {},
): Promise<{
  result: Awaited<ReturnType<typeof runTurn>>;
  events: ThreadEvent[];
  telemetry: RecordingSink;
  thread: Thread;
}> => {
  const thread = startThread(
    {
      codexPathOverride: binary,
      ...(planted.apiKey !== undefined ? { apiKey: planted.apiKey } : {}),
      env: { PATH: process.env["PATH"] ?? "/usr/bin:/bin", ...planted.env, ...extraEnv },
    },
    {},
  )._unsafeUnwrap();
  const telemetry = recordingSink();
  const streamed = runStreamed(thread, "hello", {}, { observe: false, sink: telemetry.sink });
  const events: ThreadEvent[] = [];
  for await (const e of streamed.events) events.push(e);
  return { result: await streamed.outcome, events, telemetry, thread };
};

describe("secrets: a binary that prints the keys", () => {
  let scratch: Scratch;
  let printKeys: string;
  let eventsWithKey: string;
  beforeAll(async () => {
    scratch = await makeScratch();
    printKeys = await writeFake(scratch, "print-keys.mjs", PRINT_KEYS);
    eventsWithKey = await writeFake(scratch, "events-with-key.mjs", EVENTS_WITH_KEY);
  });
  afterAll(() => scratch.dispose());

  it.concurrent.each(PLANTINGS)(
    "keys in %s, printed on stderr, exit 1: ExecFailed with a redacted tail",
    async (_where, planted) => {
      const { result, events, telemetry, thread } = await runFake(printKeys, planted);
      const e = errOf(result, "print-keys");
      expect(e).toMatchObject({ _tag: "ExecFailed", exitCode: 1, signal: null });
      const tail = e._tag === "ExecFailed" ? e.stderrTail : "";
      // The tail is there, with every key replaced.
      expect(tail).toContain("auth: using key [redacted]");
      expect(tail).toMatch(/fatal: invalid keys \[redacted\]/);
      expect(e.message).toMatch(/^codex exec exited with code 1: fatal: invalid keys \[redacted\]/);
      expectNoLeak("the ExecFailed error", e);
      expectNoLeak("the stderr tail", tail);
      expectNoLeak("the events", events);
      expectNoLeak("the telemetry", telemetry.events);
      expectNoLeak("the thread", thread);
      expectNoLeak("the serialized thread", serializeThread(thread)._unsafeUnwrap());
    },
  );

  it.concurrent(
    "a stderr flood holding the key (codexPathOverride): the tail is redacted",
    async () => {
      const { result, telemetry } = await runFake(
        fake("stderr-flood.mjs"),
        { apiKey: OPTION_KEY },
        {
          FAKE_STDERR_BYTES: "100000",
          FAKE_CUT_AT: String(16 * 1024 + 5),
        },
      );
      const e = errOf(result, "stderr-flood");
      expect(e).toMatchObject({ _tag: "ExecFailed", exitCode: 1 });
      expect(e._tag === "ExecFailed" && e.stderrTail).toMatch(
        /key: \[redacted\]\nfatal: flood over\n$/,
      );
      expectNoLeak("the ExecFailed error", e);
      expectNoLeak("the telemetry", telemetry.events);
    },
  );

  it.concurrent(
    "a key with JSON-escaped characters printed in the events: redacted, the events still decode",
    async () => {
      const key = 'sk-odd\\key"quoted!';
      const escaped = JSON.stringify(key).slice(1, -1);
      const { result, events } = await runFake(eventsWithKey, { apiKey: key });
      expect(errOf(result, "events-with-key")._tag).toBe("TurnFailed");
      expect(events.length).toBeGreaterThan(0);
      expect(JSON.stringify(events)).not.toContain(escaped);
      expect(JSON.stringify(result)).not.toContain(escaped);
    },
  );

  it.concurrent(
    "a key the CLI prints in its events is redacted in the streamed events",
    async () => {
      const { result, events } = await runFake(eventsWithKey, { apiKey: OPTION_KEY });
      expect(errOf(result, "events-with-key")._tag).toBe("TurnFailed");
      expect(JSON.stringify(events)).toContain("[redacted]");
      expectNoLeak("the streamed events", events);
    },
  );

  // A key the CLI prints in an event (it does, when the server echoes it in a 401 body: see
  // the stub test below) must not reach TurnFailed.message, the turn's notices, or the
  // codex.turn.exception telemetry event: stdout lines are redacted before decoding.
  it.each(PLANTINGS)(
    "keys in %s, printed in the events: the error and telemetry show no key",
    async (_where, planted) => {
      const { result, telemetry } = await runFake(eventsWithKey, planted);
      const e = errOf(result, "events-with-key");
      expect(e._tag).toBe("TurnFailed");
      expectNoLeak("the TurnFailed error", e);
      expectNoLeak("the telemetry", telemetry.events);
    },
  );

  it("a key printed in a notice of a turn that completes: the outcome shows no key", async () => {
    const { result } = await runFake(eventsWithKey, { apiKey: OPTION_KEY }, { FAKE_COMPLETE: "1" });
    expect(result.isOk()).toBe(true);
    expectNoLeak("the outcome", result);
  });
});

// ---------------------------------------------------------------------------------------------
// The real CLI, refused by the model server
// ---------------------------------------------------------------------------------------------

/** A turn of the real CLI against the stub, with the keys planted as given. */
const realTurn = async (
  env: StubEnv,
  planted: { apiKey?: string; env?: Record<string, string> },
): Promise<{
  result: Awaited<ReturnType<typeof runTurn>>;
  events: ThreadEvent[];
  telemetry: RecordingSink;
  thread: Thread;
}> => {
  const { apiKey: _planted, ...rest } = env.codexOptions({
    config: FEW_RETRIES,
    env: planted.env ?? {},
  });
  const thread = startThread(
    { ...rest, ...(planted.apiKey !== undefined ? { apiKey: planted.apiKey } : {}) },
    { skipGitRepoCheck: true, workingDirectory: env.sandbox.cwd },
  )._unsafeUnwrap();
  const telemetry = recordingSink();
  const streamed = runStreamed(thread, "hello", {}, { sink: telemetry.sink });
  const events: ThreadEvent[] = [];
  for await (const e of streamed.events) events.push(e);
  return { result: await streamed.outcome, events, telemetry, thread };
};

const refuse401: StubScript = () => ({ kind: "status", status: 401 });
/** A server that echoes the key it was given (as some proxies and providers do). */
const echo401 =
  (key: string): StubScript =>
  () => ({
    kind: "status",
    status: 401,
    body: JSON.stringify({
      error: {
        message: `Incorrect API key provided: ${key}.`,
        type: "invalid_request_error",
        code: "invalid_api_key",
      },
    }),
  });

describe("secrets: the real CLI refused with HTTP 401", () => {
  it.concurrent.each(PLANTINGS)(
    "keys in %s: TurnFailed, and no key anywhere",
    async (_where, planted) => {
      await withStubEnv(refuse401, async (env) => {
        const { result, events, telemetry, thread } = await realTurn(env, planted);
        const e = errOf(result, "401");
        expect(e._tag).toBe("TurnFailed");
        expect(e.message).toMatch(/401/);
        expect(env.stub.requests.length).toBeGreaterThan(0);
        expectNoLeak("the TurnFailed error", e);
        expectNoLeak("the events", events);
        expectNoLeak("the telemetry", telemetry.events);
        expectNoLeak("the thread", thread);
        expectNoLeak("the serialized thread", serializeThread(thread)._unsafeUnwrap());
        expectNoLeak("the result", result);
      });
    },
  );

  it.concurrent(
    "a server that echoes the key: the real CLI prints it, the streamed events show [redacted]",
    async () => {
      await withStubEnv(echo401(OPTION_KEY), async (env) => {
        const { result, events } = await realTurn(env, { apiKey: OPTION_KEY });
        expect(errOf(result, "401 echo")._tag).toBe("TurnFailed");
        expect(JSON.stringify(events)).toContain("[redacted]");
        expectNoLeak("the streamed events", events);
      });
    },
  );

  // The CLI prints the server's 401 body in its `error` and `turn.failed` events, key included.
  it("a server that echoes the key in its 401 body: the error shows no key", async () => {
    await withStubEnv(echo401(OPTION_KEY), async (env) => {
      const { result, telemetry } = await realTurn(env, { apiKey: OPTION_KEY });
      const e = errOf(result, "401 echo");
      expect(e._tag).toBe("TurnFailed");
      expectNoLeak("the TurnFailed error", e);
      expectNoLeak("the telemetry", telemetry.events);
    });
  });
});

// ---------------------------------------------------------------------------------------------
// Threads and outcomes of a successful turn
// ---------------------------------------------------------------------------------------------

describe("secrets: threads and outcomes", () => {
  it("a real turn with every key planted: the outcome, its thread and telemetry show none", async () => {
    await withStubEnv(undefined, async (env) => {
      const planted = { apiKey: OPTION_KEY, env: ALL_KEYS_ENV };
      const { result, events, telemetry, thread } = await realTurn(env, planted);
      const outcome: TurnOutcome = result._unsafeUnwrap();
      expect(outcome.turn.finalResponse).toBe("Hello from stub 1: hello");
      // The keys are in the thread (the next turn needs them) …
      expect(outcome.thread.codexOptions.apiKey?.reveal()).toBe(OPTION_KEY);
      expect(outcome.thread.codexOptions.env?.reveal()).toMatchObject(ALL_KEYS_ENV);
      // … and in no form of it.
      for (const [what, value] of [
        ["the input thread", thread],
        ["the outcome", outcome],
        ["the Result", result],
        ["the new thread", outcome.thread],
        ["the serialized thread", serializeThread(outcome.thread)._unsafeUnwrap()],
        ["a structured clone", structuredClone(outcome.thread)],
        ["the events", events],
        ["the telemetry", telemetry.events],
        [
          "the keys as strings",
          `${String(outcome.thread.codexOptions.apiKey)} ${String(outcome.thread.codexOptions.env)}`,
        ],
      ] as const)
        expectNoLeak(what, value);
      // The stored thread reads back, keys supplied again, to the same thread.
      const back = deserializeThread(
        serializeThread(outcome.thread)._unsafeUnwrap(),
        planted,
      )._unsafeUnwrap();
      expect(serializeThread(back)._unsafeUnwrap()).toBe(
        serializeThread(outcome.thread)._unsafeUnwrap(),
      );
      expect(back.codexOptions.apiKey?.reveal()).toBe(OPTION_KEY);
      expectNoLeak("the thread read back", back);
    });
  });
});
