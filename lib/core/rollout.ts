/**
 * Rollouts: the session files the codex CLI writes, one JSON object a line
 * (`{ timestamp, ordinal, type, payload }`), under
 * `$CODEX_HOME/sessions/YYYY/MM/DD/rollout-<YYYY-MM-DDThh-mm-ss>-<thread id>.jsonl`.
 *
 * What is read (CLI 0.169.0; see golden/codex-cli-0.169.0/*\/rollout.jsonl):
 * - line 0, `session_meta`: thread id, creation time, cwd, originator, CLI version, provider
 *   (tens of KB: it carries the base instructions);
 * - `event_msg` `task_started` / `task_complete` / `turn_aborted`, each with `turn_id` and
 *   `root_turn_id` (a turn whose root is another turn is nested, and not counted). A failed
 *   turn also ends in `task_complete`, with `last_agent_message: null` and an `error`; an
 *   interrupted one ends in `turn_aborted` and does not count;
 * - `event_msg` `token_count`: `total_token_usage` (cumulative over the thread) and
 *   `last_token_usage` — the last *model request's* usage, not the turn's when a turn makes
 *   several requests (tool calls);
 * - `token_usage_record`: `turn_token_usage`, the turn's own usage (preferred per-turn figure);
 * - `event_msg` `thread_rolled_back` (`num_turns`), which takes turns back off the count
 *   (from the CLI's event list, not yet seen in a recording).
 * Every other line type or payload type is kept as `other`, never an error. `ordinal` numbers
 * every line from 0 and keeps counting across resumes, so in a file with a single writer it
 * only grows.
 *
 * Everything here is pure: the shell reads the bytes (a head and a tail, or a streaming scan)
 * and folds the lines through {@link scanLine}.
 */
import * as t from "io-ts";
import { isLeft, left, right, type Either } from "fp-ts/lib/Either.js";
import type { Issue } from "./errors.js";
import { closed, decodeAll, isRecord } from "./internal/decode.js";
import type { ObservedSession } from "./resume-validator.js";
import { ThreadId, threadIdProblem } from "./thread-id.js";
import { Usage, usageFromWire } from "./usage.js";
import { UsageWire } from "./events.js";

const nullableString = t.union([t.string, t.null]);

// ---------------------------------------------------------------------------------------------
// Codecs of the lines we read (open: the CLI adds fields every release)
// ---------------------------------------------------------------------------------------------

/** Codec of token usage as a rollout writes it: the same shape as the CLI prints (`UsageWire`). */
export const RolloutUsage = UsageWire;
/** Token usage as a rollout writes it. */
export type RolloutUsage = UsageWire;

const nullableUsage = t.union([RolloutUsage, t.null]);

/** Codec of the `session_meta` payload fields we use (the id must be a valid thread id). */
export const SessionMetaPayload = t.intersection(
  [
    t.type({ id: ThreadId }),
    t.partial({
      timestamp: t.string,
      cwd: t.string,
      originator: t.string,
      cli_version: t.string,
      model_provider: nullableString,
    }),
  ],
  "SessionMetaPayload",
);
/** The `session_meta` payload fields we use. */
export type SessionMetaPayload = t.TypeOf<typeof SessionMetaPayload>;

/** Codec of a rollout's first line. */
export const SessionMetaLine = t.intersection(
  [
    t.type({ type: t.literal("session_meta"), payload: SessionMetaPayload }),
    t.partial({ timestamp: t.string, ordinal: t.number }),
  ],
  "SessionMetaLine",
);
/** A rollout's first line. */
export type SessionMetaLine = t.TypeOf<typeof SessionMetaLine>;

/** Codec of the envelope every rollout line shares. */
export const RolloutLineEnvelope = t.intersection(
  [
    t.type({ type: t.string }),
    t.partial({ timestamp: t.string, ordinal: t.number, payload: t.unknown }),
  ],
  "RolloutLineEnvelope",
);

const turnIds = { turn_id: nullableString, root_turn_id: nullableString };

