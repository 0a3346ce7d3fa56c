/**
 * The packed tarball works in an empty project: `npm pack` (its `prepare` builds dist/), then
 * `npm install <tarball>` in a fresh temp project (from the npm cache where it can), then ESM
 * imports of every entry point, `require()`, and TypeScript's NodeNext resolution of the types.
 * Slow (a build and an install): minutes, not seconds.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";

import {
  copyPackages,
  files,
  nodeScript,
  ok,
  pack,
  run,
  version,
  type PackResult,
  type Ran,
} from "./support/consumer.js";

const ROOT = process.cwd();
const TSC = join(ROOT, "node_modules", ".bin", "tsc");
/** The packed size (gzip) this package should stay under; today it is about half of it. */
const PACKED_BUDGET = 1_500_000;

jest.setTimeout(15 * 60_000);

/** The subpaths beside the root and testing, and one runtime export (a function) of each. */
const SUBPATHS = ["codecs", "sessions", "app-server", "advanced", "otel", "fleet"] as const;
const PROBE: Record<(typeof SUBPATHS)[number], string> = {
  codecs: "decodeEventLine",
  sessions: "listSessions",
  "app-server": "openAppServer",
  advanced: "foldTurn",
  otel: "otelSink",
  fleet: "openFleet",
};
/** The optional peers of codex-fp/otel and codex-fp/fleet, copied from this repository. */
const PEERS = ["bullmq", "ioredis"] as const;

let work = "";
let project = "";
let packed: PackResult;
let copied: readonly string[] = [];

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), "codex-fp-pack-"));
  project = join(work, "consumer");
  mkdirSync(project);
  packed = pack(ROOT, work);

  writeFileSync(
    join(project, "package.json"),
    JSON.stringify({ name: "consumer", version: "1.0.0", private: true, type: "module" }),
  );
  ok(
    run(
      "npm",
      [
        "install",
        "--prefer-offline",
        "--no-audit",
        "--no-fund",
        join(work, packed.filename),
        // The optional peer, for codex-fp/otel: the version this repo tests with.
        `@opentelemetry/api@${version(ROOT, "@opentelemetry/api")}`,
      ],
      project,
    ),
    "npm install",
  );
  // The fleet's peers (and what they need), offline: the versions this repo tests with.
  copied = copyPackages(ROOT, PEERS, project);
});
afterAll(() => {
  if (work !== "") rmSync(work, { recursive: true, force: true });
});

/**
 * For a types check: each subpath's probe imported and, marked `@ts-expect-error`, taken for a
 * string, so a subpath whose types are missing or `any` fails the check.
 */
const notStrings = (): string =>
  SUBPATHS.map(
    (p, i) => `import { ${PROBE[p]} as probe${i} } from "codex-fp/${p}";
// @ts-expect-error codex-fp/${p}: a function is not a string
export const notString${i}: string = probe${i};`,
  ).join("\n");

/** Writes `source` to `name` in the consumer project and runs it with node. */
const node = (name: string, source: string, timeoutMs?: number): Ran =>
  nodeScript(project, name, source, timeoutMs);

