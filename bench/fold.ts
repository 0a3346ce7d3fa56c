/**
 * The fold is linear in a turn's events: a 100k-event turn replayed through `replayTransport`
 * (no session observation) against a 10k-event turn, in the same process. The aim is a time
 * ratio under 10× (a quadratic fold gives ~100×) and RSS growth under 100 MB.
 */
import { runTurn, startThread } from "../lib/index.js";
import { replayTransport } from "../lib/advanced/index.js";

/** Milliseconds for each size, their ratio, and the RSS growth over the large turn. */
export interface FoldBench {
  readonly name: string;
  readonly smallEvents: number;
  readonly largeEvents: number;
  readonly smallMs: number;
  readonly largeMs: number;
  readonly ratio: number;
  readonly rssGrowthMb: number;
}

/** One turn's `--experimental-json` output with `n` events, most of them command executions. */
const recording = (n: number): string => {
  const lines = [
    JSON.stringify({ type: "thread.started", thread_id: "0199a213-81c0-7800-8aa1-bbab2a035a53" }),
    JSON.stringify({ type: "turn.started" }),
  ];
  for (let i = 0; lines.length < n - 2; i++) {
    const id = `item_${i}`;
    const item = {
      id,
      type: "command_execution",
      command: `echo ${i}`,
      aggregated_output: `${i}\n`,
      exit_code: 0,
      status: "completed",
    };
    lines.push(JSON.stringify({ type: "item.started", item: { ...item, status: "in_progress" } }));
    if (lines.length < n - 2) lines.push(JSON.stringify({ type: "item.completed", item }));
  }
  lines.push(
    JSON.stringify({
      type: "item.completed",
      item: { id: "last", type: "agent_message", text: "done" },
    }),
  );
  lines.push(
    JSON.stringify({
      type: "turn.completed",
      usage: { input_tokens: 1, cached_input_tokens: 0, output_tokens: 1 },
    }),
  );
  return `${lines.join("\n")}\n`;
};

const replay = async (stdout: string): Promise<number> => {
  const thread = startThread({})._unsafeUnwrap();
  const t0 = performance.now();
  const r = await runTurn(
    thread,
    "bench",
    {},
    {
      transport: replayTransport([{ stdout }]),
      observe: false,
    },
  );
  const ms = performance.now() - t0;
  if (r.isErr()) throw new Error(r.error.message); // throws-ok: bench script, not lib
  return ms;
};

const best = async (stdout: string, runs: number): Promise<number> => {
  let min = Infinity;
  for (let i = 0; i < runs; i++) min = Math.min(min, await replay(stdout));
  return min;
};

/** Replays a `small`-event and a `large`-event turn (best of a few runs each). */
export async function benchFold(small = 10_000, large = 100_000): Promise<FoldBench> {
  const smallText = recording(small);
  await best(smallText, 2); // warm up
  const smallMs = await best(smallText, 3);
  const largeText = recording(large);
  const rssBefore = process.memoryUsage().rss;
  const largeMs = await best(largeText, 2);
  // The peak over the large turns (maxRSS is in KiB), above the resident size before them.
  const rssGrowthMb = Math.max(0, process.resourceUsage().maxRSS * 1024 - rssBefore) / 1e6;
  return {
    name: `a ${large / 1000}k-event turn vs a ${small / 1000}k-event turn (replay, no observation)`,
    smallEvents: small,
    largeEvents: large,
    smallMs,
    largeMs,
    ratio: largeMs / smallMs,
    rssGrowthMb,
  };
}
