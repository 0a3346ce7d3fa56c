/**
 * The root entry stays small: what a user of threads and turns needs, at most 40 names at run
 * time; everything else is reachable from a named subpath.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as root from "../../lib/index.js";
import * as codecs from "../../lib/codecs/index.js";
import * as sessions from "../../lib/sessions/index.js";
import * as appServer from "../../lib/app-server/index.js";
import * as advanced from "../../lib/advanced/index.js";

const MAX_ROOT_RUNTIME_NAMES = 40;

describe("the root entry", () => {
  it(`exports at most ${MAX_ROOT_RUNTIME_NAMES} names at run time`, () => {
    const names = Object.keys(root);
    expect(names.length).toBeGreaterThan(10);
    expect(names.length).toBeLessThanOrEqual(MAX_ROOT_RUNTIME_NAMES);
  });

  it("keeps what threads and turns need", () => {
    for (const name of [
      "startThread",
      "resumeThread",
      "withThreadOptions",
      "runTurn",
      "runStreamed",
      "serializeThread",
      "deserializeThread",
      "exportSession",
      "importSession",
      "validateResume",
      "mintContinuationToken",
      "recordingSink",
      "noopSink",
      "Redacted",
      "toEither",
      "toTaskEither",
    ])
      expect([name, name in root]).toEqual([name, true]);
  });

  it("leaves internals to the subpaths", () => {
    for (const name of [
      "stepTurn",
      "flattenConfig",
      "toTomlValue",
      "parseRolloutLine",
      "SESSION_READ_LIMITS",
      "openAppServer",
      "buildExecCommand",
    ])
      expect([name, name in root]).toEqual([name, false]);
    expect("stepTurn" in advanced && "toTomlValue" in advanced).toBe(true);
    expect("parseRolloutLine" in sessions && "SESSION_READ_LIMITS" in sessions).toBe(true);
    expect("openAppServer" in appServer && "readThread" in appServer).toBe(true);
    expect("decodeEventLine" in codecs && "CodexOptions" in codecs).toBe(true);
  });

  it("reaches every name the library exported before from the root or a subpath", () => {
    const all = new Set([
      ...Object.keys(root),
      ...Object.keys(codecs),
      ...Object.keys(sessions),
      ...Object.keys(appServer),
      ...Object.keys(advanced),
    ]);
    const pkg = JSON.parse(readFileSync(join(process.cwd(), "package.json"), "utf8")) as {
      exports: Record<string, unknown>;
    };
    for (const sub of ["./codecs", "./sessions", "./app-server", "./advanced"])
      expect([sub, sub in pkg.exports]).toEqual([sub, true]);
    for (const name of ["foldTurn", "listSessions", "forkThread", "ThreadItem", "execTransport"])
      expect([name, all.has(name)]).toEqual([name, true]);
  });
});
