/**
 * Every `_tag` a turn can end with, as a value (the type `TurnError["_tag"]` has no runtime
 * form): for telling one of the library's errors, read back from JSON, from anything else.
 */
import type { TurnError } from "./turn.js";

/** Each tag once: the mapped type makes a missing or an unknown tag a compile error. */
const TAGS: { readonly [Tag in TurnError["_tag"]]: null } = {
  InvalidOptions: null,
  InvalidThreadId: null,
  InvalidApiKey: null,
  InvalidMetadata: null,
  InvalidContinuationToken: null,
  InvalidSerializedThread: null,
  NotAThread: null,
  ContinuationMismatch: null,
  SessionMissing: null,
  MissingSecrets: null,
  TurnFailed: null,
  ProtocolViolation: null,
  InvalidStructuredOutput: null,
  CodexNotFound: null,
  SpawnFailed: null,
  ExecFailed: null,
  ThreadNotFound: null,
  ThreadBusy: null,
  ResumeMismatch: null,
  Aborted: null,
  TimedOut: null,
  LineTooLong: null,
  TempFileFailed: null,
  TransportClosed: null,
  RpcFailed: null,
  InvalidResponse: null,
  Unsupported: null,
  Defect: null,
  InvalidJson: null,
  InvalidEvent: null,
};

/** True when `tag` is the `_tag` of a TurnError. */
export const isTurnErrorTag = (tag: string): tag is TurnError["_tag"] =>
  Object.prototype.hasOwnProperty.call(TAGS, tag);