/** Codec of an `event_msg` `task_started` payload. */
export const TaskStartedPayload = t.intersection(
  [t.type({ type: t.literal("task_started") }), t.partial(turnIds)],
  "TaskStartedPayload",
);

/** Codec of an `event_msg` `task_complete` payload (`error` is set when the turn failed). */
export const TaskCompletePayload = t.intersection(
  [
    t.type({ type: t.literal("task_complete") }),
    t.partial({ ...turnIds, last_agent_message: nullableString, error: t.unknown }),
  ],
  "TaskCompletePayload",
);

/** Codec of an `event_msg` `turn_aborted` payload (an interrupted turn). */
export const TurnAbortedPayload = t.intersection(
  [t.type({ type: t.literal("turn_aborted") }), t.partial({ ...turnIds, reason: t.unknown })],
  "TurnAbortedPayload",
);

/** Codec of an `event_msg` `token_count` payload (`info` is null before any usage). */
export const TokenCountPayload = t.intersection(
  [
    t.type({ type: t.literal("token_count") }),
    t.partial({
      info: t.union([
        t.partial({ total_token_usage: nullableUsage, last_token_usage: nullableUsage }),
        t.null,
      ]),
    }),
  ],
  "TokenCountPayload",
);

/** Codec of an `event_msg` `thread_rolled_back` payload. */
export const ThreadRolledBackPayload = t.type(
  { type: t.literal("thread_rolled_back"), num_turns: t.number },
  "ThreadRolledBackPayload",
);

/** Codec of a `token_usage_record` payload (one per model response). */
export const TokenUsageRecordPayload = t.partial(
  { ...turnIds, turn_token_usage: nullableUsage, thread_token_usage: nullableUsage },
  "TokenUsageRecordPayload",
);

// ---------------------------------------------------------------------------------------------
// One line, read
// ---------------------------------------------------------------------------------------------

/** The thread facts of a rollout's first line. */
export interface SessionMeta {
  readonly threadId: ThreadId;
  readonly createdAt: string | null;
  readonly cwd: string | null;
  readonly cliVersion: string | null;
  readonly originator: string | null;
  readonly modelProvider: string | null;
  /** The first line's `ordinal` (0), when it has one. */
  readonly ordinal: number | null;
}

/** One rollout line as the scan sees it; `nested` turns belong to another (root) turn. */
export type RolloutLine =
  | { readonly kind: "session_meta"; readonly ordinal: number | null; readonly meta: SessionMeta }
  | {
      readonly kind: "task_started";
      readonly ordinal: number | null;
      readonly turnId: string | null;
      readonly nested: boolean;
    }
  | {
      readonly kind: "task_complete";
      readonly ordinal: number | null;
      readonly turnId: string | null;
      readonly nested: boolean;
      readonly lastAgentMessage: string | null;
      /** The turn's error, as text, when it failed. */
      readonly error: string | null;
    }
  | {
      readonly kind: "turn_aborted";
      readonly ordinal: number | null;
      readonly turnId: string | null;
      readonly nested: boolean;
    }
  | {
      readonly kind: "token_count";
      readonly ordinal: number | null;
      readonly total: Usage | null;
      readonly last: Usage | null;
    }
  | {
      readonly kind: "token_usage_record";
      readonly ordinal: number | null;
      readonly turnId: string | null;
      readonly nested: boolean;
      readonly turnUsage: Usage | null;
    }
  | {
      readonly kind: "thread_rolled_back";
      readonly ordinal: number | null;
      readonly numTurns: number;
    }
  | { readonly kind: "other"; readonly ordinal: number | null; readonly type: string | null }
  /** A known line type whose payload has the wrong shape. */
  | {
      readonly kind: "invalid";
      readonly ordinal: number | null;
      readonly type: string;
      readonly issues: readonly Issue[];
    }
  /** Not JSON, or not a JSON object. */
  | { readonly kind: "unreadable"; readonly message: string };

