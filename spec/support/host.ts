/**
 * A host process for the host-death specs (run with `node --import tsx`): it starts a CLI
 * child the way a user would — a turn over `exec` or `app-server` whose agent runs
 * `$HOST_COMMAND` under danger-full-access, or a lifecycle call (`archiveThread`) on the
 * binary `$HOST_CODEX` — prints "ready" once the child (and the agent's command) runs, then
 * dies the way `$HOST_DEATH` says: `exit` (process.exit(3)), `throw` (an uncaught exception),
 * or a signal the spec sends (SIGINT, SIGTERM, SIGHUP), with no handler of its own.
 */
import { existsSync } from "node:fs";
import { archiveThread } from "../../lib/shell/lifecycle.js";
import { openAppServer } from "../../lib/shell/app-server/open.js";
import { descendantsOf } from "../../lib/shell/process/procfs.js";
import { runTurn } from "../../lib/shell/run.js";
import { startThread } from "../../lib/core/thread.js";
import { readFileSync } from "node:fs";

const env = (name: string): string => {
  const v = process.env[name];
  if (v === undefined) throw new Error(`${name} is not set`);
  return v;
};
const kind = env("HOST_KIND"); // exec | app-server | lifecycle
const death = env("HOST_DEATH");
const options = JSON.parse(env("HOST_OPTIONS")) as Record<string, unknown>;

const commOf = (pid: number): string => {
  try {
    return readFileSync(`/proc/${pid}/comm`, "utf8").trim();
  } catch {
    return "";
  }
};
const ready = (): boolean =>
  kind === "lifecycle"
    ? existsSync(env("HOST_PID_FILE"))
    : descendantsOf(process.pid).some((e) => commOf(e.pid) === "sleep");

const start = async (): Promise<void> => {
  if (kind === "lifecycle") {
    void archiveThread("01a20fa5-0000-7000-8000-000000000000", {
      codexOptions: options,
      codexPath: env("HOST_CODEX"),
    });
    return;
  }
  const thread = startThread(options, {
    skipGitRepoCheck: true,
    workingDirectory: env("HOST_CWD"),
    sandboxMode: "danger-full-access",
    approvalPolicy: "never",
  })._unsafeUnwrap();
  const input = `run: ${env("HOST_COMMAND")}`;
  if (kind === "exec") void runTurn(thread, input, {}, { observe: false });
  else {
    const server = (await openAppServer(options))._unsafeUnwrap();
    void runTurn(thread, input, {}, { observe: false, transport: server.transport });
  }
};

await start();
const timer = setInterval(() => {
  if (!ready()) return;
  clearInterval(timer);
  process.stdout.write("ready\n");
  if (death === "exit") process.exit(3);
  if (death === "throw")
    setImmediate(() => {
      throw new Error("the host died of an uncaught exception");
    });
  else setInterval(() => undefined, 1_000); // wait for the spec's signal
}, 20);
