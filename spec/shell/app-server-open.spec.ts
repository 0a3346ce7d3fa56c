/**
 * How `openAppServer` fails when the server never shakes hands: a binary that exits at once
 * could not be started (`SpawnFailed`); one that stays silent timed out (`TimedOut`, with the
 * limit it was given, at the request that waited).
 */
import { chmod, writeFile } from "node:fs/promises";
import { openAppServer } from "../../lib/shell/app-server/index.js";
import { makeScratch, type Scratch } from "../support/run-env.js";

let scratch: Scratch;
beforeAll(async () => {
  scratch = await makeScratch();
});
afterAll(() => scratch.dispose());

/** A fake `codex` that runs `body` (a shell script). */
const fakeCodex = async (name: string, body: string): Promise<string> => {
  const file = scratch.file(name);
  await writeFile(file, `#!/bin/sh\n${body}\n`);
  await chmod(file, 0o755);
  return file;
};

describe("openAppServer before the handshake", () => {
  it("a server that exits at once is SpawnFailed, saying it did not start", async () => {
    const codexPath = await fakeCodex("exits", "exit 3");
    const r = await openAppServer({}, { codexPath, requestTimeoutMs: 5_000 });
    expect(r.isErr() && r.error).toMatchObject({ _tag: "SpawnFailed", path: "codex" });
    expect(r.isErr() ? r.error.message : "").toMatch(/did not start/);
  });

  it("a server that never answers is TimedOut with the limit it was given", async () => {
    const codexPath = await fakeCodex("silent", "exec sleep 30");
    const began = Date.now();
    const r = await openAppServer({}, { codexPath, requestTimeoutMs: 300 });
    expect(r.isErr() && r.error).toMatchObject({
      _tag: "TimedOut",
      path: "rpc.initialize",
      timeoutMs: 300,
    });
    expect(r.isErr() ? r.error.message : "").toMatch(/did not start/);
    expect(Date.now() - began).toBeLessThan(10_000);
  });
});
