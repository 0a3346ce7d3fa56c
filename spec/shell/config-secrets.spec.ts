/**
 * Secrets of `config` with the real CLI and the loopback stub (issue #12.3): the CLI receives
 * every value (the stub checks the bearer and header it gets), no process on the machine holds
 * one in its command line while the turn runs, and a key the server echoes (401 body, 403 text
 * body, model reply) is redacted over app-server as over exec: in the error, the streamed
 * events and the telemetry. Also the TOML round trip through the real CLI (issue #13.7).
 */
import { readdirSync, readFileSync } from "node:fs";
import { inspect } from "node:util";

import { serializeThread } from "../../lib/core/serialize.js";
import type { ThreadEvent } from "../../lib/core/events.js";
import { recordingSink } from "../../lib/core/telemetry.js";
import { startThread, type Thread } from "../../lib/core/thread.js";
import { openAppServer } from "../../lib/shell/app-server/open.js";
import { runStreamed, type RunDeps } from "../../lib/shell/run.js";
import type { StubReply, StubRequest, StubScript } from "../../lib/testing/model-stub.js";
import { defaultScript } from "../../lib/testing/model-stub.js";
import { FEW_RETRIES, deepMerge, withStubEnv, type StubEnv } from "../support/run-env.js";

jest.setTimeout(120_000);

const BEARER = "tok-Bearer-Cfg7mQ2xZ9pL4vR1";
const HEADER = "hdr-Value-Cfg3wN6yT0cB5jH8";
const KEYS = [BEARER, HEADER];

/** The command lines of every process on the machine, read now from /proc. */
const allCmdlines = (): string[] =>
  readdirSync("/proc")
    .filter((d) => /^\d+$/.test(d))
    .map((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\u0000").join(" ");
      } catch {
        return ""; // gone, or not ours to read
      }
    })
    .filter((c) => c.length > 0);

/** The config that gives the stub provider a bearer token and a header, both secrets. */
const secretConfig = (env: StubEnv) =>
  deepMerge(env.stub.providerConfig(), {
    ...FEW_RETRIES,
    model_providers: {
      stub: {
        request_max_retries: 1,
        stream_max_retries: 0,
        experimental_bearer_token: BEARER,
        http_headers: { "X-Team-Auth": HEADER },
      },
    },
  });

/** A thread on the stub whose only credentials are the config's secrets (no apiKey). */
const secretThread = (env: StubEnv): Thread =>
  startThread(
    { env: env.env, config: secretConfig(env) },
    { skipGitRepoCheck: true, workingDirectory: env.sandbox.cwd },
  )._unsafeUnwrap();

const runOnce = async (thread: Thread, deps: RunDeps) => {
  const telemetry = recordingSink();
  const streamed = runStreamed(thread, "hello", {}, { sink: telemetry.sink, ...deps });
  const events: ThreadEvent[] = [];
  for await (const e of streamed.events) events.push(e);
  return { result: await streamed.outcome, events, telemetry: telemetry.events };
};

const expectNoKey = (what: string, value: unknown): void => {
  const text = [JSON.stringify(value) ?? "", inspect(value, { depth: Infinity })].join("\n");
  expect({ what, leaked: KEYS.filter((k) => text.includes(k)) }).toEqual({ what, leaked: [] });
};

/** A script that answers like the default one and snapshots every cmdline on each request. */
const snapshotting =
  (seen: string[][], reply: (req: StubRequest) => StubReply = defaultScript): StubScript =>
  (req) => {
    seen.push(allCmdlines());
    return reply(req);
  };

