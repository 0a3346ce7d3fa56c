/**
 * The argv/env builder, to the byte, against the OFFICIAL SDK (`@openai/codex-sdk`): for the
 * same options, the SDK (driven in a child process, since it is ESM and jest runs CommonJS)
 * starts fakes/record.mjs, which records its argv, env and stdin; `buildExecCommand` must
 * produce exactly that, and our own exec transport must start the fake exactly the same way.
 * Options come from the option codecs' domains (fast-check) and from hand-written cases.
 * Then the rules the SDK does not share: the API key only in env, `env` given means nothing
 * inherited, the thread id only after `resume`, `ephemeral` as `--ephemeral`.
 */
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { createInterface } from "node:readline";

import fc from "fast-check";
import { assertProperty } from "../support/property.js";
import { isLeft } from "fp-ts/lib/Either.js";

import {
  ORIGINATOR,
  ORIGINATOR_ENV,
  buildExecCommand,
  flattenConfig,
  toTomlValue,
} from "../../lib/core/argv.js";
import type { ThreadEvent } from "../../lib/core/events.js";
import { normalizeInput } from "../../lib/core/input.js";
import {
  ApprovalPolicy,
  CyberAccessProgram,
  ModelReasoningEffort,
  SandboxMode,
  TurnOptions,
  WebSearchMode,
  type CodexOptionsInput,
} from "../../lib/core/options.js";
import type { ConfigValue } from "../../lib/core/config-value.js";
import { resumeThread, startThread, type Thread } from "../../lib/core/thread.js";
import { execTransport } from "../../lib/shell/exec-transport.js";
import { isSecretPath, secretValues } from "../../lib/core/secrets.js";
import { redactJson } from "../../lib/shell/internal/redact.js";
import { fake, listDir, makeScratch, type Scratch, RECORDER } from "../support/run-env.js";

type Json = Record<string, unknown>;

/** What the fake recorded of one start. */
interface Invocation {
  readonly argv: string[];
  readonly env: Record<string, string>;
  readonly stdin: string;
}

/** One turn's options, raw (as a user would pass them to either SDK). */
interface Case {
  readonly codexOptions: Json;
  readonly threadOptions: Json;
  readonly threadId: string | null;
  readonly input: unknown;
  readonly turnOptions: Json;
}

/** The environment the SDK driver runs with: what a thread without `env` inherits. */
const DRIVER_ENV: Record<string, string> = {
  PATH: process.env["PATH"] ?? "/usr/bin:/bin",
  HOME: "/nonexistent-home",
  LANG: "C.UTF-8",
  FC_INHERITED: "from the parent",
};

// ---------------------------------------------------------------------------------------------
// The official SDK, in a child process

let driver: ChildProcessWithoutNullStreams;
let scratch: Scratch;
const pending = new Map<number, (answer: Json) => void>();
let nextId = 0;

