/**
 * Continuation tokens: an opaque, URL-safe, versioned string that binds a thread id to a
 * position in it (the number of completed turns and the id of the last one), HMAC-SHA256
 * signed when a secret is given. Format: `cfp1.<base64url JSON>[.<base64url signature>]`.
 * Any other token is a legacy server-issued token, carried opaquely — except one that still
 * shows our shape (a prefix of `cfp`, or our payload after a dot): that is one of ours
 * with its prefix damaged, and it is reported as malformed rather than taken for a legacy one.
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import * as t from "io-ts";
import { err, ok, type Result } from "neverthrow";
import { isLeft, left, right, type Either } from "fp-ts/lib/Either.js";
import { checkedString, closed, decodeAll } from "./decoding/decode.js";
import { decodingError, invalidAt, type MismatchReason, type ThreadError } from "./errors/index.js";
import { ThreadId, threadIdProblem } from "./thread-id.js";
import { parseJson } from "./decoding/unknown.js";
import { isSecretOrNone, SECRET_RULE } from "./effects.js";

/** The token format version this library mints. */
export const TOKEN_VERSION = 1;
const PREFIX = `cfp${TOKEN_VERSION}.`;
/** The longest token accepted. */
export const MAX_TOKEN_LENGTH = 4096;

/** The problem with a would-be token string, or null: URL-safe characters only, bounded. */
export const tokenStringProblem = (s: string): string | null => {
  if (s.length === 0) return "must not be empty";
  if (s.length > MAX_TOKEN_LENGTH) return `must be at most ${MAX_TOKEN_LENGTH} characters`;
  return /^[A-Za-z0-9._~-]+$/.test(s)
    ? null
    : "may hold only URL-safe characters (A-Z a-z 0-9 . _ ~ -)";
};

/** Brand of continuation token strings. */
export interface ContinuationTokenBrand {
  readonly ContinuationToken: unique symbol;
}
/** Codec of a continuation token string (ours or a legacy one), checked for shape only. */
export const ContinuationToken = checkedString<t.Branded<string, ContinuationTokenBrand>>(
  "ContinuationToken",
  tokenStringProblem,
);
/** A continuation token string. */
export type ContinuationToken = t.TypeOf<typeof ContinuationToken>;

/** Codec of a whole number ≥ 0 (turn counts). */
export const NonNegativeInt = new t.Type<number, number, unknown>(
  "NonNegativeInt",
  (u): u is number => typeof u === "number" && Number.isSafeInteger(u) && u >= 0,
  (u, c) =>
    typeof u === "number" && Number.isSafeInteger(u) && u >= 0
      ? t.success(u)
      : t.failure(u, c, "expected a whole number ≥ 0"),
  (a) => a,
);
const TurnId = checkedString<string>("TurnId", threadIdProblem);

/** Codec of what a token claims: the thread and the position in it. */
export const ContinuationClaim = closed(
  "ContinuationClaim",
  {
    threadId: ThreadId,
    lastTurnId: t.union([TurnId, t.null]),
    completedTurns: NonNegativeInt,
  },
  {},
);
/** What a token claims. */
export type ContinuationClaim = t.TypeOf<typeof ContinuationClaim>;
/** What a caller passes as a claim: its encoded form (ids as plain strings). */
export type ContinuationClaimInput = t.OutputOf<typeof ContinuationClaim>;

/**
 * What a decoded token is: ours with its claim — `signed` (its signature verified with the
 * secret), `unverified` (it carries a signature but no secret was given to check it) or
 * `unsigned` — or a legacy opaque string.
 */
export type DecodedToken =
  | { readonly kind: "signed" | "unverified" | "unsigned"; readonly claim: ContinuationClaim }
  | { readonly kind: "legacy"; readonly token: string };

/**
 * The token policy beyond the secret. With a secret, only a token signed with it is accepted:
 * a legacy (opaque) token is refused unless `acceptLegacyTokens` is set (an explicit opt-in for
 * threads of a legacy producer, which guard themselves by the server's own token).
 */
export interface TokenPolicy {
  readonly acceptLegacyTokens?: boolean;
}

const WirePayload = closed(
  "TokenPayload",
  { v: t.literal(TOKEN_VERSION), t: ThreadId, l: t.union([TurnId, t.null]), n: NonNegativeInt },
  {},
);

// Every payload we mint is JSON that starts with `{"v":`; these are its first base64url chars.
const PAYLOAD_HEAD = Buffer.from('{"v":').toString("base64url").slice(0, 6);

/** True when `token` is one of ours (maybe damaged), false for a legacy server token. */
const looksOurs = (token: string): boolean =>
  token.startsWith("cfp") ||
  "cfp".startsWith(token) ||
  token.split(".").some((part, i) => i > 0 && part.startsWith(PAYLOAD_HEAD));

const sign = (body: string, secret: string): string =>
  createHmac("sha256", secret).update(body).digest("base64url");

const secretIssue = (secret: string | undefined) =>
  isSecretOrNone(secret) ? [] : [{ path: "secret", message: SECRET_RULE }];

