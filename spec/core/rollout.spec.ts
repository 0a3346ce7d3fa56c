/**
 * Rollouts: the CLI's session files, read line by line into a SessionSummary. The
 * characterization tests name the recording each value comes from (golden/codex-cli-0.169.0,
 * and golden/recorded/ for CLI 0.163.0 and the failed turn); variations (interleaved writers,
 * aborted, nested and rolled-back turns, tail windows) are built in the tests from recordings.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

import fc from "fast-check";
import { assertProperty } from "../support/property.js";
import { isLeft, isRight } from "fp-ts/lib/Either.js";

import {
  SessionSummary,
  newestFirst,
  observedFrom,
  parseRolloutLine,
  parseRolloutName,
  parseSessionMeta,
  scanLine,
  startScan,
  summarize,
  summarizeRollout,
  tailIsSufficient,
  type RolloutScan,
} from "../../lib/core/rollout.js";
import { ObservedSession } from "../../lib/core/resume-validator.js";

const GOLDEN = join(process.cwd(), "golden");
const CLI = join(GOLDEN, "codex-cli-0.169.0");
const RECORDED = join(GOLDEN, "recorded");

type Json = Record<string, unknown>;

const text = (file: string): string => readFileSync(file, "utf8");
const linesOf = (file: string): string[] => text(file).split("\n").slice(0, -1);
const rollout = (lines: readonly string[]): string => `${lines.join("\n")}\n`;

/** Summarizes a whole rollout text, failing the test when it is not one. */
const summary = (t: string, path = "test.jsonl"): SessionSummary => {
  const r = summarizeRollout(t, { path });
  if (r.isErr()) throw new Error(`not a rollout: ${JSON.stringify(r.error)}`);
  return r.value;
};

/** Rewrites one line's JSON. */
const edit = (line: string, f: (o: Json) => Json): string =>
  JSON.stringify(f(JSON.parse(line) as Json));
const payloadOf = (line: string): Json => (JSON.parse(line) as { payload: Json }).payload;
const renumber = (lines: readonly string[]): string[] =>
  lines.map((l, i) => edit(l, (o) => ({ ...o, ordinal: i })));

/** Every recorded rollout: the project copy of the reference and golden/recorded/. */
const allRollouts = (): string[] => {
  const out: string[] = [];
  for (const root of [CLI, ...readdirSync(RECORDED).map((v) => join(RECORDED, v))])
    for (const scenario of readdirSync(root, { withFileTypes: true }))
      if (scenario.isDirectory())
        for (const f of readdirSync(join(root, scenario.name)))
          if (/^rollout.*\.jsonl$/.test(f)) out.push(join(root, scenario.name, f));
  return out.sort();
};

/** An independent oracle: every line parsed whole, turns counted the obvious way. */
const oracle = (file: string) => {
  const events = linesOf(file)
    .map((l) => JSON.parse(l) as { type: string; payload: Json })
    .filter((o) => o.type === "event_msg")
    .map((o) => o.payload);
  const completes = events.filter((p) => p["type"] === "task_complete");
  const counts = events.filter((p) => p["type"] === "token_count");
  const last = completes[completes.length - 1];
  const lastCount = counts[counts.length - 1] as { info: { total_token_usage: Json } } | undefined;
  return {
    completedTurns: completes.length,
    lastTurnId: last?.["turn_id"] ?? null,
    lastAgentMessage: last?.["last_agent_message"] ?? null,
    totalInput: lastCount?.info.total_token_usage["input_tokens"] ?? null,
  };
};

/** The cumulative usage the CLI printed at the end of the scenario's last run (stdout). */
const lastPrintedUsage = (dir: string): Json | null => {
  const runs = readdirSync(dir)
    .filter((f) => /^turn\d+\.jsonl$/.test(f))
    .sort();
  const last = runs[runs.length - 1];
  if (last === undefined) return null;
  const done = linesOf(join(dir, last))
    .map((l) => JSON.parse(l) as Json)
    .find((e) => e["type"] === "turn.completed");
  return (done?.["usage"] as Json | undefined) ?? null;
};

/** The recordings (golden/) whose last run printed a usage, at least. */
const MIN_RECORDINGS_WITH_USAGE = 4;

const BASIC = join(CLI, "basic/rollout.jsonl");
const RESUME = join(CLI, "resume/rollout.jsonl");
const RESUME_AFTER_TURN1 = join(CLI, "resume/rollout-after-turn1.jsonl");
const SHELL = join(CLI, "shell/rollout.jsonl");
const STRUCTURED = join(CLI, "structured/rollout.jsonl");