beforeAll(async () => {
  scratch = await makeScratch();
  driver = spawn(process.execPath, [fake("drive-official-sdk.mjs"), RECORDER], {
    env: DRIVER_ENV,
    stdio: ["pipe", "pipe", "pipe"],
  });
  createInterface({ input: driver.stdout }).on("line", (line) => {
    const answer = JSON.parse(line) as Json;
    pending.get(answer["id"] as number)?.(answer);
    pending.delete(answer["id"] as number);
  });
  let stderr = "";
  driver.stderr.on("data", (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
  // A driver that dies fails the cases waiting for it instead of leaving them hanging.
  driver.on("exit", (code) => {
    for (const [id, answer] of pending)
      answer({ id, error: `the driver exited (${code}): ${stderr}` });
    pending.clear();
  });
});

afterAll(async () => {
  driver.stdin.end();
  if (driver.exitCode === null) await new Promise((r) => driver.once("exit", r));
  await scratch.dispose();
});

/** Runs `c` through the official SDK; what its child saw. */
const viaSdk = (c: Case): Promise<Invocation> =>
  new Promise((resolve, reject) => {
    const id = nextId++;
    pending.set(id, (answer) =>
      answer["record"] !== undefined
        ? resolve(answer["record"] as Invocation)
        : reject(new Error(`the SDK failed: ${String(answer["error"])}`)),
    );
    driver.stdin.write(
      `${JSON.stringify({ id, ...c, codexOptions: { ...c.codexOptions, codexPathOverride: RECORDER } })}\n`,
    );
  });

/** The thread `c` describes, decoded by our constructors. */
const threadOf = (c: Case): Thread => {
  const codexOptions = { ...c.codexOptions, codexPathOverride: RECORDER };
  const r =
    c.threadId === null
      ? startThread(codexOptions, c.threadOptions)
      : resumeThread(c.threadId, codexOptions, c.threadOptions);
  if (r.isErr()) throw new Error(`invalid case: ${r.error.message}`);
  return r.value;
};

/** Turn options as the runner hands them on (decoded). */
const decodedTurnOptions = (u: Json): TurnOptions => {
  const r = TurnOptions.decode(u);
  if (isLeft(r)) throw new Error("invalid turn options in a case");
  return r.right;
};

/** What buildExecCommand makes of `c`, with the schema file the SDK happened to use. */
const ours = (c: Case, schemaFile: string | null) => {
  const thread = threadOf(c);
  const input = normalizeInput(c.input)._unsafeUnwrap();
  return {
    command: buildExecCommand({
      codexOptions: thread.codexOptions,
      threadOptions: thread.threadOptions,
      threadId: thread.threadId,
      input,
      turnOptions: decodedTurnOptions(c.turnOptions),
      outputSchemaFile: schemaFile,
      processEnv: DRIVER_ENV,
      pathDirs: [],
    }),
    prompt: input.prompt,
  };
};

/**
 * Runs `c` through our own exec transport (the runner's pre-spawn checks would refuse this
 * spec's made-up paths and empty prompts before any process starts); what the fake saw.
 */
const viaOurs = async (c: Case): Promise<Invocation> => {
  const transport = execTransport({ processEnv: DRIVER_ENV, tmpDir: scratch.dir });
  const started = await transport.startTurn({
    thread: threadOf(c),
    input: normalizeInput(c.input)._unsafeUnwrap(),
    turnOptions: decodedTurnOptions(c.turnOptions),
    maxLineBytes: 64 * 1024 * 1024,
  });
  if (started.isErr()) throw new Error(`our turn failed: ${JSON.stringify(started.error)}`);
  let record: Invocation | null = null;
  for await (const e of started.value.events as AsyncIterable<ThreadEvent>)
    if (e.type === "unknown" && e.eventType === "fake.record")
      record = e.payload["record"] as Invocation;
  const exit = await started.value.exit;
  if (!exit.ok) throw new Error(`our turn failed: ${JSON.stringify(exit.error)}`);
  if (record === null) throw new Error("the fake printed no record");
  return record;
};

const schemaFileIn = (argv: readonly string[]): string | null => {
  const i = argv.indexOf("--output-schema");
  return i === -1 ? null : (argv[i + 1] ?? null);
};

/** argv with the (random) schema file path replaced by a placeholder. */
const sameSchema = (argv: readonly string[]): string[] => {
  const file = schemaFileIn(argv);
  return argv.map((a) => (file !== null && a === file ? "<schema>" : a));
};

/** The whole check for one case: SDK = buildExecCommand = our transport. */
const expectParity = async (c: Case): Promise<void> => {
  const [sdk, live] = await Promise.all([viaSdk(c), viaOurs(c)]);
  const { command, prompt } = ours(c, schemaFileIn(sdk.argv));
  expect(command.args).toEqual(sdk.argv);
  expect(command.env).toEqual(sdk.env);
  expect(prompt).toBe(sdk.stdin);
  // The fake reports on stdout, which the transport redacts: compare with the SDK's record
  // redacted the same way (the byte-exact env check is the pure one above).
  const o = threadOf(c).codexOptions;
  const secrets = secretValues(o.apiKey?.reveal(), o.config, command.env);
  const seen = redactJson(sdk, secrets) as Invocation;
  expect(sameSchema(live.argv)).toEqual(sameSchema(seen.argv));
  expect(live.env).toEqual(seen.env);
  expect(live.stdin).toBe(seen.stdin);
  expect(await listDir(scratch.dir)).toEqual([]); // our schema file is gone
};

// ---------------------------------------------------------------------------------------------
// Options from the codecs' domains

const keysOf = <K extends string>(codec: { readonly keys: Record<K, unknown> }): K[] =>
  Object.keys(codec.keys) as K[];

/** Any valid Unicode text (no lone surrogates, which no process argument can carry). */
const text = (maxLength = 12) => fc.string({ unit: "grapheme", maxLength });
const nonEmpty = (maxLength = 12) => fc.string({ unit: "grapheme", minLength: 1, maxLength });
/** A value placed after a flag: not empty, no NUL, no leading "-". */
const flagValue = nonEmpty().filter((s) => !s.startsWith("-") && !s.includes("\u0000"));
/** Keys that do not make a value secret (secrets take another way to the CLI than the SDK's). */
const plainKey = (k: string): boolean => !isSecretPath([k]) && !["env", "http_headers"].includes(k);
const bareKey = fc.stringMatching(/^[A-Za-z0-9_-]{1,8}$/).filter(plainKey);

const leaf = fc.oneof(
  text(),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.boolean(),
);
/** A value inside an array: inline tables may have any non-empty key. */
const inlineValue: fc.Arbitrary<ConfigValue> = fc.letrec<{ value: ConfigValue }>((tie) => ({
  value: fc.oneof(
    { depthSize: "small" },
    leaf,
    fc.array(tie("value"), { maxLength: 3 }),
    fc.dictionary(nonEmpty(6).filter(plainKey), tie("value"), { maxKeys: 3 }),
  ),
})).value;
/** A value on a dotted --config path: nested objects have bare keys. */
const pathValue: fc.Arbitrary<ConfigValue> = fc.letrec<{ value: ConfigValue }>((tie) => ({
  value: fc.oneof(
    { depthSize: "small" },
    leaf,
    fc.array(inlineValue, { maxLength: 3 }),
    fc.dictionary(bareKey, tie("value"), { maxKeys: 3 }),
  ),
})).value;

const envName = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,8}$/).map((k) => `FC_${k}`);
const envValue = text(16).filter((s) => !s.includes("\u0000"));

