/**
 * One rollout line, read: a cheap pre-check, then the codec of its kind; a `session_meta` line
 * read without its bulky instructions. See `../rollout.ts` for what is read and why.
 */
import * as t from "io-ts";
import { isLeft, left, right, type Either } from "fp-ts/lib/Either.js";
import type { Issue } from "../errors/index.js";
import { decodeAll, isRecord } from "../decoding/decode.js";
import { ThreadId } from "../thread-id.js";
import { Usage, usageFromWire } from "../usage.js";
import {
  RolloutLineEnvelope,
  RolloutUsage,
  SessionMetaLine,
  SessionMetaPayload,
  TaskCompletePayload,
  TaskStartedPayload,
  ThreadRolledBackPayload,
  TokenCountPayload,
  TokenUsageRecordPayload,
  TurnAbortedPayload,
} from "./codecs.js";
import { parseJson } from "../decoding/unknown.js";

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
  /** The thread this one was forked from (`forked_from_id`), or null. */
  readonly forkedFromId: ThreadId | null;
  /** The fork's cut (`forked_from_ordinal_exclusive`): its history is the parent's lines before it. */
  readonly forkedFromOrdinal: number | null;
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
    forkedFromId: ThreadId.is(p.forked_from_id) ? p.forked_from_id : null,
    forkedFromOrdinal: ordinalOf(p.forked_from_ordinal_exclusive),
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
      u = parseJson(text);
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
    u = parseJson(withoutBulk(text));
  } catch {
    try {
      u = parseJson(text);
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