describe("summarizeRollout on the golden rollouts (CLI 0.169.0)", () => {
  it("basic/rollout.jsonl: one turn, its id, message and usage, and the thread's facts", () => {
    expect(summary(text(BASIC), BASIC)).toEqual({
      threadId: "01a20fb5-32b6-73c3-8683-50ee63f5dba7",
      createdAt: "2026-11-24T22:37:42.968Z",
      cwd: "/home/dev/sandbox/cwd",
      cliVersion: "0.169.0",
      originator: "codex_exec",
      modelProvider: "stub",
      forkedFromId: null,
      completedTurns: 1,
      failedTurns: 0,
      lastTurnId: "01a20fb5-32c4-7e61-9f00-c33be1da4f15",
      lastAgentMessage: "Hello from stub 1: Say hello",
      lastTurnError: null,
      lastTurnUsage: {
        input_tokens: 24,
        cached_input_tokens: 6,
        cache_write_input_tokens: 0,
        output_tokens: 5,
        reasoning_output_tokens: 1,
      },
      cumulativeUsage: {
        input_tokens: 24,
        cached_input_tokens: 6,
        cache_write_input_tokens: 0,
        output_tokens: 5,
        reasoning_output_tokens: 1,
      },
      turnInProgress: false,
      forked: false,
      forkEvidence: null,
      path: BASIC,
      size: 89448,
      modifiedAt: null,
      truncated: false,
      unreadableLines: 0,
    });
  });

  it("resume/rollout-after-turn1.jsonl: the same file after its first run holds one turn", () => {
    const s = summary(text(RESUME_AFTER_TURN1));
    expect(s.threadId).toBe("01a20fb5-345b-7f51-b6d3-8f2a9ee94142");
    expect(s.completedTurns).toBe(1);
    expect(s.lastTurnId).toBe("01a20fb5-3469-77e1-b247-9583fd5b3080");
    expect(s.lastAgentMessage).toBe("Hello from stub 1: First question");
  });

  it("resume/rollout.jsonl: three turns on one thread; per-turn and cumulative usage differ", () => {
    const s = summary(text(RESUME));
    expect(s.threadId).toBe("01a20fb5-345b-7f51-b6d3-8f2a9ee94142");
    expect(s.completedTurns).toBe(3);
    expect(s.lastTurnId).toBe("01a20fb5-3610-73e3-a3aa-c112949f9a1e");
    expect(s.lastAgentMessage).toBe("Hello from stub 3: Third question");
    // The stub billed 24, 36 and 48 input tokens; the CLI's cumulative figure is 108.
    expect(s.lastTurnUsage?.input_tokens).toBe(48);
    expect(s.cumulativeUsage?.input_tokens).toBe(108);
    expect(s.forked).toBe(false);
  });

  it("resume: the after-turn-1 file is a prefix of the final one (what a stale token sees)", () => {
    expect(text(RESUME).startsWith(text(RESUME_AFTER_TURN1))).toBe(true);
    expect(observedFrom(summary(text(RESUME_AFTER_TURN1)))).toEqual({
      forked: false,
      completedTurns: 1,
      lastTurnId: "01a20fb5-3469-77e1-b247-9583fd5b3080",
    });
    expect(observedFrom(summary(text(RESUME)))).toEqual({
      forked: false,
      completedTurns: 3,
      lastTurnId: "01a20fb5-3610-73e3-a3aa-c112949f9a1e",
    });
  });

  it("shell/rollout.jsonl: a turn with a tool call reports its own usage, not its last request's", () => {
    const s = summary(text(SHELL));
    expect(s.lastAgentMessage).toBe("Ran the command (reply 2)");
    // token_count.last_token_usage is the second request alone (36 input tokens);
    // token_usage_record.turn_token_usage is the whole turn (40 + 36).
    expect(s.lastTurnUsage).toEqual({
      input_tokens: 76,
      cached_input_tokens: 19,
      cache_write_input_tokens: 0,
      output_tokens: 17,
      reasoning_output_tokens: 3,
    });
  });

  it("structured/rollout.jsonl: the last agent message is the JSON answer", () => {
    expect(summary(text(STRUCTURED)).lastAgentMessage).toBe('{"status":"ok","count":2}');
  });

  it("golden/recorded/*/fail500: a failed turn ends in task_complete and counts, with its error", () => {
    for (const version of ["codex-cli-0.163.0", "codex-cli-0.169.0"]) {
      const s = summary(text(join(RECORDED, version, "fail500/rollout.jsonl")));
      expect(s.completedTurns).toBe(1);
      expect(s.failedTurns).toBe(1);
      expect(s.lastAgentMessage).toBeNull();
      expect(s.lastTurnError).toBe(
        "We’re currently experiencing high demand, which may cause temporary errors.",
      );
      expect(s.lastTurnUsage).toBeNull();
    }
  });

  it("every recorded rollout agrees with a whole-file oracle and is clean and single-writer", () => {
    const files = allRollouts();
    expect(files.length).toBeGreaterThanOrEqual(17);
    for (const file of files) {
      const s = summary(text(file), file);
      const o = oracle(file);
      expect({ file, ...o }).toEqual({
        file,
        completedTurns: s.completedTurns,
        lastTurnId: s.lastTurnId,
        lastAgentMessage: s.lastAgentMessage,
        totalInput: s.cumulativeUsage?.input_tokens ?? null,
      });
      expect([s.forked, s.truncated, s.unreadableLines, s.turnInProgress]).toEqual([
        false,
        false,
        0,
        false,
      ]);
      expect(SessionSummary.is(s)).toBe(true);
    }
  });

  it("every recorded rollout's cumulative usage is what the CLI printed after its last run", () => {
    const compared: string[] = [];
    for (const file of allRollouts().filter((f) => !f.endsWith("after-turn1.jsonl"))) {
      const printed = lastPrintedUsage(join(file, ".."));
      if (printed === null) continue;
      expect({ file, usage: summary(text(file)).cumulativeUsage }).toEqual({
        file,
        usage: printed,
      });
      compared.push(file);
    }
    // Every recording with a printed usage was compared; none can be skipped unnoticed.
    expect(compared.length).toBeGreaterThanOrEqual(MIN_RECORDINGS_WITH_USAGE);
  });
});

