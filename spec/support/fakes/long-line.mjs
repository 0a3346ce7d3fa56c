#!/usr/bin/env node
// A fake codex whose agent message is one line of about $FAKE_LINE_BYTES bytes
// (default 50 MB), followed by turn.completed.
import { notePid, readStdin, turnLines } from "./_common.mjs";

notePid();
await readStdin();
const size = Number(process.env.FAKE_LINE_BYTES ?? 50 * 1000 * 1000);
const [started, turn, , completed] = turnLines();
const prefix = '{"type":"item.completed","item":{"id":"item_0","type":"agent_message","text":"';
const suffix = '"}}\n';
const text = "x".repeat(Math.max(0, size - prefix.length - suffix.length));
process.stdout.write(started + turn);
process.stdout.write(prefix + text + suffix);
process.stdout.write(completed);
