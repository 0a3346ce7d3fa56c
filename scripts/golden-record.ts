/**
 * `npm run golden:record [-- --cli PATH ...]`: records the golden scenarios from the REAL codex
 * CLI against the project's loopback stub, never by hand, into
 * golden/recorded/codex-cli-<version>/<scenario>/ with the layout of ../shared/reference:
 * argv.txt, turnN.jsonl, turnN.stderr, turnN.exit, rollout.jsonl. Temporary paths become
 * /home/dev/sandbox. By default it records the pinned CLI (@openai/codex) and the older one
 * that @openai/codex-sdk depends on. Then run `npm run golden:update`.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { vendorBinaryOf } from "../lib/shell/codex-binary.js";
import { startModelStub, type StubScript } from "../lib/testing/model-stub.js";
import { makeSandbox } from "../lib/testing/sandbox.js";

const require_ = createRequire(join(process.cwd(), "package.json"));
const out = (s: string) => process.stdout.write(`${s}\n`);

/** The CLI binaries to record with: the pinned one and the SDK's (older) one. */
const defaultBinaries = (): string[] => {
  const binaryOf = (codexPkgJson: string): string =>
    vendorBinaryOf(codexPkgJson).match(
      (b) => b.path,
      (e) => {
        throw new Error(e.message);
      },
    );
  const pinned = binaryOf(require_.resolve("@openai/codex/package.json"));
  const sdkRequire = createRequire(
    join(process.cwd(), "node_modules", "@openai", "codex-sdk", "package.json"),
  );
  const older = binaryOf(sdkRequire.resolve("@openai/codex/package.json"));
  return [...new Set([pinned, older])];
};

interface ScenarioSpec {
  readonly name: string;
  readonly prompts: readonly string[];
  /** Extra argv after the provider options, per turn; `RESUME` resumes the thread of turn 1. */
  readonly args: (turn: number, threadId: string | null, schema: string) => string[];
  readonly script?: StubScript;
  readonly extraConfig?: readonly string[];
}

const resume = (turn: number, id: string | null) => (turn > 1 && id !== null ? ["resume", id] : []);
const SCENARIOS: readonly ScenarioSpec[] = [
  { name: "basic", prompts: ["Say hello"], args: () => [] },
  {
    name: "resume",
    prompts: ["First question", "Second question", "Third question"],
    args: (n, id) => resume(n, id),
  },
  {
    name: "shell",
    prompts: ["Run a command"],
    args: () => ["-m", "gpt-5", "--sandbox", "danger-full-access", "-c", 'approval_policy="never"'],
    script: (req) =>
      req.index === 1
        ? { kind: "shell", cmd: "echo hello-from-shell" }
        : { kind: "text", text: "done" },
  },
  {
    name: "structured",
    prompts: ["Give me JSON"],
    args: (_n, _id, schema) => ["--output-schema", schema],
    script: () => ({ kind: "json", value: { status: "ok", count: 2 } }),
  },
  {
    name: "fail500",
    prompts: ["This fails"],
    args: () => [
      "-c",
      "model_providers.stub.request_max_retries=1",
      "-c",
      "model_providers.stub.stream_max_retries=0",
    ],
    script: () => ({ kind: "status", status: 500 }),
  },
  { name: "resume-malformed-id", prompts: ["hello"], args: () => ["resume", "not-a-uuid"] },
  {
    name: "resume-unknown-id",
    prompts: ["hello"],
    args: () => ["resume", "01a20fa5-0000-7000-8000-000000000000"],
  },
];

const run = (
  bin: string,
  args: string[],
  env: Record<string, string>,
  cwd: string,
  stdin: string,
) =>
  new Promise<{ stdout: string; stderr: string; code: number }>((resolve) => {
    const c = spawn(bin, args, { env, cwd });
    let stdout = "";
    let stderr = "";
    c.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    c.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    c.stdin.on("error", () => undefined);
    c.stdin.end(stdin);
    c.on("close", (code) => resolve({ stdout, stderr, code: code ?? 1 }));
  });

const findRollout = (home: string): string | null => {
  const walk = (d: string): string[] =>
    existsSync(d)
      ? readdirSync(d, { withFileTypes: true }).flatMap((e) =>
          e.isDirectory() ? walk(join(d, e.name)) : [join(d, e.name)],
        )
      : [];
  return walk(join(home, "sessions")).find((p) => /rollout-.*\.jsonl$/.test(p)) ?? null;
};

const record = async (bin: string) => {
  const version =
    (await run(bin, ["--version"], { PATH: process.env["PATH"] ?? "" }, process.cwd(), "")).stdout
      .trim()
      .split(" ")
      .pop() ?? "unknown";
  const root = join(process.cwd(), "golden", "recorded", `codex-cli-${version}`);
  rmSync(root, { recursive: true, force: true });
  for (const s of SCENARIOS) {
    const stub = await startModelStub(s.script);
    const box = await makeSandbox();
    const dir = join(root, s.name);
    mkdirSync(dir, { recursive: true });
    const schema = join(box.cwd, "..", "record-schema.json");
    writeFileSync(
      schema,
      JSON.stringify({
        type: "object",
        properties: { status: { type: "string" }, count: { type: "number" } },
        required: ["status", "count"],
        additionalProperties: false,
      }),
    );
    const scrub = (t: string) =>
      t
        .split(dirname(box.cwd))
        .join("/home/dev/sandbox")
        .split(schema)
        .join("/tmp/record-schema.json");
    const env = {
      PATH: process.env["PATH"] ?? "",
      HOME: box.cwd,
      CODEX_HOME: box.codexHome,
      CODEX_API_KEY: "stub",
    };
    const argvLines: string[] = [];
    let threadId: string | null = null;
    for (let n = 1; n <= s.prompts.length; n++) {
      const extra = s.args(n, threadId, schema);
      const args = [
        "exec",
        "--experimental-json",
        "--skip-git-repo-check",
        ...stub.providerArgs(),
        ...extra,
      ];
      argvLines.push(
        scrub(
          ["exec", "--experimental-json", "--skip-git-repo-check", "<provider>", ...extra].join(
            " ",
          ),
        ),
      );
      const r = await run(bin, args, env, box.cwd, s.prompts[n - 1] ?? "");
      threadId ??= /"thread_id":"([^"]+)"/.exec(r.stdout)?.[1] ?? null;
      writeFileSync(join(dir, `turn${n}.jsonl`), scrub(r.stdout));
      writeFileSync(join(dir, `turn${n}.stderr`), scrub(r.stderr));
      writeFileSync(join(dir, `turn${n}.exit`), `${r.code}\n`);
    }
    writeFileSync(join(dir, "argv.txt"), `${argvLines.join("\n")}\n`);
    const rollout = findRollout(box.codexHome);
    if (rollout !== null)
      writeFileSync(join(dir, "rollout.jsonl"), scrub(readFileSync(rollout, "utf8")));
    await stub.close();
    await box.dispose();
    out(`recorded codex-cli-${version}/${s.name}`);
  }
};

const explicit = process.argv.flatMap((a, i, all) => (all[i - 1] === "--cli" ? [a] : []));
for (const bin of explicit.length > 0 ? explicit : defaultBinaries()) await record(bin);
