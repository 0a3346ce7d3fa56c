/**
 * A Thread's options as app-server request params, mirroring what the exec argv builder
 * (core/argv.ts) passes as flags: model, sandbox, working directory, approval policy
 * (`never` unless set, as `codex exec` runs), reasoning effort, network access, web search,
 * extra writable directories, ephemeral, thread source and the `config` object (sent per
 * thread as dotted keys, exactly the `--config` overrides exec would get).
 */
import { resolve } from "node:path";
import type {
  AskForApproval,
  SandboxPolicy,
  ThreadForkParams,
  ThreadResumeParams,
  ThreadStartParams,
  TurnStartParams,
  UserInput,
} from "../../generated/app-server/index.js";
import type { ConfigValue } from "../../core/config-value.js";
import { Redacted } from "../../core/redacted.js";
import type { NormalizedInput } from "../../core/input.js";
import { isRecord } from "../../core/decoding/decode.js";
import type { TurnOptions } from "../../core/options.js";
import type { DeepReadonly, Thread } from "../../core/thread.js";

/** The settings shared by thread/start, thread/resume and thread/fork. */
export type ThreadSettings = Pick<
  ThreadStartParams,
  "model" | "sandbox" | "cwd" | "approvalPolicy" | "config"
>;

/** A nested config object as dotted `key.path → value` overrides (leaves only, in key order). */
export const dottedConfig = (
  config: DeepReadonly<Record<string, ConfigValue>>,
): Record<string, unknown> => {
  const out: Record<string, unknown> = {};
  const walk = (value: unknown, prefix: string): void => {
    // Secrets go in the request itself (stdin of the server, which no other user can read).
    if (Redacted.is(value)) {
      out[prefix] = value.reveal();
      return;
    }
    if (!isRecord(value)) {
      out[prefix] = value;
      return;
    }
    const entries = Object.entries(value);
    if (prefix !== "" && entries.length === 0) {
      out[prefix] = {};
      return;
    }
    for (const [k, v] of entries)
      if (v !== undefined) walk(v, prefix === "" ? k : `${prefix}.${k}`);
  };
  walk(config, "");
  // A provider's bearer token wins over its env_key, as it does over exec (where the token is
  // passed as the env_key): the CLI would otherwise insist on the env_key's variable.
  for (const k of Object.keys(out))
    if (/^model_providers\.[^.]+\.experimental_bearer_token$/.test(k))
      delete out[k.replace(/experimental_bearer_token$/, "env_key")];
  return out;
};

const approvalOf = (p: Thread["threadOptions"]["approvalPolicy"]): AskForApproval | undefined =>
  p === undefined ? "never" : p === "on-failure" ? undefined : p;

/** The thread settings of `thread` (its options and its client's `config`). */
export const threadSettings = (thread: Thread): ThreadSettings => {
  const o = thread.threadOptions;
  const c = thread.codexOptions;
  const config: Record<string, unknown> = {
    ...(c.config !== undefined ? dottedConfig(c.config) : {}),
    ...(c.baseUrl !== undefined ? { openai_base_url: c.baseUrl } : {}),
    ...(o.modelReasoningEffort !== undefined
      ? { model_reasoning_effort: o.modelReasoningEffort }
      : {}),
    ...(o.networkAccessEnabled !== undefined
      ? { "sandbox_workspace_write.network_access": o.networkAccessEnabled }
      : {}),
    ...(o.webSearchMode !== undefined
      ? { web_search: o.webSearchMode }
      : o.webSearchEnabled !== undefined
        ? { web_search: o.webSearchEnabled ? "live" : "disabled" }
        : {}),
    ...(o.additionalDirectories !== undefined && o.additionalDirectories.length > 0
      ? { "sandbox_workspace_write.writable_roots": o.additionalDirectories.map((d) => resolve(d)) }
      : {}),
    ...(o.approvalPolicy === "on-failure" ? { approval_policy: "on-failure" } : {}),
  };
  const approvalPolicy = approvalOf(o.approvalPolicy);
  return {
    ...(o.model !== undefined ? { model: o.model } : {}),
    ...(o.sandboxMode !== undefined ? { sandbox: o.sandboxMode } : {}),
    ...(o.workingDirectory !== undefined ? { cwd: resolve(o.workingDirectory) } : {}),
    ...(approvalPolicy !== undefined ? { approvalPolicy } : {}),
    ...(Object.keys(config).length > 0 ? { config } : {}),
  };
};

