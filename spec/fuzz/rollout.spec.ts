/**
 * Fuzzing the rollout reader: parseRolloutLine on any line and on mutated recorded lines, and
 * summarizeRollout on recorded rollouts with lines dropped, repeated, reordered, cut and
 * garbled. Nothing throws; every line is one of the documented kinds; every summary passes
 * its own codec and its counts hold together.
 */
import fc from "fast-check";
import { isRight } from "fp-ts/lib/Either.js";

import { SessionSummary, parseRolloutLine, summarizeRollout } from "../../lib/sessions/index.js";
import { anyInput } from "../support/arbitraries.js";
import {
  CODEC_KEYS,
  applyEdit,
  edit,
  goldenRollouts,
  mutatedJsonLike,
  nastyString,
  value,
} from "../support/arbitraries.js";
import { CASES } from "./support/budget.js";
import { call, check, issuesProblem, fuzzIt, safeJson } from "./support/harness.js";

const ROLLOUTS = goldenRollouts();
/** Every recorded line after the first (the first is tens of KB: mutated apart, below). */
const LINES = ROLLOUTS.flatMap((r) => r.text.split("\n").slice(1, -1));
/** The short lines (below 2 KB), the ones structural mutations are cheap on. */
const SHORT = LINES.filter((l) => l.length < 2048).map((l) => JSON.parse(l) as unknown);

const KINDS = [
  "session_meta",
  "task_started",
  "task_complete",
  "turn_aborted",
  "token_count",
  "token_usage_record",
  "thread_rolled_back",
  "other",
  "invalid",
  "unreadable",
];

/** What is wrong with a parsed line, or null. */
const lineProblem = (l: unknown): string | null => {
  if (typeof l !== "object" || l === null) return "not an object";
  const r = l as Record<string, unknown>;
  if (!KINDS.includes(String(r["kind"]))) return `unknown kind ${safeJson(r["kind"])}`;
  if (r["kind"] === "unreadable") return typeof r["message"] === "string" ? null : "no message";
  const o = r["ordinal"];
  if (o !== null && !(typeof o === "number" && Number.isSafeInteger(o) && o >= 0))
    return `ordinal ${safeJson(o)}`;
  if (r["kind"] === "invalid") return issuesProblem(r["issues"]);
  if (r["kind"] === "thread_rolled_back") {
    const n = r["numTurns"];
    return typeof n === "number" && Number.isInteger(n) && n >= 0
      ? null
      : `numTurns ${safeJson(n)}`;
  }
  return null;
};

/** A line event_msg payload types the reader knows, to put where they do not belong. */
const PAYLOAD_TYPES = [
  "task_started",
  "task_complete",
  "turn_aborted",
  "token_count",
  "thread_rolled_back",
  "session_meta",
  "token_usage_record",
  "event_msg",
];

/** A rollout damaged line by line (the first line kept, or garbled, or swapped). */
const damagedRollout = fc
  .record({
    r: fc.nat(ROLLOUTS.length - 1),
    ops: fc.array(
      fc.record({
        how: fc.constantFrom("drop", "repeat", "swap", "cut", "garble", "retype", "append-other"),
        at: fc.nat(10_000),
        other: fc.nat(10_000),
        edit,
        type: fc.constantFrom(...PAYLOAD_TYPES),
      }),
      { minLength: 1, maxLength: 4 },
    ),
    ending: fc.constantFrom("newline", "none", "cut"),
  })
  .map((g) => {
    const text = ROLLOUTS[g.r]?.text ?? "";
    const ls = text.split("\n").slice(0, -1);
    for (const op of g.ops) {
      const i = op.at % ls.length;
      const j = op.other % ls.length;
      const line = ls[i] ?? "";
      switch (op.how) {
        case "drop":
          ls.splice(i, 1);
          break;
        case "repeat":
          ls.splice(i, 0, line);
          break;
        case "swap":
          ls[i] = ls[j] ?? "";
          ls[j] = line;
          break;
        case "cut":
          ls[i] = line.slice(0, op.other % (line.length + 1));
          break;
        case "garble":
          ls[i] = applyEdit(line, op.edit);
          break;
        case "retype":
          ls[i] = line.replace(/"type":"[^"]*"/g, (m, k: number) =>
            k % 2 === 0 ? `"type":"${op.type}"` : m,
          );
          break;
        case "append-other":
          ls.push(LINES[op.other % LINES.length] ?? "");
          break;
      }
      if (ls.length === 0) ls.push("");
    }
    const body = ls.join("\n");
    return g.ending === "newline"
      ? `${body}\n`
      : g.ending === "none"
        ? body
        : body.slice(0, body.length - ((g.ops[0]?.other ?? 0) % 200));
  });

describe("fuzz: rollouts", () => {
  fuzzIt(
    "parseRolloutLine on any line: one of the documented kinds",
    CASES.rollout.line,
    fc.tuple(
      fc.oneof(
        mutatedJsonLike(SHORT, [...CODEC_KEYS, ...PAYLOAD_TYPES]).map(value),
        fc.constantFrom(...LINES).map(value),
        nastyString.map(value),
        fc.jsonValue({ maxDepth: 3 }).map((v) => value(JSON.stringify(v))),
        anyInput,
      ),
      fc.boolean(),
    ),
    ([line, clipped]) => {
      const l = call("parseRolloutLine", () => parseRolloutLine(line.make() as string, clipped));
      const p = lineProblem(l);
      check(p === null, () => `parseRolloutLine: ${p ?? ""}: ${safeJson(l)}`);
    },
  );

  fuzzIt(
    "summarizeRollout on damaged recordings: a valid summary, or an InvalidRollout error",
    CASES.rollout.summary,
    damagedRollout,
    (text) => {
      const r = call("summarizeRollout", () =>
        summarizeRollout(text, { path: "/fuzz/rollout.jsonl" }),
      );
      if (r.isErr()) {
        check(r.error._tag === "InvalidRollout", () => `summarizeRollout: ${r.error._tag}`);
        const p = issuesProblem(r.error.issues);
        check(p === null, () => `summarizeRollout: ${p ?? ""}`);
        return;
      }
      const s = r.value;
      check(isRight(SessionSummary.decode(s)), () => `an invalid summary: ${safeJson(s)}`);
      check(
        s.completedTurns !== null &&
          s.failedTurns !== null &&
          s.completedTurns >= 0 &&
          s.failedTurns >= 0 &&
          s.failedTurns <= s.completedTurns,
        () => `the counts do not hold together: ${s.completedTurns} / ${s.failedTurns}`,
      );
      check(s.unreadableLines <= text.split("\n").length, "more unreadable lines than lines");
      check(
        s.forked === (s.forkEvidence !== null),
        "forked without evidence, or evidence without fork",
      );
      check(s.truncated === !text.endsWith("\n"), "truncated does not match the text's end");
    },
  );

  it("summarizeRollout is given non-strings by JS callers: errors, not exceptions", () => {
    for (const u of [null, undefined, 42, {}, ["a"]])
      expect(summarizeRollout(u as never, { path: "x" }).isErr()).toBe(true);
    const text = ROLLOUTS[0]?.text ?? "";
    expect(summarizeRollout(text, undefined as never).isErr()).toBe(true);
  });
});
