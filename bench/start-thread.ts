/**
 * Validated `startThread` vs building the same plain object without validation (what the
 * official SDK does: keep the options as given). Same process, same options, warmed up,
 * rounds interleaved; the best round of each counts.
 */
import { startThread, type CodexOptionsInput, type ThreadOptionsInput } from "../lib/index.js";

/** Options as a real client passes them: every kind of value the codecs check. */
const codexOptions: CodexOptionsInput = {
  codexPathOverride: "/usr/local/bin/codex",
  baseUrl: "https://api.openai.com/v1",
  apiKey: "sk-proj-0123456789abcdefghijklmnopqrstuvwxyz",
  config: {
    model_reasoning_summary: "auto",
    sandbox_workspace_write: { network_access: false, writable_roots: ["/tmp", "/var/cache"] },
    mcp_servers: { docs: { command: "docs-mcp", args: ["--stdio"], startup_timeout_sec: 20 } },
  },
  configOverrides: ['model_verbosity="low"'],
  env: { PATH: "/usr/local/bin:/usr/bin:/bin", HOME: "/home/dev", LANG: "C.UTF-8" },
};
const threadOptions: ThreadOptionsInput = {
  model: "gpt-5-codex",
  sandboxMode: "workspace-write",
  workingDirectory: "/home/dev/project",
  skipGitRepoCheck: true,
  modelReasoningEffort: "high",
  networkAccessEnabled: false,
  webSearchMode: "cached",
  approvalPolicy: "on-request",
  additionalDirectories: ["/home/dev/shared", "/home/dev/docs"],
  labels: { team: "platform", ticket: "CFP-2" },
};

/** The same Thread-shaped object, built without validation, copying, or freezing. */
const unvalidated = () => ({
  threadId: null,
  codexOptions: { ...codexOptions },
  threadOptions: { ...threadOptions },
  metadata: null,
  labels: { ...threadOptions.labels },
  continuationToken: null,
  cumulativeUsage: null,
});

const validated = () => startThread(codexOptions, threadOptions);

/** Operations per second of `f` over `ms` milliseconds. */
const perSecond = (f: () => unknown, ms: number): number => {
  let ops = 0;
  let kept = 0;
  const start = performance.now();
  const end = start + ms;
  while (performance.now() < end) {
    for (let i = 0; i < 100; i++) if (f() !== undefined) kept++;
    ops += 100;
  }
  const elapsed = performance.now() - start;
  return kept >= 0 ? ops / (elapsed / 1000) : 0;
};

/** A startThread measurement: constructions per second, validated and not, and their ratio. */
export interface StartThreadBench {
  readonly name: string;
  readonly opsPerSec: number;
  readonly baselineOpsPerSec: number;
  readonly ratio: number;
}

/** Typical options: a key, a model, a sandbox mode. */
const typical = () =>
  startThread(
    { apiKey: "sk-proj-0123456789abcdef" },
    { model: "gpt-5", sandboxMode: "read-only", skipGitRepoCheck: true },
  );
const typicalPlain = () => ({
  threadId: null,
  codexOptions: { apiKey: "sk-proj-0123456789abcdef" },
  threadOptions: { model: "gpt-5", sandboxMode: "read-only", skipGitRepoCheck: true },
  metadata: null,
  labels: {},
  continuationToken: null,
  cumulativeUsage: null,
});

/** The same measurement with typical options (a key, a model, a sandbox mode). */
export async function benchStartThreadTypical(): Promise<StartThreadBench> {
  perSecond(typical, 300);
  perSecond(typicalPlain, 300);
  let best = 0;
  let baseline = 0;
  for (let round = 0; round < 5; round++) {
    best = Math.max(best, perSecond(typical, 200));
    baseline = Math.max(baseline, perSecond(typicalPlain, 200));
  }
  return {
    name: "startThread, typical options (key, model, sandbox)",
    opsPerSec: best,
    baselineOpsPerSec: baseline,
    ratio: best / baseline,
  };
}

/** Measures validated startThread constructions per second against the unvalidated object. */
export async function benchStartThread(): Promise<StartThreadBench> {
  if (validated().isErr()) throw new Error("the benchmark's options are not valid");
  perSecond(validated, 300);
  perSecond(unvalidated, 300);
  let best = 0;
  let baseline = 0;
  for (let round = 0; round < 5; round++) {
    best = Math.max(best, perSecond(validated, 200));
    baseline = Math.max(baseline, perSecond(unvalidated, 200));
  }
  return {
    name: "startThread, every option (nested config, env, dirs, labels)",
    opsPerSec: best,
    baselineOpsPerSec: baseline,
    ratio: best / baseline,
  };
}
