/**
 * The codex-fp demo: start → turn → serialize → deserialize → validateResume → resumed turn,
 * through the REAL codex CLI. By default it talks to a loopback stub of the model API (no key,
 * no network); with `--live` and CODEX_API_KEY or OPENAI_API_KEY set it talks to the real API.
 *
 *   npm run demo            # offline, against the stub
 *   npm run demo -- --live  # the real API
 */
import { pipe } from "fp-ts/lib/function.js";
import * as TE from "fp-ts/lib/TaskEither.js";
import {
  deserializeThread,
  recordingSink,
  runTurn,
  serializeThread,
  startThread,
  toEither,
  toTaskEither,
  validateResume,
} from "../lib/index.js";
import { startModelStub } from "../lib/testing/model-stub.js";
import { makeSandbox } from "../lib/testing/sandbox.js";

const live = process.argv.includes("--live");
const apiKey = process.env["CODEX_API_KEY"] ?? process.env["OPENAI_API_KEY"];
const say = (s: string) => process.stdout.write(`${s}\n`);

const main = async (): Promise<number> => {
  if (live && apiKey === undefined) {
    say("--live needs CODEX_API_KEY or OPENAI_API_KEY in the environment.");
    return 2;
  }
  const stub = live ? null : await startModelStub();
  const sandbox = await makeSandbox();
  const telemetry = recordingSink();
  const deps = { sink: telemetry.sink, secret: "demo-signing-secret" };
  // Offline: a private CODEX_HOME and the stub as model provider. Live: your usual setup.
  const codexOptions = live
    ? { apiKey }
    : {
        apiKey: "stub-key-not-secret",
        config: stub!.providerConfig(),
        env: { PATH: process.env["PATH"] ?? "", HOME: sandbox.cwd, CODEX_HOME: sandbox.codexHome },
      };
  const threadOptions = {
    skipGitRepoCheck: true,
    workingDirectory: sandbox.cwd,
    labels: { demo: "yes" },
  };

  const program = pipe(
    TE.fromEither(toEither(startThread(codexOptions, threadOptions))),
    TE.chainW((thread) => toTaskEither(() => runTurn(thread, "Say hello", {}, deps))),
    TE.chainFirstIOK(({ thread, turn }) => () => {
      say(`thread id:        ${thread.threadId ?? "?"}`);
      say(`answer 1:         ${turn.finalResponse}`);
      say(`usage 1:          ${JSON.stringify(turn.usage)}`);
    }),
    // Store the thread as JSON (no secrets in it) and bring it back, as another machine would.
    TE.chainEitherKW(({ thread }) => toEither(serializeThread(thread))),
    TE.chainFirstIOK(
      (json) => () =>
        say(
          `serialized:       ${json.length} bytes, API key absent: ${!json.includes("stub-key")}`,
        ),
    ),
    TE.chainEitherKW((json) =>
      toEither(
        deserializeThread(json, {
          apiKey: live ? apiKey : "stub-key-not-secret",
          ...(live ? {} : { env: codexOptions.env }),
        }),
      ),
    ),
    TE.chainEitherKW((thread) =>
      toEither(
        validateResume(thread, undefined, {
          sink: telemetry.sink,
          secret: deps.secret,
          now: () => new Date(),
        }),
      ),
    ),
    TE.chainW((thread) => toTaskEither(() => runTurn(thread, "And again, resumed", {}, deps))),
    TE.chainFirstIOK(({ thread, turn }) => () => {
      say(`resumed thread:   ${thread.threadId ?? "?"}`);
      say(`answer 2:         ${turn.finalResponse}`);
      say(`usage 2 (turn):   ${JSON.stringify(turn.usage)}`);
      say(`usage (thread):   ${JSON.stringify(turn.cumulativeUsage)}`);
    }),
  );
  const result = await program();
  say("telemetry:");
  for (const e of telemetry.events)
    say(`  ${e.name}${"durationMs" in e ? ` ${e.durationMs} ms` : ""}`);
  await stub?.close();
  await sandbox.dispose();
  if (result._tag === "Left") {
    say(`failed: ${result.left._tag}: ${result.left.message}`);
    return 1;
  }
  return 0;
};

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    say(`demo crashed: ${String(e)}`);
    process.exit(1);
  },
);
