/**
 * The fuzz suite's findings, pinned: each input below broke a property (a throw, a Thread that
 * fails its own codec or does not read back, a caller's object kept inside a frozen Thread).
 * The fixes are in lib/core; these keep them fixed whatever seed the fuzzer draws.
 */
import {
  deserializeThread,
  resumeThread,
  serializeThread,
  startThread,
  withThreadOptions,
  Redacted,
  type ThreadEvent,
} from "../../lib/index.js";
import {
  decodeEventLine,
  decodeEventValue,
  decodeTranscript,
  metadataFromJson,
} from "../../lib/codecs/index.js";
import { summarizeRollout } from "../../lib/sessions/index.js";
import { foldTurn } from "../../lib/advanced/index.js";
import { buildExecCommand } from "../../lib/core/argv.js";
import {
  revokedProxy,
  throwingConversions,
  throwingProxy,
  goldenRollouts,
} from "../support/arbitraries.js";
import { expectSoundThread } from "./support/harness.js";
import { untyped } from "../support/untyped.js";

const events = (...es: object[]): ThreadEvent[] =>
  es.map((e) => decodeEventValue(e)._unsafeUnwrap());

describe("fuzz findings, pinned", () => {
  it("options that are class instances are refused (a prototype getter cannot slip a flag past validation)", () => {
    let reads = 0;
    class Sly {
      get model(): string {
        reads += 1;
        return reads === 1 ? "gpt-5" : "--dangerously-bypass-approvals-and-sandbox";
      }
    }
    const r = startThread({}, new Sly());
    expect(r.isErr() && r.error).toMatchObject({
      _tag: "InvalidOptions",
      issues: [
        {
          path: "threadOptions",
          message: "expected ThreadOptions (a plain object), got a class instance",
        },
      ],
    });
    for (const o of [new Date(), new Map(), new AbortController().signal, Object(3) as object])
      expect(startThread(o, {}).isErr()).toBe(true);
    // A plain object with the same getter is read once, and the flag never reaches argv.
    reads = 0;
    const plain = startThread(
      {},
      {
        get model() {
          return new Sly().model;
        },
      },
    )._unsafeUnwrap();
    const argv = buildExecCommand({
      codexOptions: plain.codexOptions,
      threadOptions: plain.threadOptions,
      threadId: null,
      input: { prompt: "x", images: [] },
      turnOptions: {},
      outputSchemaFile: null,
      processEnv: {},
      pathDirs: [],
    }).args;
    expect(argv).not.toContain("--dangerously-bypass-approvals-and-sandbox");
  });

  it("labels that are class instances are refused (a Redacted box would serialize as a string)", () => {
    for (const labels of [Redacted.of("x"), new Date(), new Map([["a", "b"]])]) {
      expect(startThread({}, { labels: untyped(labels) }).isErr()).toBe(true);
      expect(
        withThreadOptions(startThread({})._unsafeUnwrap(), { labels: untyped(labels) }).isErr(),
      ).toBe(true);
    }
    expectSoundThread(
      startThread({}, { labels: Object.assign(Object.create(null), { a: "b" }) })._unsafeUnwrap(),
      "labels",
    );
  });

  it("decodeEventValue on hostile values: InvalidEvent, not an exception", () => {
    for (const u of [
      throwingProxy(),
      revokedProxy(),
      {
        get type(): string {
          throw new Error("x");
        },
      },
    ])
      expect(decodeEventValue(u)._unsafeUnwrapErr()).toMatchObject({
        _tag: "InvalidEvent",
        path: "event",
      });
  });

  it("decodeEventLine on a value whose conversions throw: InvalidJson, not an exception", () => {
    expect(decodeEventLine(throwingConversions() as never)._unsafeUnwrapErr()._tag).toBe(
      "InvalidJson",
    );
    expect(decodeTranscript(throwingConversions() as never).isErr()).toBe(true);
  });

  it("an unknown item's envelope is checked like a known one's", () => {
    const line = JSON.stringify({
      type: "item.completed",
      thread_id: [],
      item: { id: "i", type: "new_kind" },
    });
    expect(decodeEventLine(line)._unsafeUnwrapErr()).toMatchObject({
      _tag: "InvalidEvent",
      eventType: "item.completed",
    });
    const fine = JSON.stringify({
      type: "item.completed",
      thread_id: "t",
      item: { id: "i", type: "new_kind" },
    });
    expect(decodeEventLine(fine)._unsafeUnwrap()).toMatchObject({
      item: { type: "unknown", itemType: "new_kind" },
    });
  });

  it("a fold never returns a Thread its own codec refuses", () => {
    const thread = startThread({})._unsafeUnwrap();
    const turn = (threadId: string, token: string) =>
      foldTurn(
        thread,
        events(
          { type: "thread.started", thread_id: threadId },
          { type: "turn.started" },
          { type: "turn.continuation", continuation_token: token },
          { type: "turn.completed" },
        ),
      );
    expect(turn("bad id", "cont-ok")._unsafeUnwrapErr()).toMatchObject({
      _tag: "InvalidThreadId",
      path: "events.thread_id",
    });
    for (const token of ["", "has spaces", "x".repeat(4097)])
      expect(turn("thread_ok", token)._unsafeUnwrapErr()).toMatchObject({
        _tag: "InvalidContinuationToken",
        path: "events.continuation_token",
      });
    expectSoundThread(turn("thread_ok", "cont-ok")._unsafeUnwrap().thread, "fold");
  });

  it("a serialized thread whose numbers JSON cannot write back is refused", () => {
    const stored = JSON.parse(
      serializeThread(
        foldTurn(
          startThread({})._unsafeUnwrap(),
          events(
            { type: "thread.started", thread_id: "thread_1" },
            { type: "turn.started" },
            { type: "turn.completed", usage: { input_tokens: 1, output_tokens: 1 } },
          ),
        )._unsafeUnwrap().thread,
      )._unsafeUnwrap(),
    ) as Record<string, unknown>;
    const json = JSON.stringify(stored).replace('"input_tokens":1', '"input_tokens":1e999');
    expect(json).toContain("1e999");
    expect(deserializeThread(json)._unsafeUnwrapErr()).toMatchObject({
      _tag: "InvalidSerializedThread",
      path: "thread.cumulativeUsage.input_tokens",
    });
    expect(deserializeThread(JSON.stringify(stored)).isOk()).toBe(true);
  });

  it("metadata keeps unknown keys as JSON data: no BigInt, no caller's object", () => {
    expect(metadataFromJson({ labels: {}, extra_count: 10n })._unsafeUnwrapErr()._tag).toBe(
      "InvalidMetadata",
    );
    const when = new Date(0);
    const m = metadataFromJson({ labels: {}, when })._unsafeUnwrap();
    expect(m.extra).toEqual({ when: "1970-01-01T00:00:00.000Z" });
    const t = resumeThread("thread_1", {}, {}, { metadata: { labels: {}, when } })._unsafeUnwrap();
    expectSoundThread(t, "metadata");
    when.setTime(1);
    expect(t.metadata?.extra).toEqual({ when: "1970-01-01T00:00:00.000Z" });
  });

  it("summarizeRollout given a non-string or no facts: an InvalidRollout error, not an exception", () => {
    const text = goldenRollouts()[0]?.text ?? "";
    expect(summarizeRollout(text, { path: "x" }).isOk()).toBe(true);
    expect(summarizeRollout(null as never, { path: "x" })._unsafeUnwrapErr()._tag).toBe(
      "InvalidRollout",
    );
    expect(summarizeRollout(text, undefined as never)._unsafeUnwrapErr()._tag).toBe(
      "InvalidRollout",
    );
  });
});
