/**
 * Shared helpers for the shell specs: a thread pointed at a loopback model stub with a sandbox
 * CODEX_HOME (through the `env` and `config` options), the fake binaries in ./fakes, and
 * process checks (is this pid still running?).
 */
import { existsSync, readFileSync } from "node:fs";
import { chmod, mkdir, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

import type { Thread } from "../../lib/core/thread.js";
import { resumeThread, startThread } from "../../lib/core/thread.js";
import type { ConfigObject, ConfigValue } from "../../lib/core/config-value.js";
import type { CodexOptionsInput, ThreadOptionsInput } from "../../lib/core/options.js";
import { Redacted } from "../../lib/core/redacted.js";
import { resolveCodexBinary } from "../../lib/shell/codex-binary.js";
import {
  startModelStub,
  type ModelStub,
  type ModelStubOptions,
  type StubScript,
} from "../../lib/testing/model-stub.js";
import { makeSandbox, type Sandbox } from "../../lib/testing/sandbox.js";

/** The API key planted in every thread's options: it must never show up in an outcome. */
export const API_KEY = "sk-test-planted-Q7v2Lx9mW4pZ8rT1";

/** A well-formed UUID no session has. */
export const UNKNOWN_UUID = "01a20fa5-0000-7000-8000-000000000000";

/** UUIDs as the CLI prints them. */
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The folder of the fake binaries. */
export const FAKES = join(process.cwd(), "spec", "support", "fakes");

/** The path of a fake binary in ./fakes. */
export const fake = (name: string): string => join(FAKES, name);

/** The real codex binary the exec transport finds by default (the installed package). */
export const realCodex = (): string => {
  const r = resolveCodexBinary();
  if (r.isErr()) throw new Error(`the codex binary is not installed: ${r.error.message}`);
  return r.value.path;
};

type Json = Record<string, unknown>;
const isObject = (u: unknown): u is ConfigObject =>
  typeof u === "object" && u !== null && !Array.isArray(u) && !Redacted.is(u);

/** `base` with `patch` merged in, objects merged key by key (arrays and values replaced). */
export const deepMerge = (base: ConfigObject, patch: ConfigObject): ConfigObject => {
  const out: Record<string, ConfigValue> = { ...base };
  for (const [k, v] of Object.entries(patch)) {
    const prior = out[k];
    out[k] = isObject(prior) && isObject(v) ? deepMerge(prior, v) : v;
  }
  return out;
};

/** The `config` that keeps an HTTP error from being retried for seconds. */
export const FEW_RETRIES: ConfigObject = {
  model_providers: { stub: { request_max_retries: 1, stream_max_retries: 0 } },
};

/** A unique file name in a fresh temp folder (removed by `dispose`). */
export interface Scratch {
  readonly dir: string;
  file(name: string): string;
  dispose(): Promise<void>;
}

/** Creates a scratch folder under the OS temp dir. */
export const makeScratch = async (): Promise<Scratch> => {
  const dir = await mkdtemp(join(tmpdir(), "codex-fp-spec-"));
  return {
    dir,
    file: (name) => join(dir, name),
    dispose: () => rm(dir, { recursive: true, force: true }).catch(() => undefined),
  };
};

/** What a spec adds to a stub thread's client options. */
export interface StubExtra {
  readonly env?: Record<string, string>;
  readonly config?: ConfigObject;
}

/** A stub, a sandbox and a scratch folder, and threads pointed at them. */
export interface StubEnv {
  readonly stub: ModelStub;
  readonly sandbox: Sandbox;
  readonly scratch: Scratch;
  /** The variables every thread's `env` option holds (PATH, HOME and CODEX_HOME). */
  readonly env: Readonly<Record<string, string>>;
  /** Raw CodexOptions: the planted API key, the sandbox env (plus `env`), the stub config. */
  codexOptions(extra?: StubExtra): CodexOptionsInput;
  /** A new thread in the sandbox (skipGitRepoCheck, workingDirectory = the sandbox cwd). */
  thread(threadOptions?: ThreadOptionsInput, extra?: StubExtra): Thread;
  /** A resumed thread with the same options. */
  resume(threadId: string, threadOptions?: ThreadOptionsInput, extra?: StubExtra): Thread;
  /** `env` extras that make the pid wrapper run the real codex and write its pid. */
  pidEnv(name?: string): Record<string, string>;
  /** The pid the wrapper (or a fake) wrote, or null when it wrote none. */
  pid(name?: string): number | null;
}

const unwrap = <A>(r: { isOk(): boolean; _unsafeUnwrap(): A; _unsafeUnwrapErr(): unknown }): A => {
  if (!r.isOk()) throw new Error(`expected Ok: ${JSON.stringify(r._unsafeUnwrapErr())}`);
  return r._unsafeUnwrap();
};

/** Runs `fn` with a fresh stub (running `script`) and sandbox; always cleans up. */
export const withStubEnv = async <A>(
  script: StubScript | undefined,
  fn: (env: StubEnv) => Promise<A>,
  options?: ModelStubOptions,
): Promise<A> => {
  const stub = await startModelStub(script, options);
  const sandbox = await makeSandbox();
  const scratch = await makeScratch();
  const env = {
    PATH: process.env["PATH"] ?? "/usr/bin:/bin",
    HOME: sandbox.codexHome,
    CODEX_HOME: sandbox.codexHome,
  };
  const codexOptions: StubEnv["codexOptions"] = (extra = {}) => ({
    apiKey: API_KEY,
    env: { ...env, ...(extra.env ?? {}) },
    config: deepMerge(stub.providerConfig(), extra.config ?? {}),
  });
  const threadOptions = (o: ThreadOptionsInput = {}): ThreadOptionsInput => ({
    skipGitRepoCheck: true,
    workingDirectory: sandbox.cwd,
    ...o,
  });
  const pidFile = (name = "codex") => scratch.file(`${name}.pid`);
  const e: StubEnv = {
    stub,
    sandbox,
    scratch,
    env,
    codexOptions,
    thread: (o, extra) => unwrap(startThread(codexOptions(extra), threadOptions(o))),
    resume: (id, o, extra) => unwrap(resumeThread(id, codexOptions(extra), threadOptions(o))),
    pidEnv: (name) => ({ FAKE_PID_FILE: pidFile(name), REAL_CODEX: realCodex() }),
    pid: (name) => readPid(pidFile(name)),
  };
  try {
    return await fn(e);
  } finally {
    await Promise.all([stub.close(), sandbox.dispose(), scratch.dispose()]);
  }
};

/** The pid written in `file`, or null when there is none (yet). */
export const readPid = (file: string): number | null => {
  if (!existsSync(file)) return null;
  const n = Number(readFileSync(file, "utf8").trim());
  return Number.isInteger(n) && n > 0 ? n : null;
};

/**
 * True while a process with this pid is running. A zombie (dead, but not yet reaped by its
 * parent — e.g. an orphan whose new parent, the container's pid 1, never reaps) is not.
 */
export const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
  try {
    // /proc/<pid>/stat: "pid (comm) S …"; the state follows the last ")".
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) !== "Z";
  } catch {
    return !existsSync("/proc/self/stat"); // gone meanwhile, or no /proc (kill(0) is all we know)
  }
};