/** `thread/start` params for a new thread. */
export const threadStartParams = (thread: Thread): ThreadStartParams => ({
  ...threadSettings(thread),
  ...(thread.threadOptions.ephemeral === true ? { ephemeral: true } : {}),
  ...(thread.threadOptions.threadSource !== undefined
    ? { threadSource: thread.threadOptions.threadSource }
    : {}),
});

/** `thread/resume` params: the same settings, no history in the answer. */
export const threadResumeParams = (thread: Thread, threadId: string): ThreadResumeParams => ({
  threadId,
  ...threadSettings(thread),
  excludeTurns: true,
});

/** `thread/fork` params: the parent's settings, optionally up to `lastTurnId`. */
export const threadForkParams = (
  thread: Thread,
  threadId: string,
  lastTurnId: string | undefined,
): ThreadForkParams => ({
  threadId,
  ...threadSettings(thread),
  excludeTurns: true,
  ...(lastTurnId !== undefined ? { lastTurnId } : {}),
  ...(thread.threadOptions.ephemeral === true ? { ephemeral: true } : {}),
  ...(thread.threadOptions.threadSource !== undefined
    ? { threadSource: thread.threadOptions.threadSource }
    : {}),
});

/** The input as app-server user input: the prompt as text, then the images (absolute paths). */
export const userInput = (input: NormalizedInput): UserInput[] => [
  ...(input.prompt !== "" || input.images.length === 0
    ? [{ type: "text" as const, text: input.prompt, text_elements: [] }]
    : []),
  ...input.images.map((p) => ({ type: "localImage" as const, path: resolve(p) })),
];

/** The CLI's `--cyber-access-program` values in the app-server's spelling. */
const CYBER_PROGRAMS = {
  standard: "standard",
  daybreak_blue: "daybreakBlue",
  daybreak_red: "daybreakRed",
} as const;

const sandboxPolicyOf = (o: Thread["threadOptions"]): SandboxPolicy | undefined => {
  switch (o.sandboxMode) {
    case "read-only":
      return { type: "readOnly" };
    case "workspace-write":
      return {
        type: "workspaceWrite",
        ...(o.networkAccessEnabled !== undefined ? { networkAccess: o.networkAccessEnabled } : {}),
        ...(o.additionalDirectories !== undefined && o.additionalDirectories.length > 0
          ? { writableRoots: o.additionalDirectories.map((d) => resolve(d)) }
          : {}),
      };
    case "danger-full-access":
      return { type: "dangerFullAccess" };
    default:
      return undefined;
  }
};

/**
 * `turn/start` params. `overrides` re-sends the thread's model, effort, directory, approval and
 * sandbox (for a thread already loaded, whose options may have changed since it was started).
 */
export const turnStartParams = (
  thread: Thread,
  threadId: string,
  input: NormalizedInput,
  turnOptions: TurnOptions,
  overrides: boolean,
): TurnStartParams => {
  const o = thread.threadOptions;
  const sandboxPolicy = overrides ? sandboxPolicyOf(o) : undefined;
  const approvalPolicy = overrides ? approvalOf(o.approvalPolicy) : undefined;
  return {
    threadId,
    input: userInput(input),
    ...(turnOptions.outputSchema !== undefined ? { outputSchema: turnOptions.outputSchema } : {}),
    ...(turnOptions.cyberAccessProgram !== undefined
      ? { cyberAccessProgram: CYBER_PROGRAMS[turnOptions.cyberAccessProgram] }
      : {}),
    ...(overrides && o.model !== undefined ? { model: o.model } : {}),
    ...(overrides && o.modelReasoningEffort !== undefined
      ? { effort: o.modelReasoningEffort }
      : {}),
    ...(overrides && o.workingDirectory !== undefined ? { cwd: resolve(o.workingDirectory) } : {}),
    ...(approvalPolicy !== undefined ? { approvalPolicy } : {}),
    ...(sandboxPolicy !== undefined ? { sandboxPolicy } : {}),
  };
};