describe("forked detection", () => {
  const resume = linesOf(RESUME);
  const basic = linesOf(BASIC);
  // resume: 1-17 first run, 18-27 second run, 28-37 third run (task_started at 1, 19, 29).

  it("flags a rollout whose turns interleave two writers (ordinals made consistent)", () => {
    const turn2 = resume.slice(18, 28);
    const other = basic.slice(1);
    const mixed: string[] = [];
    for (let i = 0; i < Math.max(turn2.length, other.length); i++) {
      const a = turn2[i];
      const b = other[i];
      if (a !== undefined) mixed.push(a);
      if (b !== undefined) mixed.push(b);
    }
    const s = summary(rollout(renumber([...resume.slice(0, 18), ...mixed])));
    expect(s.forked).toBe(true);
    expect(s.forkEvidence).toBe(
      "turn 01a20fb5-355b-73d1-88a1-ff655e8f6858 started while turn " +
        "01a20fb5-32c4-7e61-9f00-c33be1da4f15 was still open",
    );
    expect(observedFrom(s).forked).toBe(true);
  });

  it("flags ordinals that repeat: a second writer replaying turn 3 after the first", () => {
    const s = summary(rollout([...resume, ...resume.slice(28)]));
    expect(s.forked).toBe(true);
    expect(s.forkEvidence).toBe("ordinal 28 follows ordinal 37");
  });

  it("flags the two recordings simply concatenated (ordinals go backwards)", () => {
    const s = summary(rollout([...resume, ...basic.slice(1)]));
    expect(s.forked).toBe(true);
    expect(s.forkEvidence).toBe("ordinal 1 follows ordinal 37");
  });

  it("flags a turn completed twice", () => {
    const again = edit(resume[37] ?? "", (o) => ({ ...o, ordinal: 38 }));
    const s = summary(rollout([...resume, again]));
    expect(s.forked).toBe(true);
    expect(s.forkEvidence).toMatch(/completed but had not started/);
  });

  it("does not flag an interrupted turn (turn_aborted, as CLI 0.169.0 writes it)", () => {
    const turn2Id = payloadOf(resume[19] ?? "")["turn_id"];
    const aborted = edit(resume[27] ?? "", (o) => ({
      ...o,
      payload: {
        type: "turn_aborted",
        turn_id: turn2Id,
        root_turn_id: turn2Id,
        reason: "interrupted",
      },
    }));
    const s = summary(rollout([...resume.slice(0, 27), aborted, ...resume.slice(28)]));
    expect(s.forked).toBe(false);
    expect(s.completedTurns).toBe(2);
    expect(s.lastTurnId).toBe("01a20fb5-3610-73e3-a3aa-c112949f9a1e");
  });

  it("ignores nested turns (whose root is the open turn): neither interleaving nor counted", () => {
    const root = payloadOf(resume[29] ?? "")["turn_id"];
    const nested = { turn_id: "nested-1", root_turn_id: root };
    const start = edit(resume[29] ?? "", (o) => ({
      ...o,
      payload: { type: "task_started", ...nested },
    }));
    const done = edit(resume[37] ?? "", (o) => ({
      ...o,
      payload: { type: "task_complete", ...nested, last_agent_message: "sub" },
    }));
    const s = summary(
      rollout(renumber([...resume.slice(0, 31), start, done, ...resume.slice(31)])),
    );
    expect(s.forked).toBe(false);
    expect(s.completedTurns).toBe(3);
    expect(s.lastAgentMessage).toBe("Hello from stub 3: Third question");
  });

  it("takes rolled-back turns off the count (thread_rolled_back)", () => {
    const back = edit(resume[37] ?? "", (o) => ({
      ...o,
      ordinal: 38,
      payload: { type: "thread_rolled_back", num_turns: 1 },
    }));
    const s = summary(rollout([...resume, back]));
    expect(s.completedTurns).toBe(2);
    expect(s.lastTurnId).toBe("01a20fb5-355b-73d1-88a1-ff655e8f6858");
    expect(s.forked).toBe(false);
  });
});