describe("config secrets reach the real CLI through its environment, never argv", () => {
  it("exec: the stub gets the bearer token and the header; no cmdline holds them", async () => {
    const seen: string[][] = [];
    await withStubEnv(snapshotting(seen), async (env) => {
      const { result } = await runOnce(secretThread(env), { observe: false });
      expect(result.isOk()).toBe(true);
      const req = env.stub.requests[0];
      expect(req?.headers["authorization"]).toBe(`Bearer ${BEARER}`);
      expect(req?.headers["x-team-auth"]).toBe(HEADER);
    });
    expect(seen.length).toBeGreaterThan(0);
    // The CLI was running (its cmdline is there), and no process showed a secret.
    expect(seen[0]!.some((c) => c.includes("--experimental-json"))).toBe(true);
    for (const snapshot of seen)
      for (const c of snapshot) for (const k of KEYS) expect(c).not.toContain(k);
  });

  it("app-server: the same, for the server's own config", async () => {
    const seen: string[][] = [];
    await withStubEnv(snapshotting(seen), async (env) => {
      const server = (
        await openAppServer({ env: env.env, config: secretConfig(env) })
      )._unsafeUnwrap();
      try {
        const { result } = await runOnce(secretThread(env), {
          observe: false,
          transport: server.transport,
        });
        expect(result.isErr() ? result.error : "ok").toBe("ok");
        const req = env.stub.requests[0];
        expect(req?.headers["authorization"]).toBe(`Bearer ${BEARER}`);
        expect(req?.headers["x-team-auth"]).toBe(HEADER);
      } finally {
        await server.close();
      }
    });
    expect(seen[0]!.some((c) => c.includes("app-server"))).toBe(true);
    for (const snapshot of seen)
      for (const c of snapshot) for (const k of KEYS) expect(c).not.toContain(k);
  });
});

/** Replies that echo the key back, as some servers and proxies do. */
const ECHOES: [string, StubScript][] = [
  [
    "a 401 body repeating the Authorization header",
    (req) => ({
      kind: "status",
      status: 401,
      body: JSON.stringify({
        error: { message: `Invalid auth header: ${req.headers["authorization"] ?? ""}` },
      }),
    }),
  ],
  [
    "a 403 text body",
    (req) => ({
      kind: "status",
      status: 403,
      body: `forbidden for ${req.headers["x-team-auth"] ?? ""}`,
    }),
  ],
  ["a model reply holding the key", () => ({ kind: "text", text: `your token is ${BEARER}` })],
];

describe("a key the server echoes is redacted on every transport", () => {
  for (const transport of ["exec", "app-server"] as const)
    it.each(ECHOES)(`${transport}: %s`, async (_what, script) => {
      await withStubEnv(script, async (env) => {
        const server =
          transport === "app-server"
            ? (await openAppServer({ env: env.env, config: secretConfig(env) }))._unsafeUnwrap()
            : null;
        try {
          const { result, events, telemetry } = await runOnce(secretThread(env), {
            observe: false,
            ...(server !== null ? { transport: server.transport } : {}),
          });
          expect(env.stub.requests.length).toBeGreaterThan(0);
          expectNoKey("the result", result);
          expectNoKey("the events", events);
          expectNoKey("the telemetry", telemetry);
          expectNoKey(
            "the thread",
            result.isOk() ? serializeThread(result.value.thread)._unsafeUnwrap() : "",
          );
          expect(JSON.stringify([result, events])).toContain("[redacted]");
        } finally {
          await server?.close();
        }
      });
    });
});

describe("TOML values through the real CLI (issue #13.7)", () => {
  it("a model name with U+007F, quotes, backslashes and control characters arrives intact", async () => {
    const model = 'm\u007f"q\\b\u0001\t\u00e9\u{1F600}';
    await withStubEnv(undefined, async (env) => {
      const thread = startThread(
        { ...env.codexOptions(), config: deepMerge(env.stub.providerConfig(), { model }) },
        { skipGitRepoCheck: true, workingDirectory: env.sandbox.cwd },
      )._unsafeUnwrap();
      const { result } = await runOnce(thread, { observe: false });
      expect(result.isOk()).toBe(true);
      expect((env.stub.requests[0]?.body as { model?: unknown }).model).toBe(model);
    });
  });
});
