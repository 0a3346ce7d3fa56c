/**
 * Wall time per turn over one persistent `codex app-server` vs a `codex exec` per turn
 * (runTurn's default transport) vs `@openai/codex-sdk` — the same binary, the same loopback
 * stub, rounds interleaved in one process, medians. Each turn starts a new thread, as
 * `startThread().run()` does; the server is opened once, before timing (`openMs`).
 */
import { Codex } from "@openai/codex-sdk";
import { runTurn, startThread } from "../lib/index.js";
import { resolveCodexBinary } from "../lib/advanced/index.js";
import { openAppServer } from "../lib/shell/app-server/open.js";
import { startModelStub } from "../lib/testing/model-stub.js";
import { makeSandbox } from "../lib/testing/sandbox.js";

/** Lets the previous run's exiting process finish before the next one is timed (not timed). */
const settle = (): Promise<void> => new Promise((r) => setTimeout(r, SETTLE_MS));
const SETTLE_MS = 150;

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? NaN;
};

/** Median milliseconds per turn for each way of running it, and app-server's ratio to the SDK. */
export interface AppServerBench {
  readonly name: string;
  readonly turns: number;
  readonly appServerMs: number;
  readonly execMs: number;
  readonly officialSdkMs: number;
  readonly ratioToOfficialSdk: number;
  /** Opening the server (spawn + initialize), once. */
  readonly openMs: number;
}

/** Runs `turns` new-thread turns each way, alternating; two warm-up rounds are not counted. */
export async function benchAppServer(turns = 12): Promise<AppServerBench> {
  const stub = await startModelStub();
  const sandbox = await makeSandbox();
  const binary = resolveCodexBinary()._unsafeUnwrap().path;
  const env = { PATH: process.env["PATH"] ?? "", HOME: sandbox.cwd, CODEX_HOME: sandbox.codexHome };
  const config = stub.providerConfig();
  const codexOptions = { apiKey: "bench", config, env, codexPathOverride: binary };
  const threadOptions = { skipGitRepoCheck: true, workingDirectory: sandbox.cwd };
  const ours = startThread(codexOptions, threadOptions)._unsafeUnwrap();
  const official = new Codex({
    apiKey: "bench",
    config: config as never,
    env,
    codexPathOverride: binary,
  });
  let t0 = performance.now();
  const opened = await openAppServer(codexOptions);
  if (opened.isErr()) throw new Error(opened.error.message); // throws-ok: bench script, not lib
  const server = opened.value;
  const openMs = performance.now() - t0;
  const viaServer = { transport: server.transport, observe: false as const };
  const viaExec = { observe: false as const };
  const app: number[] = [];
  const exec: number[] = [];
  const sdk: number[] = [];
  try {
    for (let i = 0; i < turns + 2; i++) {
      const warm = i < 2;
      await settle();
      t0 = performance.now();
      const a = await runTurn(ours, "bench", {}, viaServer);
      if (a.isErr()) throw new Error(a.error.message); // throws-ok: bench script
      if (!warm) app.push(performance.now() - t0);

      await settle();
      t0 = performance.now();
      const e = await runTurn(ours, "bench", {}, viaExec);
      if (e.isErr()) throw new Error(e.error.message); // throws-ok: bench script
      if (!warm) exec.push(performance.now() - t0);

      await settle();
      t0 = performance.now();
      await official
        .startThread({ skipGitRepoCheck: true, workingDirectory: sandbox.cwd })
        .run("bench");
      if (!warm) sdk.push(performance.now() - t0);
    }
  } finally {
    await server.close();
    await stub.close();
    await sandbox.dispose();
  }
  const appServerMs = median(app);
  const officialSdkMs = median(sdk);
  return {
    name: "wall time per turn (app-server) vs exec and @openai/codex-sdk",
    turns,
    appServerMs,
    execMs: median(exec),
    officialSdkMs,
    ratioToOfficialSdk: appServerMs / officialSdkMs,
    openMs,
  };
}
