#!/usr/bin/env node
// A fake codex that records how it was started: it reads the prompt, appends
// { argv, env, stdin, pid } to $FAKE_CODEX_LOG (when set), prints the same record as an event
// of an unknown type ("fake.record"), then a small successful turn (whose reply is JSON when
// it was given --output-schema), and exits 0.
import { invocation, logInvocation, notePid, readStdin, turnLines } from "./_common.mjs";

notePid();
const record = invocation(await readStdin());
logInvocation(record);
process.stdout.write(`${JSON.stringify({ type: "fake.record", record })}\n`);
process.stdout.write(turnLines().join(""));