/** Decodes JSON-parsed data: the quick `is` first, the full report only when it fails. */
const decodeJson = <A>(codec: t.Type<A, unknown, unknown>, u: unknown, root: string) =>
  codec.is(u) ? right<Issue[], A>(u) : decodeAll(codec, u, root);

/** The rollout's usage as {@link Usage} (missing counts are 0, `total_tokens` dropped). */
export const toUsage = usageFromWire;
const usageOrNull = (u: RolloutUsage | null | undefined): Usage | null =>
  u === null || u === undefined ? null : toUsage(u);

const ordinalOf = (u: unknown): number | null =>
  typeof u === "number" && Number.isSafeInteger(u) && u >= 0 ? u : null;

/** Nested when its root is another turn. */
const isNested = (p: { turn_id?: string | null; root_turn_id?: string | null }): boolean =>
  typeof p.root_turn_id === "string" &&
  typeof p.turn_id === "string" &&
  p.root_turn_id !== p.turn_id;

const errorText = (e: unknown): string | null => {
  if (e === undefined || e === null) return null;
  if (typeof e === "string") return e;
  if (isRecord(e) && typeof e["message"] === "string") return e["message"];
  return "the turn failed";
};

// The CLI writes the envelope's keys first, in this order, without spaces (and a payload's
// `type` first): enough to tell, without parsing, whether a line can matter.
const QUICK =
  /^\{"timestamp":"[^"\\]*","ordinal":(\d{1,15}),"type":"([^"\\]*)"(?:,"payload":\{"type":"([^"\\]*)")?/;
const USED_TYPES = new Set(["session_meta", "token_usage_record"]);
const USED_EVENTS = new Set([
  "task_started",
  "task_complete",
  "turn_aborted",
  "token_count",
  "thread_rolled_back",
]);

const quick = (text: string): { ordinal: number; type: string; used: boolean } | null => {
  const m = QUICK.exec(text);
  if (m === null) return null;
  const type = m[2] ?? "";
  const event = m[3];
  const used =
    USED_TYPES.has(type) ||
    (type === "event_msg" && (event === undefined || USED_EVENTS.has(event)));
  return { ordinal: Number(m[1]), type, used };
};

/** Reads a session_meta object (a whole line, or a legacy bare payload) as {@link SessionMeta}. */
const metaOf = (u: Record<string, unknown>, root: string): Either<Issue[], SessionMeta> => {
  // Early CLIs wrote the payload alone as the first line, without an envelope.
  const legacy = !("type" in u) && "id" in u;
  let p: SessionMetaPayload;
  if (legacy) {
    const r = decodeJson(SessionMetaPayload, u, `${root}.payload`);
    if (isLeft(r)) return r;
    p = r.right;
  } else {
    const r = decodeJson(SessionMetaLine, u, root);
    if (isLeft(r)) return r;
    p = r.right.payload;
  }
  return right({
    threadId: p.id,
    createdAt: p.timestamp ?? (typeof u["timestamp"] === "string" ? u["timestamp"] : null),
    cwd: p.cwd ?? null,
    cliVersion: p.cli_version ?? null,
    originator: p.originator ?? null,
    modelProvider: p.model_provider ?? null,
    ordinal: legacy ? null : ordinalOf(u["ordinal"]),
  });
};

const classify = (u: Record<string, unknown>): RolloutLine => {
  const env = RolloutLineEnvelope.is(u) ? u : null;
  const ordinal = ordinalOf(u["ordinal"]);
  if (env === null) return { kind: "other", ordinal, type: null };
  const invalid = (type: string, issues: readonly Issue[]): RolloutLine => ({
    kind: "invalid",
    ordinal,
    type,
    issues,
  });
  if (env.type === "session_meta") {
    const m = metaOf(u, "line");
    return isLeft(m)
      ? invalid("session_meta", m.left)
      : { kind: "session_meta", ordinal, meta: m.right };
  }
  const payload = env.payload;
  if (env.type === "token_usage_record") {
    const r = decodeJson(TokenUsageRecordPayload, payload, "line.payload");
    if (isLeft(r)) return invalid(env.type, r.left);
    return {
      kind: "token_usage_record",
      ordinal,
      turnId: r.right.turn_id ?? null,
      nested: isNested(r.right),
      turnUsage: usageOrNull(r.right.turn_token_usage),
    };
  }
  if (env.type !== "event_msg" || !isRecord(payload))
    return { kind: "other", ordinal, type: env.type };
  const root = "line.payload";
  switch (payload["type"]) {
    case "task_started": {
      const r = decodeJson(TaskStartedPayload, payload, root);
      return isLeft(r)
        ? invalid("task_started", r.left)
        : {
            kind: "task_started",
            ordinal,
            turnId: r.right.turn_id ?? null,
            nested: isNested(r.right),
          };
    }
    case "task_complete": {
      const r = decodeJson(TaskCompletePayload, payload, root);
      return isLeft(r)
        ? invalid("task_complete", r.left)
        : {
            kind: "task_complete",
            ordinal,
            turnId: r.right.turn_id ?? null,
            nested: isNested(r.right),
            lastAgentMessage: r.right.last_agent_message ?? null,
            error: errorText(r.right.error),
          };
    }
    case "turn_aborted": {
      const r = decodeJson(TurnAbortedPayload, payload, root);
      return isLeft(r)
        ? invalid("turn_aborted", r.left)
        : {
            kind: "turn_aborted",
            ordinal,
            turnId: r.right.turn_id ?? null,
            nested: isNested(r.right),
          };
    }
    case "token_count": {
      const r = decodeJson(TokenCountPayload, payload, root);
      if (isLeft(r)) return invalid("token_count", r.left);
      const info = r.right.info ?? null;
      return {
        kind: "token_count",
        ordinal,
        total: usageOrNull(info?.total_token_usage),
        last: usageOrNull(info?.last_token_usage),
      };
    }
    case "thread_rolled_back": {
      const r = decodeJson(ThreadRolledBackPayload, payload, root);
      return isLeft(r)
        ? invalid("thread_rolled_back", r.left)
        : {
            kind: "thread_rolled_back",
            ordinal,
            numTurns: Math.max(0, Math.floor(r.right.num_turns)),
          };
    }
    default:
      return { kind: "other", ordinal, type: env.type };
  }
};

/**
 * Reads one rollout line (without its newline). `clipped` says the text is only the start of a
 * line too long to keep: only its ordinal is read. Lines that cannot matter to a summary are
 * not parsed beyond their envelope's start. Never throws.
 */
export const parseRolloutLine = (text: string, clipped = false): RolloutLine => {
  try {
    const q = quick(text);
    if (q !== null && (clipped || !q.used))
      return { kind: "other", ordinal: q.ordinal, type: q.type };
    if (q === null && clipped) return { kind: "other", ordinal: null, type: null };
    let u: unknown;
    try {
      u = JSON.parse(text) as unknown;
    } catch {
      return { kind: "unreadable", message: "not JSON" };
    }
    return isRecord(u) ? classify(u) : { kind: "unreadable", message: "not a JSON object" };
  } catch {
    return { kind: "unreadable", message: "could not be read" };
  }
};

// The base instructions are most of a session_meta line (tens of KB) and are not needed: their
// value is skipped without being parsed and replaced by null. Any match of the key pattern ends
// a key (the quote before the colon cannot be escaped), so for valid JSON the cut leaves valid
// JSON; for anything else the whole line is parsed as it is.
const BULKY_KEY = '"base_instructions":';
const STRUCTURAL = /["{}[\]]/g;

/** The end (exclusive) of the JSON string starting at `i`, or -1. */
const skipString = (s: string, i: number): number => {
  let from = i + 1;
  for (;;) {
    const q = s.indexOf('"', from);
    if (q === -1) return -1;
    let slashes = 0;
    while (s.charCodeAt(q - 1 - slashes) === 0x5c) slashes++;
    if (slashes % 2 === 0) return q + 1;
    from = q + 1;
  }
};

/** The end (exclusive) of the string, object or array value starting at `i`, or -1. */
const skipValue = (s: string, i: number): number => {
  let at = i;
  while (s[at] === " ") at++;
  if (s[at] === '"') return skipString(s, at);
  if (s[at] !== "{" && s[at] !== "[") return -1;
  let depth = 0;
  const re = new RegExp(STRUCTURAL.source, "g");
  re.lastIndex = at;
  for (;;) {
    const m = re.exec(s);
    if (m === null) return -1;
    const c = s[m.index];
    if (c === '"') {
      const end = skipString(s, m.index);
      if (end === -1) return -1;
      re.lastIndex = end;
    } else if (c === "{" || c === "[") depth++;
    else if (--depth === 0) return m.index + 1;
  }
};

const withoutBulk = (text: string): string => {
  const k = text.indexOf(BULKY_KEY);
  if (k === -1) return text;
  const from = k + BULKY_KEY.length;
  const to = skipValue(text, from);
  return to === -1 ? text : `${text.slice(0, from)}null${text.slice(to)}`;
};

/**
 * Reads a rollout's first line as its thread facts, or the issues that make it no rollout:
 * not JSON, not `session_meta`, or no valid thread id. Never throws.
 */
export const parseSessionMeta = (text: string): Either<Issue[], SessionMeta> => {
  let u: unknown;
  try {
    u = JSON.parse(withoutBulk(text)) as unknown;
  } catch {
    try {
      u = JSON.parse(text) as unknown;
    } catch {
      return left([{ path: "line", message: "the first line is not JSON" }]);
    }
  }
  if (!isRecord(u)) return left([{ path: "line", message: "the first line is not a JSON object" }]);
  if ("type" in u && u["type"] !== "session_meta")
    return left([{ path: "line.type", message: "the first line is not session_meta" }]);
  try {
    return metaOf(u, "line");
  } catch {
    return left([{ path: "line", message: "could not be read" }]);
  }
};

// ---------------------------------------------------------------------------------------------
// The fold
// ---------------------------------------------------------------------------------------------

/** Completed turn ids, newest first (a persistent list, so the fold stays cheap and pure). */
type TurnStack = { readonly turnId: string | null; readonly next: TurnStack } | null;

/** The last completed turn, as far as the lines read tell. */
export interface LastTurn {
  readonly turnId: string | null;
  readonly lastAgentMessage: string | null;
  readonly error: string | null;
  /** The turn's own usage (`turn_token_usage`, else the last request's `last_token_usage`). */
  readonly usage: Usage | null;
  /** The thread's cumulative usage when the turn ended. */
  readonly cumulative: Usage | null;
  /** Whether the turn's `task_started` was among the lines read. */
  readonly startSeen: boolean;
  /** Whether both a `token_count` and a `token_usage_record` of the turn were read. */
  readonly usageSeen: boolean;
}

/** What a fold over a rollout's lines (after the first) has gathered. */
export interface RolloutScan {
  readonly lines: number;
  readonly unreadableLines: number;
  readonly lastOrdinal: number | null;
  /** The first sign that two writers interleave, or null. */
  readonly forkEvidence: string | null;
  /** Whether turn boundaries are visible (the scan started at the top, or saw a task_started). */
  readonly boundarySeen: boolean;
  /** The root turn started and not yet ended. */
  readonly openTurn: { readonly turnId: string | null } | null;
  readonly completedTurns: number;
  readonly failedTurns: number;
  readonly completed: TurnStack;
  readonly lastTurn: LastTurn | null;
  /** The latest cumulative usage. */
  readonly total: Usage | null;
  /** `last_token_usage` of the current turn's latest token_count (undefined: none seen). */
  readonly turnLast: Usage | null | undefined;
  /** `turn_token_usage` of the current turn's latest record (undefined: none seen). */
  readonly turnRecord: Usage | null | undefined;
}

/**
 * The start of a fold. `fromTop`: the lines will start right after the first line (so every
 * turn boundary is seen); otherwise they are a tail window. `headOrdinal`: the first line's.
 */
export const startScan = (fromTop: boolean, headOrdinal: number | null): RolloutScan => ({
  lines: 0,
  unreadableLines: 0,
  lastOrdinal: headOrdinal,
  forkEvidence: null,
  boundarySeen: fromTop,
  openTurn: null,
  completedTurns: 0,
  failedTurns: 0,
  completed: null,
  lastTurn: null,
  total: null,
  turnLast: undefined,
  turnRecord: undefined,
});

const differ = (a: string | null, b: string | null): boolean => a !== null && b !== null && a !== b;

const pop = (stack: TurnStack, n: number): TurnStack => {
  let s = stack;
  for (let i = 0; i < n && s !== null; i++) s = s.next;
  return s;
};

type Draft = { -readonly [K in keyof RolloutScan]: RolloutScan[K] };

const endTurn = (s: Draft): void => {
  s.openTurn = null;
  s.turnLast = undefined;
  s.turnRecord = undefined;
};

/** Folds one more line into the scan. Pure and total (it only writes to the copy it returns). */
export const scanLine = (s0: RolloutScan, line: RolloutLine): RolloutScan => {
  const s: Draft = { ...s0, lines: s0.lines + 1 };
  const evidence = (e: string): void => {
    if (s.forkEvidence === null) s.forkEvidence = e;
  };
  if (line.kind === "unreadable" || line.kind === "invalid") s.unreadableLines += 1;
  if (line.kind !== "unreadable" && line.ordinal !== null) {
    if (s.lastOrdinal !== null && line.ordinal <= s.lastOrdinal)
      evidence(`ordinal ${line.ordinal} follows ordinal ${s.lastOrdinal}`);
    s.lastOrdinal = line.ordinal;
  }
  const open = s.openTurn;
  switch (line.kind) {
    case "task_started":
      if (line.nested) break;
      if (open !== null && differ(open.turnId, line.turnId))
        evidence(`turn ${line.turnId} started while turn ${open.turnId} was still open`);
      endTurn(s);
      s.boundarySeen = true;
      s.openTurn = { turnId: line.turnId };
      break;
    case "task_complete":
      if (line.nested) break;
      if (open !== null && differ(open.turnId, line.turnId))
        evidence(`turn ${line.turnId} completed while turn ${open.turnId} was open`);
      else if (open === null && s.boundarySeen)
        evidence(`turn ${line.turnId} completed but had not started (or had already ended)`);
      s.completedTurns += 1;
      if (line.error !== null) s.failedTurns += 1;
      s.completed = { turnId: line.turnId, next: s.completed };
      s.lastTurn = {
        turnId: line.turnId,
        lastAgentMessage: line.lastAgentMessage,
        error: line.error,
        usage: s.turnRecord ?? s.turnLast ?? null,
        cumulative: s.total,
        startSeen: open !== null,
        usageSeen: s.turnLast !== undefined && s.turnRecord !== undefined,
      };
      endTurn(s);
      break;
    case "turn_aborted":
      if (line.nested) break;
      if (open !== null && differ(open.turnId, line.turnId))
        evidence(`turn ${line.turnId} aborted while turn ${open.turnId} was open`);
      endTurn(s);
      break;
    case "token_count":
      if (line.total === null && line.last === null) break;
      s.total = line.total ?? s.total;
      s.turnLast = line.last;
      break;
    case "token_usage_record":
      if (line.nested || (open !== null && differ(open.turnId, line.turnId))) break;
      s.turnRecord = line.turnUsage;
      break;
    case "thread_rolled_back": {
      const completed = pop(s.completed, line.numTurns);
      s.completedTurns = Math.max(0, s.completedTurns - line.numTurns);
      s.failedTurns = Math.min(s.failedTurns, s.completedTurns);
      s.completed = completed;
      s.lastTurn =
        completed === null
          ? null
          : {
              turnId: completed.turnId,
              lastAgentMessage: null,
              error: null,
              usage: null,
              cumulative: null,
              startSeen: false,
              usageSeen: false,
            };
      break;
    }
    default:
      break;
  }
  return s;
};

/**
 * Whether a tail window already tells all a summary needs: the last completed turn, and either
 * its start or both its usage lines. (Reading further back would change nothing but the
 * turn count, which a tail cannot give anyway.)
 */
export const tailIsSufficient = (s: RolloutScan): boolean =>
  s.lastTurn !== null && (s.lastTurn.startSeen || s.lastTurn.usageSeen);

// ---------------------------------------------------------------------------------------------
// The summary
// ---------------------------------------------------------------------------------------------

const nullableUsageOut = t.union([Usage, t.null]);
const nullableCount = t.union([t.number, t.null]);

/** Codec of what is known of one session (one rollout file). */
export const SessionSummary = closed(
  "SessionSummary",
  {
    threadId: ThreadId,
    /** `session_meta.payload.timestamp`. */
    createdAt: nullableString,
    cwd: nullableString,
    cliVersion: nullableString,
    originator: nullableString,
    modelProvider: nullableString,
    /** Root turns ended by `task_complete` (failed ones included), less rolled-back ones; null when only a tail was read. */
    completedTurns: nullableCount,
    /** Of those, the ones that failed; null when only a tail was read. */
    failedTurns: nullableCount,
    lastTurnId: nullableString,
    lastAgentMessage: nullableString,
    /** The last turn's error, when it failed. */
    lastTurnError: nullableString,
    /** The last turn's own usage. */
    lastTurnUsage: nullableUsageOut,
    /** The thread's cumulative usage when the last turn ended. */
    cumulativeUsage: nullableUsageOut,
    /** A root turn started after the last completed one and has not ended (in the lines read). */
    turnInProgress: t.boolean,
    /** Two writers' lines interleave (see `forkEvidence`). */
    forked: t.boolean,
    forkEvidence: nullableString,
    path: t.string,
    size: t.number,
    /** The file's modification time (ISO 8601), when known. */
    modifiedAt: nullableString,
    /** The file does not end with a newline; the incomplete last line was ignored. */
    truncated: t.boolean,
    /** Lines read that were not JSON, or known lines of the wrong shape (ignored). */
    unreadableLines: t.number,
  },
  {},
);
/** What is known of one session (one rollout file). */
export type SessionSummary = t.TypeOf<typeof SessionSummary>;

/** Facts about the file, from outside its lines. */
export interface RolloutFacts {
  readonly path: string;
  readonly size: number;
  readonly modifiedAt: string | null;
  /** The lines folded were every line after the first (else a tail window). */
  readonly complete: boolean;
  /** The file does not end with a newline. */
  readonly truncated: boolean;
}

/** Builds the summary from the first line's facts, the fold, and the file's facts. */
export const summarize = (
  meta: SessionMeta,
  scan: RolloutScan,
  facts: RolloutFacts,
): SessionSummary => {
  const last = scan.lastTurn;
  return {
    threadId: meta.threadId,
    createdAt: meta.createdAt,
    cwd: meta.cwd,
    cliVersion: meta.cliVersion,
    originator: meta.originator,
    modelProvider: meta.modelProvider,
    completedTurns: facts.complete ? scan.completedTurns : null,
    failedTurns: facts.complete ? scan.failedTurns : null,
    lastTurnId: last?.turnId ?? null,
    lastAgentMessage: last?.lastAgentMessage ?? null,
    lastTurnError: last?.error ?? null,
    lastTurnUsage: last?.usage ?? null,
    cumulativeUsage: last?.cumulative ?? null,
    turnInProgress: scan.openTurn !== null,
    forked: scan.forkEvidence !== null,
    forkEvidence: scan.forkEvidence,
    path: facts.path,
    size: facts.size,
    modifiedAt: facts.modifiedAt,
    truncated: facts.truncated,
    unreadableLines: scan.unreadableLines,
  };
};

/**
 * Summarizes a rollout held whole as text (tests, small files): the first line must be
 * `session_meta`; an incomplete last line (no newline) is ignored and flagged `truncated`.
 * `facts` default to the text's own size and no modification time. Never throws.
 */
export const summarizeRollout = (
  text: string,
  facts: { readonly path: string; readonly size?: number; readonly modifiedAt?: string | null },
): Either<Issue[], SessionSummary> => {
  try {
    return summarizeText(text, facts);
  } catch {
    // Not a string, or facts that cannot be read (a JavaScript caller): issues, not a throw.
    return left([{ path: "rollout", message: "could not be read" }]);
  }
};

const summarizeText = (
  text: string,
  facts: { readonly path: string; readonly size?: number; readonly modifiedAt?: string | null },
): Either<Issue[], SessionSummary> => {
  const lines = text.split("\n");
  if (lines.length < 2) return left([{ path: "line", message: "the first line is incomplete" }]);
  const truncated = lines[lines.length - 1] !== "";
  const rest = lines.slice(1, -1);
  const meta = parseSessionMeta(lines[0] ?? "");
  if (isLeft(meta)) return meta;
  const scan = rest.reduce(
    (s, l) => scanLine(s, parseRolloutLine(l)),
    startScan(true, meta.right.ordinal),
  );
  return right(
    summarize(meta.right, scan, {
      path: facts.path,
      size: facts.size ?? Buffer.byteLength(text, "utf8"),
      modifiedAt: facts.modifiedAt ?? null,
      complete: true,
      truncated,
    }),
  );
};

/**
 * What was observed of a session, for the resume validator: its forked flag, and the position
 * as far as it is known (a count only from a complete read; a last turn id only when one was
 * found, or when there are certainly no turns).
 */
export const observedFrom = (s: SessionSummary): ObservedSession => ({
  forked: s.forked,
  ...(s.completedTurns !== null ? { completedTurns: s.completedTurns } : {}),
  ...(s.lastTurnId !== null || s.completedTurns === 0 ? { lastTurnId: s.lastTurnId } : {}),
});

// ---------------------------------------------------------------------------------------------
// File names
// ---------------------------------------------------------------------------------------------

const ROLLOUT_NAME = /^rollout-(\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2})-(.+?)\.jsonl(\.zst)?$/;

/** What a file name in the store says: a rollout (or a compressed one) of a thread, or nothing. */
export type RolloutName = {
  readonly kind: "rollout" | "compressed";
  /** `YYYY-MM-DDThh-mm-ss` (the CLI's local time at creation); sorts as text. */
  readonly timestamp: string;
  readonly threadId: string;
} | null;

/** Reads `rollout-<YYYY-MM-DDThh-mm-ss>-<thread id>.jsonl[.zst]`; null for any other name. */
export const parseRolloutName = (name: string): RolloutName => {
  const m = ROLLOUT_NAME.exec(name);
  if (m === null || m[1] === undefined || m[2] === undefined) return null;
  if (threadIdProblem(m[2]) !== null) return null;
  return { kind: m[3] === undefined ? "rollout" : "compressed", timestamp: m[1], threadId: m[2] };
};

/** A listing entry's sort keys. */
export interface SortKeys {
  readonly timestamp: string;
  readonly mtimeMs: number;
  readonly path: string;
}

/** Newest first: by the file name's timestamp, then modification time, then path (descending). */
export const newestFirst = (a: SortKeys, b: SortKeys): number =>
  a.timestamp !== b.timestamp
    ? a.timestamp < b.timestamp
      ? 1
      : -1
    : a.mtimeMs !== b.mtimeMs
      ? b.mtimeMs - a.mtimeMs
      : a.path < b.path
        ? 1
        : a.path > b.path
          ? -1
          : 0;