describe("the tarball", () => {
  it("ships dist/, README and the guides, and no sources, specs, golden data or API HTML", () => {
    const paths = packed.files.map((f) => f.path);
    for (const must of [
      "package.json",
      "README.md",
      "dist/index.js",
      "dist/index.d.ts",
      "dist/testing/index.js",
      "dist/testing/index.d.ts",
      ...SUBPATHS.flatMap((p) => [`dist/${p}/index.js`, `dist/${p}/index.d.ts`]),
    ])
      expect(paths).toContain(must);
    expect(paths.filter((p) => p.startsWith("docs/"))).not.toHaveLength(0);
    const stray = paths.filter(
      (p) =>
        /^(lib|spec|golden|scripts|bench|examples|node_modules|coverage|docs\/api|docs\/notes)\//.test(
          p,
        ) || /\.(tgz|log)$/.test(p),
    );
    expect(stray).toEqual([]);
  });

  it("holds every file package.json exports", () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as {
      exports: Record<string, string | Record<string, string>>;
    };
    const paths = new Set(packed.files.map((f) => f.path));
    const targets = Object.values(pkg.exports).flatMap((t) =>
      typeof t === "string" ? [t] : Object.values(t),
    );
    expect(targets.length).toBeGreaterThan(6);
    for (const t of targets) expect([t, paths.has(t.replace(/^\.\//, ""))]).toEqual([t, true]);
  });

  it(`stays under ${PACKED_BUDGET} bytes packed`, () => {
    expect(packed.size).toBeGreaterThan(0);
    expect(packed.size).toBeLessThan(PACKED_BUDGET);
  });
});

describe("installed in an empty project", () => {
  it("runs an ESM script importing codex-fp", () => {
    const r = node(
      "esm.mjs",
      `import { startThread } from "codex-fp";
import { decodeEventLine } from "codex-fp/codecs";
const thread = startThread({}, { model: "gpt-5" });
const bad = startThread({}, { sandboxMode: "readonly" });
const event = decodeEventLine('{"type":"thread.started","thread_id":"01a20fb5-32b6-73c3-8683-50ee63f5dba7"}');
const junk = decodeEventLine("not json");
console.log(JSON.stringify({
  ok: thread.isOk(),
  threadId: thread.isOk() ? thread.value.threadId : "?",
  model: thread.isOk() ? thread.value.threadOptions.model : "?",
  badTag: bad.isErr() ? bad.error._tag : "?",
  event: event.isOk() ? event.value : "?",
  junk: junk.isErr(),
}));
`,
    );
    expect(JSON.parse(ok(r, "esm.mjs"))).toEqual({
      ok: true,
      threadId: null,
      model: "gpt-5",
      badTag: "InvalidOptions",
      event: { type: "thread.started", thread_id: "01a20fb5-32b6-73c3-8683-50ee63f5dba7" },
      junk: true,
    });
  });

  it("imports every subpath as ESM", () => {
    const r = node(
      "subpaths.mjs",
      SUBPATHS.map((p, i) => `import * as m${i} from "codex-fp/${p}";`).join("\n") +
        `\nconsole.log(JSON.stringify([${SUBPATHS.map((p, i) => `typeof m${i}.${PROBE[p]}`).join(", ")}]));\n`,
    );
    expect(JSON.parse(ok(r, "subpaths.mjs"))).toEqual(SUBPATHS.map(() => "function"));
  });

  it("has the fleet's peers, copied from this repository with what they need", () => {
    expect(copied).toEqual(expect.arrayContaining([...PEERS]));
    for (const p of PEERS) expect(version(project, p)).toBe(version(ROOT, p));
  });

  it("runs codex-fp/fleet with its peers: typed errors for bad options and a dead Redis", () => {
    const r = node(
      "fleet.mjs",
      `import { openFleet, FLEET_ERROR_TAGS } from "codex-fp/fleet";
const bad = await openFleet({ connection: { host: "127.0.0.1" } });
const dead = await openFleet({ connection: { host: "127.0.0.1", port: 1 } });
console.log(JSON.stringify({
  bad: bad.isErr() ? bad.error._tag : "Ok",
  dead: dead.isErr() ? dead.error._tag : "Ok",
  tags: FLEET_ERROR_TAGS.includes("RedisUnavailable"),
}));
`,
      60_000,
    );
    expect(JSON.parse(ok(r, "fleet.mjs"))).toEqual({
      bad: "InvalidFleetOptions",
      dead: "RedisUnavailable",
      tags: true,
    });
  });

  it("runs codex-fp/testing: the model stub listens and closes", () => {
    const r = node(
      "testing.mjs",
      `import { startModelStub, makeSandbox } from "codex-fp/testing";
const stub = await startModelStub();
console.log(JSON.stringify({ url: stub.baseUrl, sandbox: typeof makeSandbox }));
await stub.close();
`,
    );
    const out = JSON.parse(ok(r, "testing.mjs")) as { url: string; sandbox: string };
    expect(out.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1$/);
    expect(out.sandbox).toBe("function");
  });

  it("runs codex-fp/otel with the optional peer installed", () => {
    const r = node(
      "otel.mjs",
      `import { trace } from "@opentelemetry/api";
import { otelSink, turnSpanName } from "codex-fp/otel";
const sink = otelSink({ tracer: trace.getTracer("consumer") });
sink({ name: "codex.turn.start", timestamp: null, threadId: null, transport: "exec", resumed: false, model: null });
console.log(turnSpanName(), typeof sink);
`,
    );
    expect(ok(r, "otel.mjs").trim()).toBe("invoke_agent codex function");
  });

  it("runs a turn over exec and one over openAppServer (its lazily loaded chunk), on the stub", () => {
    const r = node(
      "turns.mjs",
      `import { startThread, runTurn } from "codex-fp";
import { openAppServer } from "codex-fp/app-server";
import { startModelStub, makeSandbox } from "codex-fp/testing";
const stub = await startModelStub();
const sandbox = await makeSandbox();
const codexOptions = {
  apiKey: "stub-key-not-secret",
  config: stub.providerConfig(),
  env: { PATH: process.env.PATH ?? "", HOME: sandbox.cwd, CODEX_HOME: sandbox.codexHome },
};
const threadOptions = { skipGitRepoCheck: true, workingDirectory: sandbox.cwd };
const answer = async (deps) => {
  const thread = startThread(codexOptions, threadOptions);
  if (thread.isErr()) return thread.error._tag;
  const turn = await runTurn(thread.value, "Say hello", {}, deps);
  return turn.isOk() ? turn.value.turn.finalResponse.length > 0 : turn.error._tag;
};
const overExec = await answer({});
const server = await openAppServer(codexOptions);
const overAppServer = server.isOk() ? await answer({ transport: server.value.transport }) : server.error._tag;
if (server.isOk()) await server.value.close();
await stub.close();
await sandbox.dispose();
console.log(JSON.stringify({ overExec, overAppServer }));
`,
    );
    expect(JSON.parse(ok(r, "turns.mjs"))).toEqual({ overExec: true, overAppServer: true });
  });

  it("loads @opentelemetry/api only from codex-fp/otel", () => {
    const dist = join(project, "node_modules", "codex-fp", "dist");
    const using = files(dist)
      .filter((f) => f.endsWith(".js") || f.endsWith(".d.ts"))
      .filter((f) => readFileSync(f, "utf8").includes("@opentelemetry/api"))
      .map((f) => relative(dist, f));
    expect(using.length).toBeGreaterThan(0);
    expect(using.filter((f) => !f.startsWith("otel/"))).toEqual([]);
  });

  it("loads bullmq and ioredis only from codex-fp/fleet", () => {
    const dist = join(project, "node_modules", "codex-fp", "dist");
    const using = files(dist)
      .filter((f) => f.endsWith(".js"))
      .filter((f) => /from "(bullmq|ioredis)"/.test(readFileSync(f, "utf8")))
      .map((f) => relative(dist, f));
    expect(using.length).toBeGreaterThan(0);
    expect(using.filter((f) => !f.startsWith("fleet/"))).toEqual([]);
  });

  it("loads the root from at most three files, none holding the generated app-server codecs", () => {
    const dist = join(project, "node_modules", "codex-fp", "dist");
    // The files `import "codex-fp"` evaluates: dist/index.js and its static relative imports.
    const loaded = new Set<string>();
    const todo = [join(dist, "index.js")];
    for (let f = todo.pop(); f !== undefined; f = todo.pop()) {
      if (loaded.has(f)) continue;
      loaded.add(f);
      for (const m of readFileSync(f, "utf8").matchAll(/^(?:import|export)[^;]*?"(\.[^"]+)";/gms))
        if (m[1] !== undefined) todo.push(join(f, "..", m[1]));
    }
    const sources = [...loaded].map((f) => readFileSync(f, "utf8"));
    // Each bundled module starts with a `// lib/…` comment: the root's graph is really there.
    expect(sources.join("").match(/^\/\/ lib\//gm)?.length ?? 0).toBeGreaterThan(40);
    expect(sources.filter((s) => s.includes("// lib/generated/"))).toEqual([]);
    expect(loaded.size).toBeLessThanOrEqual(3);
    // The generated codecs are shipped, in a chunk only `openAppServer` imports (dynamically).
    const all = files(dist).filter((f) => f.endsWith(".js"));
    const generated = all.filter((f) => readFileSync(f, "utf8").includes("// lib/generated/"));
    expect(generated).toHaveLength(1);
  });

  it("resolves the types with TypeScript's NodeNext resolution, from ESM and CJS files", () => {
    writeFileSync(
      join(project, "check.ts"),
      `import { startThread, type Thread, type TurnError } from "codex-fp";
import { decodeEventLine } from "codex-fp/codecs";
import { listSessions, type SessionListing } from "codex-fp/sessions";
import { openAppServer, type AppServer } from "codex-fp/app-server";
import { foldTurn, type Transport } from "codex-fp/advanced";
import { startModelStub, type ModelStub } from "codex-fp/testing";
import { otelSink, type OtelSinkOptions } from "codex-fp/otel";
import { openFleet, type Fleet, type FleetError } from "codex-fp/fleet";

const thread = startThread({}, { model: "gpt-5" });
export const id: string | null = thread.isOk() ? thread.value.threadId : null;
export const t: Thread | null = thread.isOk() ? thread.value : null;
export const tag: TurnError["_tag"] | null = null;
export const stub: Promise<ModelStub> = startModelStub();
export const sink: (o: OtelSinkOptions) => unknown = otelSink;
export const subpaths = [listSessions, openAppServer, foldTurn] as const;
export type Subpaths = [SessionListing, AppServer, Transport, Fleet, FleetError];
export const fleet = openFleet({ connection: { host: "127.0.0.1", port: 6379 } });
const e = decodeEventLine("{}");
// Real types, not \`any\`: each of these must be an error.
// @ts-expect-error a Result is not a string
export const notString: string = e;
// @ts-expect-error not an export
export { nothing } from "codex-fp";
// @ts-expect-error a port is a number
openFleet({ connection: { host: "127.0.0.1", port: "6379" } });
${notStrings()}
`,
    );
    writeFileSync(
      join(project, "check-cjs.cts"),
      `import { startThread } from "codex-fp";
import { startModelStub } from "codex-fp/testing";
import { decodeEventLine } from "codex-fp/codecs";
import { listSessions } from "codex-fp/sessions";
import { openAppServer } from "codex-fp/app-server";
import { foldTurn } from "codex-fp/advanced";
export const subpaths = [decodeEventLine, listSessions, openAppServer, foldTurn] as const;
export const ok: boolean = startThread().isOk();
export const start: typeof startModelStub = startModelStub;
${notStrings()}
`,
    );
    writeFileSync(
      join(project, "tsconfig.json"),
      JSON.stringify({
        compilerOptions: {
          target: "ES2022",
          lib: ["ES2022"],
          module: "NodeNext",
          moduleResolution: "NodeNext",
          strict: true,
          noEmit: true,
          skipLibCheck: false,
          types: ["node"],
          // @types/node is not a dependency of codex-fp: borrow this repo's.
          typeRoots: [join(ROOT, "node_modules", "@types")],
        },
        files: ["check.ts", "check-cjs.cts"],
      }),
    );
    expect(existsSync(TSC)).toBe(true);
    const r = run(TSC, ["--noEmit", "-p", "tsconfig.json"], project);
    expect(`${r.stdout}${r.stderr}`).toBe("");
    expect(r.status).toBe(0);
  });

  it("works from require() where Node can require ES modules (Node ≥ 20.19, ≥ 22.12)", () => {
    const r = node(
      "cjs.cjs",
      `const { startThread } = require("codex-fp");
const { startModelStub } = require("codex-fp/testing");
const probes = ${JSON.stringify(PROBE)};
const subpaths = Object.entries(probes).map(([p, f]) => typeof require("codex-fp/" + p)[f]);
console.log(startThread().isOk(), typeof startModelStub, subpaths.join(","));
`,
    );
    // Asked of a real node: jest's sandboxed `process` does not show every feature flag.
    const canRequireEsm = run(process.execPath, ["-p", "process.features.require_module"], project);
    if (ok(canRequireEsm, "node -p").trim() === "true") {
      expect(ok(r, "cjs.cjs").trim()).toBe(
        `true function ${SUBPATHS.map(() => "function").join(",")}`,
      );
      expect(r.stderr).not.toMatch(/ExperimentalWarning/);
    } else {
      expect(r.status).not.toBe(0);
      expect(r.stderr).toMatch(/ERR_REQUIRE_ESM/);
    }
  });
});
