/**
 * The public signatures, pinned at the type level. Never run: spec/types/signatures.spec.ts
 * type-checks this file and fails on any diagnostic, so a line that must compile and stops
 * compiling fails, and so does an `@ts-expect-error` line that starts compiling (TS2578).
 */
import { pipe } from "fp-ts/lib/function.js";
import * as E from "fp-ts/lib/Either.js";
import * as TE from "fp-ts/lib/TaskEither.js";
import {
  Redacted,
  mintContinuationToken,
  noopSink,
  resumeLast,
  resumeThread,
  runStreamed,
  runTurn,
  runTurnWith,
  startThread,
  startThreadTE,
  validateResume,
  validateResumeWith,
  withThreadOptions,
  type CodexOptions,
  type CodexOptionsInput,
  type Thread,
  type ThreadOptionsInput,
  type TurnInput,
  type TurnOptionsInput,
  type Usage,
} from "../../lib/index.js";
import {
  forkThread,
  openAppServer,
  readThread,
  setThreadName,
} from "../../lib/app-server/index.js";
import { openFleet, startFleetWorker, type Fleet } from "../../lib/fleet/index.js";
import {
  applyDelta,
  baseOf,
  endOf,
  observedFrom,
  relate,
  type LocalView,
  type SessionArchive,
  type SessionSummary,
} from "../../lib/sessions/index.js";
import {
  buildExecCommand,
  flattenConfig,
  splitUsage,
  toTomlValue,
  type CommandRequest,
} from "../../lib/advanced/index.js";

declare const thread: Thread;
declare const fleet: Fleet;
const redis = { host: "127.0.0.1", port: 6379 };
declare const archive: SessionArchive;
declare const summary: SessionSummary;
declare const usage: Usage;
declare const request: CommandRequest;
declare const bytes: Uint8Array;
const local: LocalView = { length: 0, exists: false, tailAtBase: null, overlap: bytes };

/** What must compile: every option as a caller writes it, each parameter at its place. */
export const compiles = () => [
  startThread(),
  startThread({ apiKey: "k", baseUrl: "https://api.openai.com/v1" }, { model: "gpt-5" }),
  startThread({ apiKey: Redacted.of("k"), env: Redacted.of({ HOME: "/h" }) }),
  startThread({ config: { model_reasoning_summary: "auto", features: { web_search: true } } }),
  startThread({}, { sandboxMode: "read-only", additionalDirectories: ["/a"] as const }),
  resumeThread("thread_1", { apiKey: "k" }, { approvalPolicy: "never" }),
  resumeThread("thread_1", {}, {}, { continuationToken: null, metadata: '{"labels":{}}' }),
  withThreadOptions(thread, { model: undefined, webSearchMode: "live" }),
  runTurn(thread, "hi"),
  runTurn(thread, [{ type: "text", text: "hi" }], { timeoutMs: 5_000 }, { observe: false }),
  runStreamed(thread, "hi", { cyberAccessProgram: "standard" }),
  resumeLast({ apiKey: "k" }, { model: "gpt-5" }, { cwd: "/w" }),
  openAppServer({ apiKey: "k" }, { requestTimeoutMs: 1_000 }),
  readThread("thread_1", {}, { codexOptions: { apiKey: "k" } }),
  setThreadName("thread_1", "a name", {}),
  forkThread(thread, {}, { codexOptions: { env: { HOME: "/h" } } }),
  fleet.submitTurn(thread, "hi", { timeoutMs: 5_000 }),
  openFleet({ connection: { host: "127.0.0.1", port: 6379, db: 1 }, queue: "turns" }),
  startFleetWorker({
    connection: { host: "127.0.0.1", port: 6379 },
    codexOptions: { apiKey: "k" },
    threadOptions: { workingDirectory: "/w" },
    transport: "app-server",
  }),
  validateResume(thread, undefined, { sink: noopSink }),
  validateResume(thread, { completedTurns: 2 }, { sink: noopSink, secret: "s" }),
];

/** The helpers over library-built values take those values typed (and still check them). */
export const helpers = () => [
  mintContinuationToken({ threadId: "thread_1", lastTurnId: null, completedTurns: 0 }),
  mintContinuationToken(
    { threadId: thread.threadId ?? "t", lastTurnId: "turn_1", completedTurns: 2 },
    "s",
  ),
  baseOf(archive),
  endOf(archive),
  applyDelta(archive, bytes, bytes),
  relate(archive, bytes, local),
  relate({ base: endOf(archive)._unsafeUnwrap(), length: 10 }, bytes, local),
  observedFrom(summary),
  splitUsage(usage, null),
  splitUsage(usage, usage),
  splitUsage(usage),
  buildExecCommand(request),
  flattenConfig({ model: "gpt-5", features: { web_search: true }, notify: ["a", "b"] }),
  flattenConfig({ model_providers: { p: { env_key: Redacted.of("k") } } }),
  toTomlValue([1, "a", { k: true }]),
  toTomlValue(Redacted.of("s")),
];