const threadId = fc.oneof(
  fc.uuid(),
  fc.stringMatching(/^[A-Za-z0-9_][A-Za-z0-9_.:-]{0,24}$/).filter((s) => !s.includes("..")),
);

const codexOptionsArb: fc.Arbitrary<CodexOptionsInput> = fc.record(
  {
    baseUrl: fc.webUrl({ validSchemes: ["http", "https"] }),
    // Keys shorter than 4 are redacted where they stand alone (docs/secrets.md), which can
    // rewrite the fake's JSON report: parity is checked with keys of 4 and more.
    apiKey: fc.stringMatching(/^[!-~]{4,40}$/),
    config: fc.dictionary(bareKey, pathValue, { maxKeys: 4 }),
    configOverrides: fc.array(
      fc
        .tuple(nonEmpty(8), text(8))
        .filter(
          ([k, v]) =>
            !k.includes("=") &&
            !`${k}${v}`.includes("\u0000") &&
            !isSecretPath(k.trim().split(".")),
        )
        .map(([k, v]) => `${k}=${v}`),
      { maxLength: 3 },
    ),
    env: fc.dictionary(envName, envValue, { maxKeys: 4 }),
  },
  { requiredKeys: [] },
);

const threadOptionsArb = fc.record(
  {
    model: flagValue,
    threadSource: flagValue,
    sandboxMode: fc.constantFrom(...keysOf(SandboxMode)),
    workingDirectory: flagValue,
    skipGitRepoCheck: fc.boolean(),
    modelReasoningEffort: fc.constantFrom(...keysOf(ModelReasoningEffort)),
    networkAccessEnabled: fc.boolean(),
    webSearchMode: fc.constantFrom(...keysOf(WebSearchMode)),
    webSearchEnabled: fc.boolean(),
    approvalPolicy: fc.constantFrom(...keysOf(ApprovalPolicy)),
    additionalDirectories: fc.array(flagValue, { maxLength: 3 }),
    labels: fc.dictionary(nonEmpty(6), text(6), { maxKeys: 2 }),
  },
  { requiredKeys: [] },
);

const inputArb = fc.oneof(
  text(40),
  fc.array(
    fc.oneof(
      text(20).map((t) => ({ type: "text", text: t })),
      flagValue.map((path) => ({ type: "local_image", path })),
    ),
    { maxLength: 4 },
  ),
);