/** Resolves once `cond()` holds; rejects after `timeoutMs`. */
export const waitFor = async (
  cond: () => boolean,
  timeoutMs = 10_000,
  what = "a condition",
): Promise<void> => {
  const until = performance.now() + timeoutMs;
  while (!cond()) {
    if (performance.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
};

/** The names in a folder (empty when it does not exist). */
export const listDir = async (dir: string): Promise<string[]> =>
  readdir(dir).catch(() => [] as string[]);

/** The JSON lines of a file written by the recording fake (empty when it does not exist). */
export const readLog = (file: string): Json[] =>
  existsSync(file)
    ? readFileSync(file, "utf8")
        .split("\n")
        .filter((l) => l.trim() !== "")
        .map((l) => JSON.parse(l) as Json)
    : [];

/**
 * Binaries that cannot be run, made in `scratch`, with the message and the tag every entry point
 * gives for each: one not executable, a folder, and a missing one (which keeps its own tag).
 */
export const unrunnableBinaries = async (
  scratch: Scratch,
): Promise<ReadonlyArray<readonly [string, RegExp, "InvalidOptions" | "CodexNotFound"]>> => {
  const plain = scratch.file("codex-not-executable");
  await writeFile(plain, "#!/bin/sh\necho hi\n");
  await chmod(plain, 0o644);
  const folder = scratch.file("a-folder");
  await mkdir(folder);
  return [
    [plain, /is not executable/, "InvalidOptions"],
    [folder, /is not a file/, "InvalidOptions"],
    [scratch.file("missing-codex"), /codex binary not found/, "CodexNotFound"],
  ];
};

/** The recording fake codex: it logs each invocation (argv, env, stdin) to `FAKE_CODEX_LOG`. */
export const RECORDER = fake("record.mjs");

/** The flag an injection would put into the CLI's argv (the one the read-once specs look for). */
export const BYPASS_FLAG = "--dangerously-bypass-approvals-and-sandbox";

/** The argvs the recording fake logged to `file`, in order. */
export const argvsOf = (file: string): string[][] =>
  readLog(file).map((r) => r["argv"] as string[]);

/** Fails when the planted API key (or a long piece of it) shows in `value` once serialized. */
export const expectNoKey = (value: unknown): void => {
  const text = typeof value === "string" ? value : JSON.stringify(value);
  for (let i = 0; i + 8 <= API_KEY.length; i++) expect(text).not.toContain(API_KEY.slice(i, i + 8));
};
