/**
 * What the library takes from the app-server protocol: the definitions it decodes at run time
 * (codecs, with everything they refer to) and the ones it only builds or reads as types. The
 * rest of the schema is not emitted. A library module that needs another generated name fails
 * to compile until it is added here and `npm run codegen` is re-run.
 */

/** Which definitions get codecs, which get types only, and which method tables are emitted. */
export interface Selection {
  /** Definitions decoded at run time (`Name` or `v2/Name`): each gets a codec. */
  readonly codecs: readonly string[];
  /** Definitions used as types only: each gets an interface or type alias. */
  readonly types: readonly string[];
  /** Per method-tagged union, the methods whose params are decoded: a codec table. */
  readonly decodedParams: { readonly [union: string]: readonly string[] };
  /** Per method-tagged union, the methods whose params are built: a type table. */
  readonly typedParams: { readonly [union: string]: readonly string[] };
}

/** The requests codex-fp sends (lib/shell/app-server/protocol.ts answers them). */
const REQUESTS = [
  "initialize",
  "thread/start",
  "thread/resume",
  "thread/fork",
  "thread/archive",
  "thread/unarchive",
  "thread/delete",
  "thread/list",
  "thread/read",
  "thread/name/set",
  "turn/start",
  "turn/interrupt",
];

/** The selection for lib/generated/app-server. */
export const LIBRARY_SELECTION: Selection = {
  codecs: [
    // rpc.ts tells the messages apart.
    "JSONRPCError",
    "JSONRPCNotification",
    "JSONRPCRequest",
    "JSONRPCResponse",
    // protocol.ts decodes the result of each request it sends.
    "InitializeResponse",
    "v2/ThreadStartResponse",
    "v2/ThreadResumeResponse",
    "v2/ThreadForkResponse",
    "v2/ThreadArchiveResponse",
    "v2/ThreadUnarchiveResponse",
    "v2/ThreadDeleteResponse",
    "v2/ThreadListResponse",
    "v2/ThreadReadResponse",
    "v2/ThreadSetNameResponse",
    "v2/TurnStartResponse",
    "v2/TurnInterruptResponse",
  ],
  types: [
    // rpc.ts answers the server's approval requests.
    "ApplyPatchApprovalResponse",
    "ExecCommandApprovalResponse",
    "CommandExecutionRequestApprovalResponse",
    "FileChangeRequestApprovalResponse",
  ],
  decodedParams: {
    // The notifications link.ts and events.ts act on; others are ignored undecoded.
    ServerNotification: [
      "error",
      "warning",
      "thread/started",
      "thread/status/changed",
      "thread/closed",
      "thread/deleted",
      "thread/archived",
      "thread/tokenUsage/updated",
      "turn/started",
      "turn/completed",
      "turn/plan/updated",
      "item/started",
      "item/completed",
    ],
  },
  typedParams: { ClientRequest: REQUESTS },
};