describe("tail windows", () => {
  const resume = linesOf(RESUME);
  const meta = parseSessionMeta(resume[0] ?? "");
  const fold = (lines: readonly string[]): RolloutScan =>
    lines.reduce((s, l) => scanLine(s, parseRolloutLine(l)), startScan(false, 0));

  it("the last turn's closing lines are enough; the count is then unknown", () => {
    if (isLeft(meta)) throw new Error("bad head");
    const scan = fold(resume.slice(35));
    expect(tailIsSufficient(scan)).toBe(true);
    const s = summarize(meta.right, scan, {
      path: "p",
      size: 1,
      modifiedAt: null,
      complete: false,
      truncated: false,
    });
    expect(s.completedTurns).toBeNull();
    expect(s.lastTurnId).toBe("01a20fb5-3610-73e3-a3aa-c112949f9a1e");
    expect(s.lastTurnUsage?.input_tokens).toBe(48);
    expect(s.cumulativeUsage?.input_tokens).toBe(108);
    expect(observedFrom(s)).toEqual({
      forked: false,
      lastTurnId: "01a20fb5-3610-73e3-a3aa-c112949f9a1e",
    });
  });

  it("a window holding only the task_complete is not enough (its usage may lie further back)", () => {
    expect(tailIsSufficient(fold(resume.slice(37)))).toBe(false);
    expect(tailIsSufficient(fold(resume.slice(29)))).toBe(true);
  });

  it("a window with no completed turn tells nothing of the position", () => {
    if (isLeft(meta)) throw new Error("bad head");
    const s = summarize(meta.right, fold(resume.slice(30, 35)), {
      path: "p",
      size: 1,
      modifiedAt: null,
      complete: false,
      truncated: false,
    });
    expect(observedFrom(s)).toEqual({ forked: false });
    expect(ObservedSession.is(observedFrom(s))).toBe(true);
  });

  it("a completion whose start is outside the window is not taken for a second writer", () => {
    expect(fold(resume.slice(30)).forkEvidence).toBeNull();
  });
});