/** The input types, written down by a caller. */
export const written: [CodexOptionsInput, ThreadOptionsInput, TurnOptionsInput, TurnInput] = [
  { apiKey: "k" },
  { model: "gpt-5", sandboxMode: "workspace-write" },
  { timeoutMs: 1 },
  "hi",
];

/** The common chain reads without lambdas. */
export const chain = pipe(
  startThreadTE({ apiKey: "k" }, { model: "gpt-5" }),
  TE.chainW(runTurnWith("Write the test first")),
  TE.chainW(runTurnWith("Now make it pass", { timeoutMs: 60_000 }, { observe: false })),
  TE.chainEitherKW(({ thread: t }) => validateResumeWith(undefined, { sink: noopSink })(t)),
);
export const checked = pipe(E.right(thread), E.chainW(validateResumeWith({}, { sink: noopSink })));

/** What must not compile: typos, wrong types, values outside a closed union, old forms. */
export const refused = () => [
  // @ts-expect-error an API key is a string or a Redacted string
  startThread({ apiKey: 123 }),
  // @ts-expect-error a typo is an unknown option
  startThread({}, { modle: "x" }),
  // @ts-expect-error sandboxMode is a closed union
  startThread({}, { sandboxMode: "readonly" }),
  // @ts-expect-error config values are TOML values (no functions)
  startThread({ config: { notify: () => 1 } }),
  // @ts-expect-error a thread id is a string
  resumeThread(42),
  // @ts-expect-error the continuation token is a string
  resumeThread("thread_1", {}, {}, { continuationToken: 7 }),
  // @ts-expect-error the API key is a client option, not a thread option
  withThreadOptions(thread, { apiKey: "k" }),
  // @ts-expect-error an input is a prompt or a list of user inputs
  runTurn(thread, 42),
  // @ts-expect-error timeoutMs is a number
  runTurn(thread, "x", { timeoutMs: "5" }),
  // @ts-expect-error a user input part has a closed type
  runStreamed(thread, [{ type: "image", path: "/a.png" }]),
  // @ts-expect-error a typo in the client options of resumeLast
  resumeLast({ apikey: "k" }),
  // @ts-expect-error openAppServer's client options are checked
  openAppServer({ baseUrl: 1 }),
  // @ts-expect-error lifecycle deps carry typed client options
  readThread("thread_1", {}, { codexOptions: { modle: "x" } }),
  // @ts-expect-error a fleet turn's options are typed too
  fleet.submitTurn(thread, "hi", { timeout: 5 }),
  // @ts-expect-error a typo in the fleet's options
  openFleet({ connection: { host: "127.0.0.1", port: 6379 }, queu: "turns" }),
  // @ts-expect-error the connection is closed too: no unknown keys
  openFleet({ connection: { host: "127.0.0.1", port: 6379, pasword: "p" } }),
  // @ts-expect-error a worker's client options are typed as startThread takes them
  startFleetWorker({ connection: redis, codexOptions: { apikey: "k" } }),
  // @ts-expect-error a worker's transport is exec or app-server
  startFleetWorker({ connection: redis, transport: "http" }),
  // @ts-expect-error validateResume is data first, deps last (no longer curried)
  validateResume({ sink: noopSink })(thread),
  // @ts-expect-error runTurnWith takes the input first
  runTurnWith(thread, "hi"),
  // @ts-expect-error a claim's thread id is a string
  mintContinuationToken({ threadId: 42, lastTurnId: null, completedTurns: 0 }),
  // @ts-expect-error a claim names its last turn (null for none)
  mintContinuationToken({ threadId: "thread_1", completedTurns: 0 }),
  // @ts-expect-error a turn count is a number
  mintContinuationToken({ threadId: "thread_1", lastTurnId: null, completedTurns: "1" }),
  // @ts-expect-error a point is not an archive
  baseOf({ length: 1 }),
  // @ts-expect-error endOf reads an archive value, not its JSON text (decodeArchive does)
  endOf("{}"),
  // @ts-expect-error delta bytes are a Uint8Array
  applyDelta(archive, "bytes", bytes),
  // @ts-expect-error a local view has its tail digest and overlap bytes
  relate(archive, bytes, { length: 0, exists: false }),
  // @ts-expect-error a session summary has every field
  observedFrom({ threadId: "thread_1" }),
  // @ts-expect-error usage has every count
  splitUsage({ input_tokens: 1 }),
  // @ts-expect-error a command request has every field
  buildExecCommand({ threadId: null }),
  // @ts-expect-error config values are TOML values (no functions)
  flattenConfig({ notify: () => 1 }),
  // @ts-expect-error a config is an object, not a TOML line
  flattenConfig("model=x"),
  // @ts-expect-error TOML has no null
  toTomlValue(null),
];

// @ts-expect-error CodexOptions is the decoded form (the key is Redacted): write CodexOptionsInput
export const decoded: CodexOptions = { apiKey: "k" };
