#!/usr/bin/env node
// A fake codex that starts a grandchild (`sleep 1000`) which keeps stdout and stderr open and
// writes its pid to $FAKE_GRANDCHILD_PID_FILE, then prints a successful turn and exits 0 at
// once, leaving the grandchild behind: in its own process group (so out of reach of a group
// kill) when $FAKE_GRANDCHILD_DETACHED is set, else in the fake's group.
import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { notePid, readStdin, turnLines } from "./_common.mjs";

notePid();
await readStdin();
const grandchild = spawn("sleep", ["1000"], {
  stdio: ["ignore", "inherit", "inherit"],
  detached: Boolean(process.env.FAKE_GRANDCHILD_DETACHED),
});
if (process.env.FAKE_GRANDCHILD_PID_FILE)
  writeFileSync(process.env.FAKE_GRANDCHILD_PID_FILE, `${grandchild.pid}\n`);
grandchild.unref();
process.stdout.write(turnLines().join(""));
process.exit(0);
