/**
 * From app-server notifications to the exec dialect: a pure reducer that turns one turn's
 * `item/*`, `turn/*`, `thread/tokenUsage/updated`, `error` and `warning` notifications into the
 * JSON events `codex exec --experimental-json` prints for the same turn — item ids renumbered
 * `item_0, item_1 …`, items in exec shapes, warnings as `error` items, plans as a `todo_list`,
 * usage cumulative over the thread — so the runner's fold works unchanged.
 */
import type {
  ThreadItem as ServerItem,
  TokenUsageBreakdown,
  TurnPlanStep,
} from "../../generated/app-server/index.js";
import type { UsageWire } from "../../core/events.js";
import { isRecord } from "../../core/decoding/decode.js";
import {
  appendMapAdd,
  appendMapGet,
  emptyAppendMap,
  type AppendMap,
} from "../../core/append-only.js";
import type { ServerNote } from "./protocol.js";

/** An event as `codex exec --experimental-json` prints it (decoded later like a line). */
export type ExecWireEvent = { readonly type: string } & Readonly<Record<string, unknown>>;

/**
 * What one turn's translation has seen so far. Immutable from the outside and persistent; the
 * id map is append-only, so a step costs O(1) (see `core/append-only.ts`).
 */
export interface TurnTranslation {
  /** The turn's id (exec prints none; the fold keeps it as the Turn's `turnId`). */
  readonly turnId: string | null;
  /** Server item ids → exec item ids (`item_N`). */
  readonly itemIds: AppendMap<string, string>;
  readonly nextItem: number;
  /** The thread's cumulative usage, as last reported. */
  readonly usage: UsageWire | null;
  /** The message of the last non-retried error notification. */
  readonly lastError: string | null;
  /** The to-do list built from plan updates (exec's `todo_list` item), if any. */
  readonly plan: { readonly id: string; readonly steps: readonly TurnPlanStep[] } | null;
  /** How the turn ended, once `turn/completed` came. */
  readonly outcome: "completed" | "failed" | "interrupted" | null;
}

/** The state before a turn; `usage` is the thread's cumulative usage known so far. */
export const initialTranslation = (
  usage: UsageWire | null,
  turnId: string | null = null,
): TurnTranslation => ({
  turnId,
  itemIds: emptyAppendMap(),
  nextItem: 0,
  usage,
  lastError: null,
  plan: null,
  outcome: null,
});

/** The thread's cumulative usage (the `total` of a token usage notification) in exec names. */
export const usageFromBreakdown = (b: TokenUsageBreakdown): UsageWire => ({
  input_tokens: b.inputTokens,
  cached_input_tokens: b.cachedInputTokens,
  cache_write_input_tokens: b.cacheWriteInputTokens ?? 0,
  output_tokens: b.outputTokens,
  reasoning_output_tokens: b.reasoningOutputTokens,
});

const snake = (status: string): string =>
  status === "inProgress" ? "in_progress" : status.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/** Item types exec announces with `item.started` before completing them. */
const STARTED_TYPES = new Set(["command_execution", "mcp_tool_call", "file_change", "web_search"]);

/** Server item types exec never prints (the user's own input, hook prompts). */
const SILENT_TYPES = new Set(["userMessage", "hookPrompt"]);

/**
 * A server item in exec's shape (with exec id `id`): agent_message, reasoning,
 * command_execution, file_change, mcp_tool_call, web_search; other types are passed on whole
 * under their server type (the event decoder keeps them as `unknown` items). Null for items
 * exec does not print.
 */
export const toExecItem = (item: ServerItem, id: string): Record<string, unknown> | null => {
  switch (item.type) {
    case "agentMessage":
      return { id, type: "agent_message", text: item.text };
    case "reasoning": {
      const text = (item.summary ?? []).join("\n\n") || (item.content ?? []).join("\n\n");
      return text === "" ? null : { id, type: "reasoning", text };
    }
    case "commandExecution":
      return {
        id,
        type: "command_execution",
        command: item.command,
        aggregated_output: item.aggregatedOutput ?? "",
        exit_code: item.exitCode ?? null,
        status: snake(item.status),
      };
    case "fileChange":
      return {
        id,
        type: "file_change",
        changes: item.changes.map((c) => ({ path: c.path, kind: c.kind.type })),
        status: snake(item.status),
      };
    case "mcpToolCall":
      return {
        id,
        type: "mcp_tool_call",
        server: item.server,
        tool: item.tool,
        status: snake(item.status),
        arguments: item.arguments,
        result:
          item.result === null || item.result === undefined
            ? null
            : {
                content: item.result.content,
                ...(item.result.structuredContent !== undefined
                  ? { structured_content: item.result.structuredContent }
                  : {}),
              },
        error: item.error ?? null,
      };
    case "webSearch":
      return { id, type: "web_search", query: item.query };
    default:
      return SILENT_TYPES.has(item.type) ? null : { ...item, id };
  }
};

