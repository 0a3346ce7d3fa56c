/**
 * Wall time per turn: codex-fp's `runTurn` vs `@openai/codex-sdk` driving the same binary
 * against the same loopback stub, interleaved in one process; plus time to the first event.
 */
import { Codex } from "@openai/codex-sdk";
import { runStreamed, runTurn, startThread } from "../lib/index.js";
import { resolveCodexBinary } from "../lib/advanced/index.js";
import { startModelStub } from "../lib/testing/model-stub.js";
import { makeSandbox } from "../lib/testing/sandbox.js";

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? NaN;
};

/** Median milliseconds per turn and to the first event, for both SDKs, and the ratios. */
export interface TurnBench {
  readonly name: string;
  readonly turns: number;
  readonly codexFpMs: number;
  readonly officialSdkMs: number;
  readonly ratio: number;
  readonly firstEventCodexFpMs: number;
  readonly firstEventOfficialSdkMs: number;
}

/** Runs `turns` new-thread turns with each SDK, alternating. */
export async function benchTurns(turns = 12): Promise<TurnBench> {
  const stub = await startModelStub();
  const sandbox = await makeSandbox();
  const binary = resolveCodexBinary()._unsafeUnwrap().path;
  const env = { PATH: process.env["PATH"] ?? "", HOME: sandbox.cwd, CODEX_HOME: sandbox.codexHome };
  const config = stub.providerConfig();
  const ours = startThread(
    { apiKey: "bench", config, env, codexPathOverride: binary },
    { skipGitRepoCheck: true },
  )._unsafeUnwrap();
  const official = new Codex({
    apiKey: "bench",
    config: config as never,
    env,
    codexPathOverride: binary,
  });
  const fp: number[] = [];
  const sdk: number[] = [];
  const fpFirst: number[] = [];
  const sdkFirst: number[] = [];
  try {
    for (let i = 0; i < turns + 2; i++) {
      const warm = i < 2;
      let t0 = performance.now();
      const r = await runTurn(ours, "bench");
      if (r.isErr()) throw new Error(r.error.message); // throws-ok: bench script, not lib
      if (!warm) fp.push(performance.now() - t0);
      t0 = performance.now();
      await official.startThread({ skipGitRepoCheck: true }).run("bench");
      if (!warm) sdk.push(performance.now() - t0);

      t0 = performance.now();
      const s = runStreamed(ours, "bench");
      for await (const _ of s.events) {
        if (!warm) fpFirst.push(performance.now() - t0);
        break;
      }
      await s.outcome;
      t0 = performance.now();
      const { events } = await official
        .startThread({ skipGitRepoCheck: true })
        .runStreamed("bench");
      for await (const _ of events) {
        if (!warm) sdkFirst.push(performance.now() - t0);
        break;
      }
    }
  } finally {
    await stub.close();
    await sandbox.dispose();
  }
  const a = median(fp);
  const b = median(sdk);
  return {
    name: "wall time per turn (exec) vs @openai/codex-sdk",
    turns,
    codexFpMs: a,
    officialSdkMs: b,
    ratio: a / b,
    firstEventCodexFpMs: median(fpFirst),
    firstEventOfficialSdkMs: median(sdkFirst),
  };
}
