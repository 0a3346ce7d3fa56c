/**
 * Forks, the pure part: a fork's rollout head names its parent and its cut, the usage at the
 * cut is the parent's last cumulative figure before it, and the fork's Thread value carries
 * that usage and a token for its position. Fork rollouts are built from the recording
 * golden/codex-cli-0.169.0/resume/rollout.jsonl the way CLI 0.169.0 writes them
 * (`session_meta.forked_from_id`, `forked_from_ordinal_exclusive`; see spec/shell/forks.spec.ts
 * for the real thing).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";

import fc from "fast-check";
import { assertProperty } from "../support/property.js";
import { isRight } from "fp-ts/lib/Either.js";

import { decodeContinuationToken } from "../../lib/core/continuation.js";
import {
  NEW_FORK_POSITION,
  forkedThread,
  startForkPoint,
  stepForkPoint,
} from "../../lib/core/fork.js";
import {
  parseRolloutLine,
  parseSessionMeta,
  summarizeRollout,
  type RolloutLine,
} from "../../lib/core/rollout.js";
import { startThread } from "../../lib/core/thread.js";
import type { ThreadId } from "../../lib/core/thread-id.js";
import { zeroUsage, type Usage } from "../../lib/core/usage.js";

const RESUME = join(process.cwd(), "golden", "codex-cli-0.169.0", "resume", "rollout.jsonl");
const lines = readFileSync(RESUME, "utf8").split("\n").slice(0, -1);
const PARENT = "01a20fb5-0000-7000-8000-0000000000aa";
const FORK = "01a20fb5-0000-7000-8000-0000000000bb" as ThreadId;

/** The recording's first line as a fork's: its parent and its cut added. */
const forkHead = (forkedFrom: unknown, cut: unknown): string => {
  const o = JSON.parse(lines[0] ?? "") as { payload: Record<string, unknown> };
  return JSON.stringify({
    ...o,
    payload: { ...o.payload, forked_from_id: forkedFrom, forked_from_ordinal_exclusive: cut },
  });
};

describe("a fork's rollout head", () => {
  it("names the parent and the cut; the summary carries forkedFromId", () => {
    const m = parseSessionMeta(forkHead(PARENT, 18));
    expect(isRight(m) && m.right).toMatchObject({ forkedFromId: PARENT, forkedFromOrdinal: 18 });
    const s = summarizeRollout(`${[forkHead(PARENT, 18), ...lines.slice(1)].join("\n")}\n`, {
      path: "fork.jsonl",
    });
    expect(s.isOk() && s.value.forkedFromId).toBe(PARENT);
  });

  it("reads a malformed parent or cut as none, and still reads the thread", () => {
    for (const [from, cut] of [
      ["--dangerously-bypass-approvals-and-sandbox", -1],
      [42, "18"],
      [null, null],
    ] as const) {
      const m = parseSessionMeta(forkHead(from, cut));
      expect(isRight(m) && m.right).toMatchObject({ forkedFromId: null, forkedFromOrdinal: null });
    }
  });
});

describe("the usage at a fork's cut", () => {
  const parsed = lines.map((l) => parseRolloutLine(l));
  const totals = parsed.flatMap((l) =>
    l.kind === "token_count" && l.total !== null && l.ordinal !== null
      ? [{ ordinal: l.ordinal, total: l.total }]
      : [],
  );

  it("is the recording's last cumulative figure before the cut (every cut)", () => {
    const last = Math.max(...parsed.map((l) => (l.kind === "unreadable" ? 0 : (l.ordinal ?? 0))));
    for (let cut = 0; cut <= last + 1; cut++) {
      const s = parsed.reduce(stepForkPoint, startForkPoint(cut));
      const expected = totals.filter((t) => t.ordinal < cut).pop()?.total ?? null;
      expect(s.total).toEqual(expected);
      expect(s.done).toBe(cut <= last);
    }
    // The recording's three turns, cut after each: 24, 24+36, 24+36+48 input tokens.
    expect(totals.map((t) => t.total.input_tokens)).toEqual([24, 60, 108]);
  });

  it("ignores every line from the cut on, whatever they hold", () => {
    const usage = fc.record({
      input_tokens: fc.nat(1000),
      cached_input_tokens: fc.nat(1000),
      cache_write_input_tokens: fc.nat(1000),
      output_tokens: fc.nat(1000),
      reasoning_output_tokens: fc.nat(1000),
    });
    const line: fc.Arbitrary<RolloutLine> = fc.oneof(
      usage.map((total): RolloutLine => ({ kind: "token_count", ordinal: 0, total, last: null })),
      fc.constant<RolloutLine>({ kind: "other", ordinal: 0, type: "response_item" }),
    );
    assertProperty(
      fc.property(fc.array(line, { maxLength: 30 }), fc.nat(35), (ls, cut) => {
        const numbered = ls.map((l, i): RolloutLine => ({ ...l, ordinal: i }) as RolloutLine);
        const s = numbered.reduce(stepForkPoint, startForkPoint(cut));
        const before = numbered
          .slice(0, cut)
          .flatMap((l) => (l.kind === "token_count" && l.total !== null ? [l.total] : []));
        expect(s.total).toEqual(before.pop() ?? null);
      }),
      { numRuns: 100 },
    );
  });
});

describe("forkedThread", () => {
  const parent = startThread({}, { skipGitRepoCheck: true })._unsafeUnwrap();
  const usage: Usage = { ...zeroUsage, input_tokens: 24, output_tokens: 5 };

  it("is the parent's options with the fork's id, usage and a signed token for its position", () => {
    const fork = forkedThread(
      parent,
      FORK,
      { cumulativeUsage: usage, position: NEW_FORK_POSITION },
      "k",
    )._unsafeUnwrap();
    expect(fork).toMatchObject({
      threadId: FORK,
      threadOptions: parent.threadOptions,
      cumulativeUsage: usage,
      metadata: null,
    });
    expect(Object.isFrozen(fork)).toBe(true);
    const d = decodeContinuationToken(fork.continuationToken, "k")._unsafeUnwrap();
    expect(d).toEqual({
      kind: "signed",
      claim: { threadId: FORK, completedTurns: 0, lastTurnId: null },
    });
  });

  it("mints an unsigned token without a secret, and refuses an empty one", () => {
    const facts = { cumulativeUsage: null, position: NEW_FORK_POSITION };
    const fork = forkedThread(parent, FORK, facts)._unsafeUnwrap();
    expect(decodeContinuationToken(fork.continuationToken)._unsafeUnwrap().kind).toBe("unsigned");
    expect(forkedThread(parent, FORK, facts, "")._unsafeUnwrapErr()._tag).toBe(
      "InvalidContinuationToken",
    );
  });
});
