/**
 * Golden scenarios: every recording in golden/ (real CLI transcripts and the legacy parity
 * fixtures) as a list of turns, replayed through the real runner with the replay transport,
 * and the expected outputs they are compared with (golden/expected/).
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import {
  resumeThread,
  runTurn,
  serializeThread,
  startThread,
  type Thread,
  type ThreadError,
} from "../lib/index.js";
import { replayTransport, type Recording } from "../lib/advanced/index.js";
import { ok, type Result } from "neverthrow";

/** Where golden data lives. */
export const GOLDEN = join(process.cwd(), "golden");

/** One recorded turn and how it was asked for. */
export interface GoldenTurn {
  readonly recording: Recording;
  /** The id the turn resumed (from argv), or null for a new thread / continuing the last. */
  readonly resumeId: string | null;
  readonly structured: boolean;
}

/** A scenario: its name (a path under golden/) and its turns in order. */
export interface Scenario {
  readonly name: string;
  readonly turns: readonly GoldenTurn[];
}

const read = (p: string) => (existsSync(p) ? readFileSync(p, "utf8") : undefined);

/** The scenarios of one recorded CLI dir (golden/codex-cli-X or golden/recorded/codex-cli-X). */
export const cliScenarios = (dir: string): Scenario[] =>
  readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort()
    .map((name) => {
      const d = join(dir, name);
      const argv = (read(join(d, "argv.txt")) ?? "").split("\n").filter((l) => l.trim() !== "");
      const turns: GoldenTurn[] = [];
      for (let n = 1; existsSync(join(d, `turn${n}.jsonl`)); n++) {
        const line = argv[n - 1] ?? "";
        const m = / resume (\S+)/.exec(line);
        const exit = Number((read(join(d, `turn${n}.exit`)) ?? "0").trim());
        turns.push({
          recording: {
            stdout: read(join(d, `turn${n}.jsonl`)) ?? "",
            exitCode: exit,
            stderr: read(join(d, `turn${n}.stderr`)) ?? "",
          },
          resumeId: m?.[1] ?? null,
          structured: line.includes("--output-schema"),
        });
      }
      return { name: relative(GOLDEN, d), turns };
    });

/** The legacy fixtures; `*_stepN` files of one thread form one scenario, in step order. */
export const legacyScenarios = (dir = join(GOLDEN, "legacy-parity-fixtures")): Scenario[] => {
  const groups = new Map<string, string[]>();
  for (const f of readdirSync(dir)
    .filter((f) => f.endsWith(".jsonl"))
    .sort()) {
    const key = f.replace(/_step\d+\.jsonl$/, "").replace(/\.jsonl$/, "");
    groups.set(key, [...(groups.get(key) ?? []), f]);
  }
  return [...groups].map(([key, files]) => ({
    name: relative(GOLDEN, join(dir, key)),
    turns: files.map((f) => ({
      recording: { stdout: readFileSync(join(dir, f), "utf8") },
      resumeId: null,
      structured: f.includes("structured"),
    })),
  }));
};

/** Every scenario in golden/. */
export const allScenarios = (): Scenario[] => {
  const cliDirs = readdirSync(GOLDEN)
    .filter((d) => d.startsWith("codex-cli-"))
    .map((d) => join(GOLDEN, d));
  const recorded = join(GOLDEN, "recorded");
  const recordedDirs = existsSync(recorded)
    ? readdirSync(recorded)
        .sort()
        .map((d) => join(recorded, d))
    : [];
  return [...cliDirs, ...recordedDirs].flatMap(cliScenarios).concat(legacyScenarios());
};

/** The JSON output of one turn: the Turn and the serialized Thread, or the error. */
export type TurnOutput =
  { readonly ok: { readonly turn: unknown; readonly thread: unknown } } | { readonly err: unknown };

/** The fixed secret golden threads' tokens are signed with (outputs must not depend on a clock). */
export const GOLDEN_SECRET = "golden-secret";

/** Replays a scenario through `runTurn` (replay transport, no session observation). */
export const replayScenario = async (s: Scenario): Promise<TurnOutput[]> => {
  const transport = replayTransport(s.turns.map((t) => t.recording));
  const out: TurnOutput[] = [];
  let thread: Thread | null = null;
  for (const turn of s.turns) {
    const base: Result<Thread, ThreadError> =
      turn.resumeId !== null && (thread === null || thread.threadId !== turn.resumeId)
        ? resumeThread(turn.resumeId)
        : thread !== null
          ? ok(thread)
          : startThread();
    if (base.isErr()) {
      out.push({ err: base.error });
      continue;
    }
    const r = await runTurn(
      base.value,
      "golden",
      turn.structured ? { outputSchema: { type: "object" } } : {},
      {
        transport,
        observe: false,
        secret: GOLDEN_SECRET,
        // The legacy parity fixtures carry their producer's opaque tokens: opted in explicitly.
        acceptLegacyTokens: true,
      },
    );
    if (r.isOk()) {
      thread = r.value.thread;
      out.push({
        ok: {
          turn: r.value.turn,
          thread: JSON.parse(serializeThread(r.value.thread)._unsafeUnwrap()) as unknown,
        },
      });
    } else out.push({ err: r.error });
  }
  return out;
};

/** Where a scenario's expected output is stored. */
export const expectedPath = (s: Scenario): string => join(GOLDEN, "expected", `${s.name}.json`);

/** The expected-output file's text for some outputs (stable, pretty, newline-terminated). */
export const formatOutputs = (outputs: readonly TurnOutput[]): string =>
  `${JSON.stringify(outputs, null, 2)}\n`;