const turnOptionsArb = fc.record(
  {
    outputSchema: fc.dictionary(nonEmpty(6), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 }),
    cyberAccessProgram: fc.constantFrom(...keysOf(CyberAccessProgram)),
  },
  { requiredKeys: [] },
);

const caseArb: fc.Arbitrary<Case> = fc.record({
  codexOptions: codexOptionsArb,
  threadOptions: threadOptionsArb,
  threadId: fc.option(threadId, { nil: null }),
  input: inputArb,
  turnOptions: turnOptionsArb,
});

/** The case with no options at all. */
const BASE: Case = {
  codexOptions: {},
  threadOptions: {},
  threadId: null,
  input: "hello",
  turnOptions: {},
};

// ---------------------------------------------------------------------------------------------

describe("buildExecCommand matches the official SDK to the byte", () => {
  it("for options generated from the codecs' domains", async () => {
    await assertProperty(
      fc.asyncProperty(caseArb, async (c) => {
        await expectParity(c);
      }),
      { numRuns: 80 },
    );
    // 80 pairs of real processes: on a loaded 2-core machine this takes more than jest's 30 s.
  }, 180_000);

  const hand: [string, Partial<Case>][] = [
    ["no options at all (everything inherited)", {}],
    ["an empty config", { codexOptions: { config: {} } }],
    [
      "nested config",
      {
        codexOptions: {
          config: {
            model_providers: {
              stub: {
                name: "stub",
                base_url: "http://127.0.0.1:1/v1",
                wire_api: "responses",
                request_max_retries: 1,
              },
            },
            model_provider: "stub",
            sandbox_workspace_write: { network_access: true, writable_roots: ["/a", "/b c"] },
            "a-b_c": { "0": { deep: -1.5e-7 } },
          },
        },
      },
    ],
    [
      "arrays and inline tables (keys quoted when not bare)",
      {
        codexOptions: {
          config: {
            mcp: [{ name: "x", "needs quoting": "y", é: [1, 2.5, true, { "a.b": "c" }] }, []],
            list: [],
            empty: {},
            notify: ['say "hi"\n', "\\back", "tab\there", "😀"],
          },
        },
      },
    ],
    ["empty objects at depth", { codexOptions: { config: { a: { b: {} }, c: {} } } }],
    [
      "numbers as JS prints them",
      { codexOptions: { config: { big: 1e21, small: 5e-324, neg: -0, int: 42 } } },
    ],
    ["baseUrl", { codexOptions: { baseUrl: 'https://proxy.example.com/v1?x="y"' } }],
    [
      "raw configOverrides after config",
      { codexOptions: { config: { a: 1 }, configOverrides: ["b=2", 'c.d="x=y"'] } },
    ],
    [
      "env given (nothing inherited), API key and originator",
      { codexOptions: { apiKey: "sk-test-1", env: { ONLY: "this", PATH: DRIVER_ENV["PATH"] } } },
    ],
    [
      "env with its own CODEX_API_KEY and originator (apiKey wins, originator kept)",
      {
        codexOptions: {
          apiKey: "sk-from-option",
          env: { CODEX_API_KEY: "sk-from-env", [ORIGINATOR_ENV]: "custom_client" },
        },
      },
    ],
    ["an empty env (no PATH at all)", { codexOptions: { env: {} } }],
    [
      "every thread option",
      {
        threadOptions: {
          model: "gpt-5",
          threadSource: "cli",
          sandboxMode: "workspace-write",
          workingDirectory: "/tmp/work dir",
          skipGitRepoCheck: true,
          modelReasoningEffort: "high",
          networkAccessEnabled: false,
          webSearchMode: "cached",
          webSearchEnabled: true,
          approvalPolicy: "on-request",
          additionalDirectories: ["/x", "./y", "z z"],
          labels: { team: "a" },
        },
      },
    ],
    ["webSearchEnabled: true alone", { threadOptions: { webSearchEnabled: true } }],
    ["webSearchEnabled: false alone", { threadOptions: { webSearchEnabled: false } }],
    [
      "skipGitRepoCheck: false",
      { threadOptions: { skipGitRepoCheck: false, networkAccessEnabled: true } },
    ],
    [
      "a resumed thread (threadSource dropped)",
      {
        threadId: "01a20fb5-345b-7f51-b6d3-8f2a9ee94142",
        threadOptions: { threadSource: "cli", model: "m" },
      },
    ],
    ["a legacy thread id", { threadId: "thread_abc.1:2-3" }],
    [
      "images after resume",
      {
        threadId: "01a20fb5-345b-7f51-b6d3-8f2a9ee94142",
        input: [
          { type: "text", text: "look" },
          { type: "local_image", path: "/img/a.png" },
          { type: "text", text: "and" },
          { type: "local_image", path: "b c.jpg" },
        ],
      },
    ],
    ["an output schema", { turnOptions: { outputSchema: { type: "object", properties: {} } } }],
    ["cyberAccessProgram", { turnOptions: { cyberAccessProgram: "daybreak_red" } }],
    ["an empty prompt", { input: "" }],
    ["a prompt of parts only images", { input: [{ type: "local_image", path: "i.png" }] }],
  ];
  it.each(hand)("for %s", async (_name, patch) => {
    await expectParity({ ...BASE, ...patch });
  });
});