describe("summarizeRollout on damaged input", () => {
  const basic = linesOf(BASIC);

  it("ignores an incomplete last line and says so", () => {
    const t = `${rollout(basic)}{"timestamp":"2026-11-24T22:37:43.100Z","ordinal":18,"type":"event_`;
    const s = summary(t);
    expect(s.truncated).toBe(true);
    expect(s.completedTurns).toBe(1);
  });

  it("counts lines that are not JSON, and known lines of the wrong shape, as unreadable", () => {
    const bad = edit(basic[17] ?? "", (o) => ({
      ...o,
      payload: { type: "task_complete", turn_id: 5 },
    }));
    const s = summary(
      rollout([...basic.slice(0, 5), "not json", "[1,2]", ...basic.slice(5, 17), bad]),
    );
    expect(s.unreadableLines).toBe(3);
    expect(s.completedTurns).toBe(0);
  });

  it("keeps line and payload types it does not know as other lines, never errors", () => {
    const odd = [
      '{"timestamp":"x","ordinal":18,"type":"brand_new_line","payload":{"a":1}}',
      '{"timestamp":"x","ordinal":19,"type":"event_msg","payload":{"type":"brand_new_event"}}',
      '{"record_type":"state"}',
    ];
    const s = summary(rollout([...basic, ...odd]));
    expect(s.unreadableLines).toBe(0);
    expect(s.completedTurns).toBe(1);
  });

  it("rejects a file whose first line is not session_meta, or has no valid thread id", () => {
    expect(
      summarizeRollout(rollout(basic.slice(1)), { path: "p" })._unsafeUnwrapErr(),
    ).toMatchObject({ _tag: "InvalidRollout", path: "p" });
    const badId = edit(basic[0] ?? "", (o) => ({
      ...o,
      payload: { ...(o["payload"] as Json), id: "--dangerous" },
    }));
    const r = summarizeRollout(rollout([badId, ...basic.slice(1)]), { path: "p" });
    expect(r.isErr() && r.error.issues[0]?.path).toBe("line.payload.id");
    expect(summarizeRollout("", { path: "p" })._unsafeUnwrapErr()._tag).toBe("InvalidRollout");
    expect(summarizeRollout(basic[0] ?? "", { path: "p" }).isErr()).toBe(true);
  });
});

describe("parseSessionMeta", () => {
  const head = linesOf(BASIC)[0] ?? "";

  it("reads the recording's first line without parsing its base instructions", () => {
    const m = parseSessionMeta(head);
    expect(isRight(m) && m.right).toEqual({
      threadId: "01a20fb5-32b6-73c3-8683-50ee63f5dba7",
      createdAt: "2026-11-24T22:37:42.968Z",
      cwd: "/home/dev/sandbox/cwd",
      cliVersion: "0.169.0",
      originator: "codex_exec",
      modelProvider: "stub",
      ordinal: 0,
      forkedFromId: null,
      forkedFromOrdinal: null,
    });
  });

  it("reads the same as a whole-line parse, whatever the base instructions hold", () => {
    const tricky = fc.oneof(
      fc.string(),
      fc.string({ unit: fc.constantFrom('"', "\\", "{", "}", "[", "]", ":", ",", "é", "\n") }),
    );
    assertProperty(
      fc.property(tricky, tricky, fc.boolean(), (instructions, cwd, asObject) => {
        const line = JSON.stringify({
          timestamp: "t",
          ordinal: 0,
          type: "session_meta",
          payload: {
            id: "01a20fb5-32b6-73c3-8683-50ee63f5dba7",
            base_instructions: asObject
              ? { text: instructions, nested: [{ "}": instructions }] }
              : instructions,
            cwd,
            originator: "o",
          },
        });
        const m = parseSessionMeta(line);
        return isRight(m) && m.right.cwd === cwd && m.right.originator === "o";
      }),
      { numRuns: 100 },
    );
  });

  it("reads an early CLI's first line: the payload alone, without an envelope", () => {
    const m = parseSessionMeta(
      '{"id":"0b000000-0000-7000-8000-000000000001","timestamp":"2025-05-01T10:00:00Z","instructions":null}',
    );
    expect(isRight(m) && m.right).toMatchObject({
      threadId: "0b000000-0000-7000-8000-000000000001",
      createdAt: "2025-05-01T10:00:00Z",
      cwd: null,
      ordinal: null,
    });
  });

  it("never throws, and never accepts a line that is not JSON", () => {
    assertProperty(
      fc.property(fc.string(), fc.nat(head.length), (s, cut) => {
        const m = parseSessionMeta(s);
        const part = parseSessionMeta(head.slice(0, cut));
        let json = true;
        try {
          JSON.parse(s);
        } catch {
          json = false;
        }
        return (json || isLeft(m)) && (cut === head.length || isLeft(part));
      }),
      { numRuns: 100 },
    );
  });
});

