#!/usr/bin/env node
// A fake codex that starts a "command" the way the real CLI does — `sleep 1000` in a session of
// its own, out of reach of a group kill — writes its pid to $FAKE_GRANDCHILD_PID_FILE, starts a
// turn, and then never finishes it, ignoring SIGINT and SIGTERM: a CLI that cannot clean up.
import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { hang, notePid, readStdin, turnLines } from "./_common.mjs";

notePid();
await readStdin();
const command = spawn("sleep", ["1000"], { stdio: "ignore", detached: true });
if (process.env.FAKE_GRANDCHILD_PID_FILE)
  writeFileSync(process.env.FAKE_GRANDCHILD_PID_FILE, `${command.pid}\n`);
const lines = turnLines();
process.stdout.write(lines[0] + lines[1]);
hang();