const withItemId = (s: TurnTranslation, serverId: string): [TurnTranslation, string] => {
  const known = appendMapGet(s.itemIds, serverId);
  if (known !== undefined) return [s, known];
  const id = `item_${s.nextItem}`;
  return [{ ...s, itemIds: appendMapAdd(s.itemIds, serverId, id), nextItem: s.nextItem + 1 }, id];
};

const newItemId = (s: TurnTranslation): [TurnTranslation, string] => [
  { ...s, nextItem: s.nextItem + 1 },
  `item_${s.nextItem}`,
];

const todoItem = (id: string, steps: readonly TurnPlanStep[]): Record<string, unknown> => ({
  id,
  type: "todo_list",
  items: steps.map((p) => ({ text: p.step, completed: p.status === "completed" })),
});

/** The result of one step: the next state and the exec events to emit, in order. */
export interface Translated {
  readonly state: TurnTranslation;
  readonly events: readonly ExecWireEvent[];
}

const item = (
  s: TurnTranslation,
  event: "item.started" | "item.completed",
  serverItem: ServerItem,
): Translated => {
  if (SILENT_TYPES.has(serverItem.type)) return { state: s, events: [] };
  const [next, id] = withItemId(s, serverItem.id);
  const mapped = toExecItem(serverItem, id);
  if (mapped === null) return { state: s, events: [] };
  if (event === "item.started" && !STARTED_TYPES.has(String(mapped["type"])))
    return { state: next, events: [] };
  return { state: next, events: [{ type: event, item: mapped }] };
};

const turnIdField = (s: TurnTranslation) => (s.turnId === null ? {} : { turn_id: s.turnId });

const finish = (s: TurnTranslation, status: string, message: string | null): Translated => {
  const events: ExecWireEvent[] = [];
  if (s.plan !== null)
    events.push({ type: "item.completed", item: todoItem(s.plan.id, s.plan.steps) });
  if (status === "completed") {
    events.push({
      type: "turn.completed",
      ...turnIdField(s),
      ...(s.usage === null ? {} : { usage: s.usage }),
    });
    return { state: { ...s, outcome: "completed" }, events };
  }
  const interrupted = status === "interrupted";
  events.push({
    type: "turn.failed",
    ...turnIdField(s),
    error: {
      message: message ?? s.lastError ?? (interrupted ? "the turn was interrupted" : "turn failed"),
    },
  });
  return { state: { ...s, outcome: interrupted ? "interrupted" : "failed" }, events };
};

/** One notification of the turn (already routed to its thread and turn). Never throws. */
export const translate = (s: TurnTranslation, n: ServerNote): Translated => {
  switch (n.method) {
    case "turn/started":
      return { state: s, events: [{ type: "turn.started", ...turnIdField(s) }] };
    case "item/started":
      return item(s, "item.started", n.params.item);
    case "item/completed":
      return item(s, "item.completed", n.params.item);
    case "turn/plan/updated": {
      if (s.plan === null) {
        const [next, id] = newItemId(s);
        const plan = { id, steps: n.params.plan };
        return {
          state: { ...next, plan },
          events: [{ type: "item.started", item: todoItem(id, plan.steps) }],
        };
      }
      const plan = { id: s.plan.id, steps: n.params.plan };
      return {
        state: { ...s, plan },
        events: [{ type: "item.updated", item: todoItem(plan.id, plan.steps) }],
      };
    }
    case "thread/tokenUsage/updated":
      return { state: { ...s, usage: usageFromBreakdown(n.params.tokenUsage.total) }, events: [] };
    case "error":
      return {
        state: n.params.willRetry ? s : { ...s, lastError: n.params.error.message },
        events: [{ type: "error", message: n.params.error.message }],
      };
    case "warning": {
      const [next, id] = newItemId(s);
      return {
        state: next,
        events: [
          { type: "item.completed", item: { id, type: "error", message: n.params.message } },
        ],
      };
    }
    case "turn/completed":
      return finish(s, n.params.turn.status, n.params.turn.error?.message ?? null);
    default:
      return { state: s, events: [] };
  }
};

/** The turn id a notification belongs to, when it names one. */
export const turnIdOfNote = (n: ServerNote): string | null => {
  switch (n.method) {
    case "turn/started":
    case "turn/completed":
      return n.params.turn.id;
    default: {
      const p: unknown = n.params;
      return isRecord(p) && typeof p["turnId"] === "string" ? p["turnId"] : null;
    }
  }
};