describe("parseRolloutLine", () => {
  const golden = [...linesOf(RESUME), ...linesOf(SHELL)];

  it("never throws on any text: random, cut recordings, or envelopes with odd payloads", () => {
    const envelope = fc
      .record({
        type: fc.constantFrom("event_msg", "token_usage_record", "session_meta", "response_item"),
        ptype: fc.constantFrom(
          "task_started",
          "task_complete",
          "turn_aborted",
          "token_count",
          "thread_rolled_back",
          "other",
        ),
        payload: fc.jsonValue(),
        ordinal: fc.oneof(fc.nat(), fc.double(), fc.string()),
      })
      .map(({ type, ptype, payload, ordinal }) =>
        JSON.stringify({
          timestamp: "t",
          ordinal,
          type,
          payload:
            typeof payload === "object" && payload !== null && !Array.isArray(payload)
              ? { ...payload, type: ptype }
              : payload,
        }),
      );
    const cut = fc
      .tuple(fc.constantFrom(...golden), fc.nat(), fc.nat())
      .map(([l, a, b]) =>
        l.slice(Math.min(a, b) % (l.length + 1), Math.max(a, b) % (l.length + 1)),
      );
    const line = fc.oneof(
      fc.string(),
      fc.jsonValue().map((v) => JSON.stringify(v)),
      envelope,
      cut,
    );
    assertProperty(
      fc.property(line, fc.boolean(), (l, clipped) => {
        const r = parseRolloutLine(l, clipped);
        return typeof r.kind === "string";
      }),
      { numRuns: 100 },
    );
  });

  it("folding any lines never throws and yields a valid summary", () => {
    const head = linesOf(BASIC)[0] ?? "";
    const line = fc.oneof(fc.constantFrom(...golden), fc.string(), fc.constant(""));
    assertProperty(
      fc.property(fc.array(line, { maxLength: 40 }), (lines) => {
        const r = summarizeRollout(rollout([head, ...lines]), { path: "p" });
        return r.isOk() && SessionSummary.is(r.value);
      }),
      { numRuns: 100 },
    );
  });

  it("reads only the ordinal of a clipped line, and of lines that cannot matter", () => {
    const item = golden[2] ?? "";
    expect(parseRolloutLine(item)).toEqual({ kind: "other", ordinal: 2, type: "response_item" });
    expect(parseRolloutLine(golden[37]?.slice(0, 120) ?? "", true)).toEqual({
      kind: "other",
      ordinal: 37,
      type: "event_msg",
    });
  });

  it("reads a task_complete with its turn id and message", () => {
    expect(parseRolloutLine(golden[37] ?? "")).toEqual({
      kind: "task_complete",
      ordinal: 37,
      turnId: "01a20fb5-3610-73e3-a3aa-c112949f9a1e",
      nested: false,
      lastAgentMessage: "Hello from stub 3: Third question",
      error: null,
    });
  });

  it("still reads lines written with another key order or spacing (parsed whole)", () => {
    const p = payloadOf(golden[37] ?? "");
    const spaced = JSON.stringify({ type: "event_msg", payload: p, ordinal: 37 }, null, 1).replace(
      /\n/g,
      " ",
    );
    expect(parseRolloutLine(spaced).kind).toBe("task_complete");
  });
});

describe("rollout file names", () => {
  const id = "01a20fb5-345b-7f51-b6d3-8f2a9ee94142";

  it("reads the CLI's name: local creation time, then the thread id", () => {
    expect(parseRolloutName(`rollout-2026-11-24T22-37-43-${id}.jsonl`)).toEqual({
      kind: "rollout",
      timestamp: "2026-11-24T22-37-43",
      threadId: id,
    });
    expect(parseRolloutName(`rollout-2026-11-24T22-37-43-${id}.jsonl.zst`)?.kind).toBe(
      "compressed",
    );
  });

  it("rejects other names and ids that could not be thread ids", () => {
    for (const name of [
      "notes.txt",
      `rollout-2026-11-24-${id}.jsonl`,
      `rollout-2026-11-24T22-37-43-${id}.json`,
      "rollout-2026-11-24T22-37-43-.jsonl",
      "rollout-2026-11-24T22-37-43---flag.jsonl",
      ".DS_Store",
    ])
      expect({ name, parsed: parseRolloutName(name) }).toEqual({ name, parsed: null });
  });

  it("orders newest first: name timestamp, then modification time, then path", () => {
    const k = (timestamp: string, mtimeMs: number, path: string) => ({ timestamp, mtimeMs, path });
    const sorted = [
      k("2026-01-01T00-00-00", 9, "a"),
      k("2026-01-02T00-00-00", 1, "b"),
      k("2026-01-02T00-00-00", 5, "c"),
      k("2026-01-02T00-00-00", 5, "d"),
    ].sort(newestFirst);
    expect(sorted.map((x) => x.path)).toEqual(["d", "c", "b", "a"]);
  });
});