// ---------------------------------------------------------------------------------------------
// The rules of our own

/** buildExecCommand for a decoded thread, with a chosen inherited environment. */
const build = (
  thread: Thread,
  extra: {
    processEnv?: Record<string, string | undefined>;
    pathDirs?: string[];
    images?: string[];
  } = {},
) =>
  buildExecCommand({
    codexOptions: thread.codexOptions,
    threadOptions: thread.threadOptions,
    threadId: thread.threadId,
    input: { prompt: "p", images: extra.images ?? [] },
    turnOptions: {},
    outputSchemaFile: null,
    processEnv: extra.processEnv ?? DRIVER_ENV,
    pathDirs: extra.pathDirs ?? [],
  });

const fullThreadOptions = threadOptionsArb.chain((o) =>
  fc.boolean().map((ephemeral) => ({ ...o, ephemeral })),
);
const decodedThread = fc
  .tuple(codexOptionsArb, fullThreadOptions, fc.option(threadId, { nil: null }))
  .map(([c, o, id]) => {
    const r = id === null ? startThread(c, o) : resumeThread(id, c, o);
    if (r.isErr()) throw new Error(r.error.message);
    return r.value;
  });

describe("buildExecCommand's own rules", () => {
  it("puts the API key in the environment (CODEX_API_KEY), never in argv", () => {
    assertProperty(
      fc.property(
        decodedThread,
        // A key no generated option can contain by chance (fast-check likes "toString" …).
        fc.stringMatching(/^[!-~]{8,30}$/).map((s) => `sk-PLANTED-${s}`),
        fc.dictionary(envName, envValue),
        (thread, key, processEnv) => {
          const raw = { ...toRaw(thread.codexOptions), apiKey: key };
          const t =
            thread.threadId === null
              ? startThread(raw, thread.threadOptions)._unsafeUnwrap()
              : resumeThread(thread.threadId, raw, thread.threadOptions)._unsafeUnwrap();
          const { args, env } = build(t, { processEnv });
          expect(env["CODEX_API_KEY"]).toBe(key);
          expect(args.some((a) => a.includes(key))).toBe(false);
        },
      ),
      { numRuns: 100 },
    );
  });

  it("inherits nothing when env is given, everything (but undefined) when not", () => {
    assertProperty(
      fc.property(
        fc.dictionary(envName, envValue),
        fc.dictionary(envName, envValue, { minKeys: 1 }),
        (given, inherited) => {
          const withEnv = startThread({ env: given })._unsafeUnwrap();
          const expected = { [ORIGINATOR_ENV]: ORIGINATOR, ...given };
          expect(build(withEnv, { processEnv: inherited }).env).toEqual(expected);
          const without = startThread({})._unsafeUnwrap();
          expect(build(without, { processEnv: { ...inherited, FC_GONE_: undefined } }).env).toEqual(
            { ...inherited, [ORIGINATOR_ENV]: ORIGINATOR },
          );
        },
      ),
      { numRuns: 100 },
    );
  });

  it("places the thread id after `resume`, and only there", () => {
    assertProperty(
      fc.property(decodedThread, fc.array(flagValue, { maxLength: 2 }), (thread, images) => {
        const { args } = build(thread, { images });
        const at = args.indexOf("resume");
        if (thread.threadId === null) {
          expect(at).toBe(-1);
          return;
        }
        expect(args.filter((a) => a === "resume")).toHaveLength(1);
        expect(args[at + 1]).toBe(thread.threadId);
        // Nothing after the id but images; `--thread-source` only for new threads.
        expect(args.slice(at + 2)).toEqual(images.flatMap((i) => ["--image", i]));
        expect(args).not.toContain("--thread-source");
        expect(args.filter((a) => a === thread.threadId)).toHaveLength(1);
      }),
      { numRuns: 100 },
    );
  });

  it("turns ephemeral into --ephemeral (before resume), and nothing else", () => {
    assertProperty(
      fc.property(decodedThread, (thread) => {
        const { args } = build(thread);
        const at = args.indexOf("--ephemeral");
        if (thread.threadOptions.ephemeral === true) {
          expect(args.filter((a) => a === "--ephemeral")).toHaveLength(1);
          const resume = args.indexOf("resume");
          if (resume !== -1) expect(at).toBeLessThan(resume);
        } else expect(at).toBe(-1);
        const plain = startThread(toRaw(thread.codexOptions), {
          ...thread.threadOptions,
          ephemeral: false,
        })._unsafeUnwrap();
        const withoutFlag = args.filter((a) => a !== "--ephemeral");
        const { args: plainArgs } = build(
          thread.threadId === null
            ? plain
            : resumeThread(thread.threadId, toRaw(thread.codexOptions), {
                ...thread.threadOptions,
                ephemeral: false,
              })._unsafeUnwrap(),
        );
        expect(plainArgs).toEqual(withoutFlag);
      }),
      { numRuns: 100 },
    );
  });

  it("puts the CLI's helper directories first on PATH, once", () => {
    const t = startThread({ env: { PATH: "/b:/usr/bin::/a:/b" } })._unsafeUnwrap();
    expect(build(t, { pathDirs: ["/a", "/b"] }).env["PATH"]).toBe("/a:/b:/usr/bin");
    const none = startThread({ env: {} })._unsafeUnwrap();
    expect(build(none, { pathDirs: ["/a"] }).env["PATH"]).toBe("/a");
  });

  it("starts every command with exec --experimental-json and the config overrides", () => {
    const t = startThread(
      { config: { a: { b: 1 } }, configOverrides: ["x=1"], baseUrl: "http://h/v1" },
      { model: "m" },
    )._unsafeUnwrap();
    expect(build(t).args).toEqual([
      "exec",
      "--experimental-json",
      "--config",
      "a.b=1",
      "--config",
      "x=1",
      "--config",
      'openai_base_url="http://h/v1"',
      "--model",
      "m",
    ]);
  });

  it("flattens config and writes TOML values like the SDK", () => {
    expect(flattenConfig({})._unsafeUnwrap()).toEqual([]);
    expect(flattenConfig({ a: {}, b: { c: [] } })._unsafeUnwrap()).toEqual(["a={}", "b.c=[]"]);
    expect(toTomlValue({ "x y": [1, { z: "w" }], ok: false })._unsafeUnwrap()).toBe(
      '{"x y" = [1, {z = "w"}], ok = false}',
    );
  });

  it("does not pass the parent's environment to a child when env is given (live)", async () => {
    const given = { ONLY: "1" };
    const record = await viaOurs({ ...BASE, codexOptions: { env: given } });
    expect(record.env).toEqual({ ...given, [ORIGINATOR_ENV]: ORIGINATOR });
    const inherited = await viaOurs(BASE);
    expect(inherited.env).toEqual({ ...DRIVER_ENV, [ORIGINATOR_ENV]: ORIGINATOR });
  });
});

/** Raw CodexOptions back from decoded ones (secrets revealed), to build variants. */
function toRaw(o: Thread["codexOptions"]): Json {
  const { apiKey, env, ...rest } = o;
  return {
    ...rest,
    ...(apiKey !== undefined ? { apiKey: apiKey.reveal() } : {}),
    ...(env !== undefined ? { env: env.reveal() } : {}),
  };
}