/**
 * Mints a token for a position in a thread; signed with HMAC-SHA256 when `secret` is given.
 * The claim is checked all the same: a bad one (from JavaScript) is `InvalidContinuationToken`.
 */
export const mintContinuationToken = (
  claim: ContinuationClaimInput,
  secret?: string,
): Result<ContinuationToken, ThreadError> => {
  const r = decodeAll(ContinuationClaim, claim, "claim");
  const issues = [...(isLeft(r) ? r.left : []), ...secretIssue(secret)];
  if (isLeft(r) || issues.length > 0)
    return err(decodingError("InvalidContinuationToken", "claim", "cannot mint a token", issues));
  const payload = {
    v: TOKEN_VERSION,
    t: r.right.threadId,
    l: r.right.lastTurnId,
    n: r.right.completedTurns,
  };
  const body = PREFIX + Buffer.from(JSON.stringify(payload)).toString("base64url");
  return ok((secret === undefined ? body : `${body}.${sign(body, secret)}`) as ContinuationToken);
};

/** Why a token could not be read, as a mismatch reason and a message. */
export interface TokenProblem {
  readonly reason: Extract<MismatchReason, "malformed" | "version" | "signature">;
  readonly message: string;
}

/**
 * Reads a token: its kind and claim, checking the signature when `secret` is given (anything
 * not signed with it — unsigned, signed with another key, or legacy unless the policy accepts
 * legacy tokens — is then rejected with reason `signature`, and so is a token that cannot be
 * read at all). Without a secret a signature is not checked, the token is `unverified`, and a
 * damaged one is `malformed` or of another `version`. Pure; used by the decoder and the validator.
 */
export const readToken = (
  token: string,
  secret?: string,
  policy: TokenPolicy = {},
): Either<TokenProblem, DecodedToken> => {
  const r = readTokenShape(token, secret, policy);
  // With a secret, a token that cannot be read (no version, another version, a damaged
  // payload) is not a token signed with it either: the one reason the caller acts on.
  return isLeft(r) && secret !== undefined && r.left.reason !== "signature"
    ? left({
        reason: "signature",
        message: `not a token signed with the configured secret (${r.left.message})`,
      })
    : r;
};

const readTokenShape = (
  token: string,
  secret: string | undefined,
  policy: TokenPolicy,
): Either<TokenProblem, DecodedToken> => {
  if (!looksOurs(token))
    return secret !== undefined && policy.acceptLegacyTokens !== true
      ? left({
          reason: "signature",
          message:
            "a legacy (opaque) token is not signed; with a secret configured it is accepted only with acceptLegacyTokens",
        })
      : right({ kind: "legacy", token });
  const version = /^cfp(\d+)\./.exec(token);
  if (version === null) return left({ reason: "malformed", message: "token has no version" });
  if (version[1] !== String(TOKEN_VERSION))
    return left({ reason: "version", message: `token version ${version[1]} is not supported` });
  const parts = token.split(".");
  if (parts.length < 2 || parts.length > 3 || parts[1] === "" || parts[2] === "")
    return left({ reason: "malformed", message: "token does not have 2 or 3 parts" });
  let json: unknown;
  try {
    json = parseJson(Buffer.from(parts[1] ?? "", "base64url").toString("utf8"));
  } catch {
    return left({ reason: "malformed", message: "token payload is not base64url JSON" });
  }
  const p = WirePayload.decode(json);
  if (isLeft(p)) return left({ reason: "malformed", message: "token payload has the wrong shape" });
  const claim = { threadId: p.right.t, lastTurnId: p.right.l, completedTurns: p.right.n };
  const signature = parts[2];
  if (secret !== undefined) {
    if (signature === undefined)
      return left({ reason: "signature", message: "token is not signed" });
    const expected = Buffer.from(sign(`${parts[0]}.${parts[1]}`, secret));
    const actual = Buffer.from(signature);
    if (expected.length !== actual.length || !timingSafeEqual(expected, actual))
      return left({ reason: "signature", message: "token signature does not match" });
  }
  return right({
    kind: signature === undefined ? "unsigned" : secret === undefined ? "unverified" : "signed",
    claim,
  });
};

/**
 * Decodes a token: a legacy token comes back opaque; ours with its claim, its signature
 * checked when `secret` is given (see {@link readToken} for the policy). Never throws.
 */
export const decodeContinuationToken = (
  token: unknown,
  secret?: string,
  policy: TokenPolicy = {},
): Result<DecodedToken, ThreadError> => {
  const s = decodeAll(ContinuationToken, token, "continuationToken");
  const issues = [...(isLeft(s) ? s.left : []), ...secretIssue(secret)];
  if (isLeft(s) || issues.length > 0)
    return err(
      decodingError(
        "InvalidContinuationToken",
        "continuationToken",
        "invalid continuation token",
        issues,
      ),
    );
  const r = readToken(s.right, secret, policy);
  return isLeft(r)
    ? err(
        invalidAt(
          "InvalidContinuationToken",
          "continuationToken",
          "invalid continuation token",
          r.left.message,
        ),
      )
    : ok(r.right);
};
