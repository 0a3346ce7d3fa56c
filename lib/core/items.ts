/**
 * Item codecs: what an agent produced in a turn, as the CLI prints it in `item.*` events.
 * The recordings are the truth (`exit_code` is null while a command runs). Objects are open:
 * fields a newer CLI adds are kept. An item of a type we do not know is kept as data.
 */
import * as t from "io-ts";
import { open } from "./decoding/decode.js";

const id = t.string;
const nullable = <C extends t.Mixed>(c: C) => t.union([c, t.null]);

/** Codec of an assistant message. */
export const AgentMessageItem = t.type({ id, type: t.literal("agent_message"), text: t.string });
/** Codec of the agent's reasoning summary. */
export const ReasoningItem = t.type({ id, type: t.literal("reasoning"), text: t.string });
/** Codec of a command the agent ran (`status`: in_progress, completed, failed, declined …). */
export const CommandExecutionItem = open(
  "CommandExecutionItem",
  {
    id,
    type: t.literal("command_execution"),
    command: t.string,
    aggregated_output: t.string,
    status: t.string,
  },
  { exit_code: nullable(t.number) },
);
/** Codec of one file changed by a patch. */
export const FileUpdateChange = t.type({ path: t.string, kind: t.string });
/** Codec of a patch the agent applied. */
export const FileChangeItem = t.type({
  id,
  type: t.literal("file_change"),
  changes: t.array(FileUpdateChange),
  status: t.string,
});
/** Codec of an MCP tool call. */
export const McpToolCallItem = open(
  "McpToolCallItem",
  {
    id,
    type: t.literal("mcp_tool_call"),
    server: t.string,
    tool: t.string,
    status: t.string,
  },
  {
    arguments: t.unknown,
    result: nullable(t.partial({ content: t.array(t.unknown), structured_content: t.unknown })),
    error: nullable(t.type({ message: t.string })),
  },
);
/** Codec of a web search. */
export const WebSearchItem = t.type({ id, type: t.literal("web_search"), query: t.string });
/** Codec of the agent's to-do list. */
export const TodoListItem = t.type({
  id,
  type: t.literal("todo_list"),
  items: t.array(t.type({ text: t.string, completed: t.boolean })),
});
/** Codec of a non-fatal error notice shown as an item. */
export const ErrorItem = t.type({ id, type: t.literal("error"), message: t.string });

/** The item codecs by their `type`. */
export const knownItemCodecs = {
  agent_message: AgentMessageItem,
  reasoning: ReasoningItem,
  command_execution: CommandExecutionItem,
  file_change: FileChangeItem,
  mcp_tool_call: McpToolCallItem,
  web_search: WebSearchItem,
  todo_list: TodoListItem,
  error: ErrorItem,
} as const;

/** Codec of an item of a type this release does not know: kept whole, reported by telemetry. */
export const UnknownItem = t.type({
  id: t.string,
  type: t.literal("unknown"),
  itemType: t.string,
  payload: t.UnknownRecord,
});

/** Codec of any item. */
export const ThreadItem = t.union([
  AgentMessageItem,
  ReasoningItem,
  CommandExecutionItem,
  FileChangeItem,
  McpToolCallItem,
  WebSearchItem,
  TodoListItem,
  ErrorItem,
  UnknownItem,
]);
/** An item of a turn. */
export type ThreadItem = t.TypeOf<typeof ThreadItem>;
/** An assistant message item. */
export type AgentMessageItem = t.TypeOf<typeof AgentMessageItem>;
/** A command execution item. */
export type CommandExecutionItem = t.TypeOf<typeof CommandExecutionItem>;
