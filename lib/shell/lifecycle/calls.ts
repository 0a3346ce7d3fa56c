/**
 * The lifecycle calls on a thread id: archive, unarchive, delete (app-server or CLI) and list,
 * read, name (app-server only; `Unsupported` otherwise). Each reads its deps once
 * (`./deps.ts`), decodes its other arguments once (bounded by `deps.limits`), and uses only
 * what it decoded.
 */
import { errAsync, type ResultAsync } from "neverthrow";
import { unsupported, type TransportError } from "../../core/errors/index.js";
import {
  archiveOnServer,
  deleteOnServer,
  listOnServer,
  nameOnServer,
  readOnServer,
  unarchiveOnServer,
} from "../app-server/lifecycle.js";
import type { Link } from "../app-server/link.js";
import type { ThreadPage, ThreadRecord } from "../app-server/summary.js";
import { cliThreadCommand } from "./cli.js";
import { takeLifecycleDeps, type TakenDeps } from "./deps.js";
import { invalid, ListQueryCodec, ReadOptionsCodec, ThreadName, threadIdOf } from "./inputs.js";
import { NO_SERVER, observed, routeOf, type Op } from "./route.js";
import type { LifecycleDeps, LifecycleError, ListThreadsQuery, ReadOptions } from "./types.js";

/** A call on one thread id: a request on the app-server, or the CLI `command`. */
export const simple =
  (
    op: Op,
    command: "archive" | "unarchive" | "delete",
    onServer: (link: Link, id: string) => ResultAsync<void, TransportError>,
  ) =>
  (threadId: string, deps: LifecycleDeps = {}): ResultAsync<void, LifecycleError> => {
    const taken = takeLifecycleDeps(deps);
    if (taken.isErr()) return errAsync(taken.error);
    const d = taken.value;
    const id = threadIdOf(threadId, "threadId", d.limits);
    if (id.isErr()) return errAsync(id.error);
    return observed(op, id.value, d, () =>
      routeOf(d).asyncAndThen((route): ResultAsync<void, LifecycleError> =>
        route.kind === "app-server"
          ? onServer(route.link, id.value)
          : route.kind === "other"
            ? errAsync(unsupported(`${command}Thread`, route.name, NO_SERVER))
            : cliThreadCommand(command, id.value, route.options, d),
      ),
    );
  };

/** Archives a thread: it leaves `listThreads()` and shows in `listThreads({ archived: true })`. */
export const archiveThread = simple("codex.thread.archive", "archive", archiveOnServer);

/** Brings an archived thread back. */
export const unarchiveThread = simple("codex.thread.unarchive", "unarchive", unarchiveOnServer);

/** Deletes a thread for good (a thread whose forks still reference it cannot be deleted). */
export const deleteThread = simple("codex.thread.delete", "delete", deleteOnServer);

/** Runs `run` on the app-server; `Unsupported` on any other route. */
export const serverOnly = <A>(
  operation: string,
  deps: TakenDeps,
  run: (link: Link) => ResultAsync<A, TransportError>,
): ResultAsync<A, LifecycleError> =>
  routeOf(deps).asyncAndThen((route): ResultAsync<A, LifecycleError> =>
    route.kind === "app-server"
      ? run(route.link)
      : errAsync(
          unsupported(
            operation,
            route.kind === "exec" ? "exec" : route.name,
            route.kind === "exec"
              ? "the codex CLI has no command for it; open an app-server (openAppServer) or read the session store (listSessions)"
              : NO_SERVER,
          ),
        ),
  );

/** One page of stored threads, newest first, and the cursor of the next. App-server only. */
export const listThreads = (
  query: ListThreadsQuery = {},
  deps: LifecycleDeps = {},
): ResultAsync<ThreadPage, LifecycleError> => {
  const taken = takeLifecycleDeps(deps);
  if (taken.isErr()) return errAsync(taken.error);
  const d = taken.value;
  const q = invalid(ListQueryCodec, query ?? {}, "query", "invalid list query", d.limits);
  if (q.isErr()) return errAsync(q.error);
  return observed("codex.thread.list", null, d, () =>
    serverOnly("listThreads", d, (link) => listOnServer(link, q.value)),
  );
};

/** A stored thread (and its turns with `includeTurns`). App-server only. */
export const readThread = (
  threadId: string,
  options: ReadOptions = {},
  deps: LifecycleDeps = {},
): ResultAsync<ThreadRecord, LifecycleError> => {
  const taken = takeLifecycleDeps(deps);
  if (taken.isErr()) return errAsync(taken.error);
  const d = taken.value;
  const id = threadIdOf(threadId, "threadId", d.limits);
  if (id.isErr()) return errAsync(id.error);
  const o = invalid(ReadOptionsCodec, options ?? {}, "options", "invalid read options", d.limits);
  if (o.isErr()) return errAsync(o.error);
  return observed("codex.thread.read", id.value, d, () =>
    serverOnly("readThread", d, (link) =>
      readOnServer(link, id.value, o.value.includeTurns === true),
    ),
  );
};

/** Names a thread (what `listThreads` shows as `name`). App-server only. */
export const setThreadName = (
  threadId: string,
  name: string,
  deps: LifecycleDeps = {},
): ResultAsync<void, LifecycleError> => {
  const taken = takeLifecycleDeps(deps);
  if (taken.isErr()) return errAsync(taken.error);
  const d = taken.value;
  const id = threadIdOf(threadId, "threadId", d.limits);
  if (id.isErr()) return errAsync(id.error);
  const n = invalid(ThreadName, name, "name", "invalid thread name", d.limits);
  if (n.isErr()) return errAsync(n.error);
  return observed("codex.thread.name", id.value, d, () =>
    serverOnly("setThreadName", d, (link) => nameOnServer(link, id.value, n.value)),
  );
};
