/**
 * Continuation tokens: minted for a position in a thread, HMAC-signed with a secret, read
 * back exactly; any change to a signed token is caught. Legacy server tokens stay opaque.
 */
import { createHmac } from "node:crypto";

import fc from "fast-check";
import { assertProperty } from "../support/property.js";

import {
  decodeContinuationToken,
  mintContinuationToken,
  recordingSink,
  resumeThread,
  validateResume,
} from "../../lib/index.js";
import { ContinuationToken } from "../../lib/codecs/index.js";
import { ContinuationClaim, TOKEN_VERSION } from "../../lib/codecs/index.js";
import { MAX_TOKEN_LENGTH } from "../../lib/core/continuation.js";
import { anyInput, validThreadId, validTurnId } from "../support/arbitraries.js";
import { legacyContinuationTokens } from "../support/core-helpers.js";
import { untyped } from "../support/untyped.js";

const claims = fc.record({
  threadId: validThreadId,
  lastTurnId: fc.option(validTurnId, { nil: null }),
  completedTurns: fc.nat(),
});
const secrets = fc.string({ minLength: 1, maxLength: 32 });
const claim = { threadId: "thread_abc123", lastTurnId: "turn_2", completedTurns: 2 };
const SECRET = "correct horse battery staple";
const URL_SAFE = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._~-";

/** How a token fares: rejected when decoded, and the validator's reason for it. */
const verdictOn = (token: string, secret: string | undefined) => {
  const decoded = decodeContinuationToken(token, secret);
  const thread = resumeThread(claim.threadId, {}, {}, { continuationToken: token });
  const validated = thread.isOk()
    ? validateResume(
        thread.value,
        {
          completedTurns: claim.completedTurns,
        },
        { sink: recordingSink().sink, ...(secret !== undefined ? { secret } : {}) },
      )
    : null;
  return {
    decodedOk: decoded.isOk(),
    // null: the token was not even accepted as a token (not URL-safe, too long, empty)
    reason: validated === null ? null : validated.isOk() ? "ok" : validated.error._tag,
    mismatch:
      validated !== null && validated.isErr() && validated.error._tag === "ContinuationMismatch"
        ? validated.error.reason
        : null,
  };
};

describe("mintContinuationToken", () => {
  it("writes cfp1.<base64url JSON>.<base64url HMAC-SHA256>", () => {
    const token = mintContinuationToken(claim, SECRET)._unsafeUnwrap();
    expect(TOKEN_VERSION).toBe(1);
    expect(token).toMatch(/^cfp1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);
    const [prefix, payload, signature] = token.split(".");
    expect(JSON.parse(Buffer.from(payload ?? "", "base64url").toString("utf8"))).toEqual({
      v: 1,
      t: "thread_abc123",
      l: "turn_2",
      n: 2,
    });
    const hmac = createHmac("sha256", SECRET).update(`${prefix}.${payload}`).digest("base64url");
    expect(signature).toBe(hmac);
  });

  it("writes an unsigned token without a secret", () => {
    const token = mintContinuationToken(claim)._unsafeUnwrap();
    expect(token).toMatch(/^cfp1\.[A-Za-z0-9_-]+$/);
  });

  it("is deterministic and URL-safe", () => {
    assertProperty(
      fc.property(claims, secrets, (c, s) => {
        const token = mintContinuationToken(c, s)._unsafeUnwrap();
        expect(mintContinuationToken(c, s)._unsafeUnwrap()).toBe(token);
        expect(ContinuationToken.is(token)).toBe(true);
      }),
      { numRuns: 100 },
    );
  });

  it("rejects an invalid claim and an empty secret, every problem at once", () => {
    const r = mintContinuationToken(
      untyped({ threadId: "-x", lastTurnId: "", completedTurns: -1, extra: 1 }),
      "",
    );
    expect(r._unsafeUnwrapErr()).toMatchObject({
      _tag: "InvalidContinuationToken",
      path: "claim",
      issues: [
        { path: "claim.threadId" },
        { path: "claim.lastTurnId" },
        { path: "claim.completedTurns", message: "expected a whole number ≥ 0" },
        { path: "claim.extra", message: 'unknown key "extra"' },
        { path: "secret", message: "must be a non-empty string when given" },
      ],
    });
  });

  it("rejects a fractional or unsafe turn count", () => {
    for (const n of [1.5, Number.MAX_SAFE_INTEGER + 1, Number.NaN, "1"])
      expect(mintContinuationToken(untyped({ ...claim, completedTurns: n })).isErr()).toBe(true);
  });

  it("never throws, whatever it is given", () => {
    assertProperty(
      fc.property(anyInput, anyInput, (c, s) => {
        expect(() => mintContinuationToken(untyped(c.make()), untyped(s.make()))).not.toThrow();
      }),
      { numRuns: 300 },
    );
  });
});

describe("decodeContinuationToken", () => {
  it("reads back what was minted, signed or not", () => {
    assertProperty(
      fc.property(claims, secrets, (c, s) => {
        const signed = mintContinuationToken(c, s)._unsafeUnwrap();
        const unsigned = mintContinuationToken(c)._unsafeUnwrap();
        expect(decodeContinuationToken(signed, s)._unsafeUnwrap()).toEqual({
          kind: "signed",
          claim: c,
        });
        expect(decodeContinuationToken(unsigned)._unsafeUnwrap()).toEqual({
          kind: "unsigned",
          claim: c,
        });
        expect(ContinuationClaim.is(c)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it("reads a signed token without a secret, but reports it unverified", () => {
    const signed = mintContinuationToken(claim, SECRET)._unsafeUnwrap();
    expect(decodeContinuationToken(signed)._unsafeUnwrap()).toEqual({ kind: "unverified", claim });
  });

  it("rejects an unsigned token when a secret is given", () => {
    const unsigned = mintContinuationToken(claim)._unsafeUnwrap();
    expect(decodeContinuationToken(unsigned, SECRET)._unsafeUnwrapErr()).toMatchObject({
      _tag: "InvalidContinuationToken",
      issues: [{ message: "token is not signed" }],
    });
  });

  it("catches any single-character change to a signed token", () => {
    const changes = fc
      .tuple(claims, secrets, fc.nat(), fc.constantFrom(...URL_SAFE, "+", "/", "=", " ", "é"))
      .map(([c, s, at, ch]) => {
        const token = mintContinuationToken(c, s)._unsafeUnwrap();
        const i = at % token.length;
        return { c, s, token, changed: token.slice(0, i) + ch + token.slice(i + 1) };
      })
      .filter(({ token, changed }) => token !== changed);
    assertProperty(
      fc.property(changes, ({ c, s, changed }) => {
        const r = decodeContinuationToken(changed, s);
        expect(r.isErr()).toBe(true);
        // Nothing but the original claim may ever come out of a verified read.
        if (r.isOk()) expect(r.value).toEqual({ kind: "signed", claim: c });
      }),
      { numRuns: 1000 },
    );
  });

  it("catches any truncation or extension of a signed token", () => {
    assertProperty(
      fc.property(claims, secrets, fc.nat(), fc.constantFrom(...URL_SAFE), (c, s, at, ch) => {
        const token = mintContinuationToken(c, s)._unsafeUnwrap();
        const cut = token.slice(0, at % token.length);
        if (cut !== "") expect(decodeContinuationToken(cut, s).isErr()).toBe(true);
        expect(decodeContinuationToken(token + ch, s).isErr()).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it("catches a token signed with another secret", () => {
    let checked = 0;
    assertProperty(
      fc.property(claims, secrets, secrets, (c, s, other) => {
        fc.pre(s !== other);
        const forged = mintContinuationToken(c, other)._unsafeUnwrap();
        expect(decodeContinuationToken(forged, s)._unsafeUnwrapErr()).toMatchObject({
          issues: [{ message: "token signature does not match" }],
        });
        checked++;
      }),
      { numRuns: 200 },
    );
    expect(checked).toBeGreaterThanOrEqual(200); // the skipped pairs (equal secrets) do not count
  });

  it("rejects a token of another version", () => {
    const v2 = mintContinuationToken(claim)
      ._unsafeUnwrap()
      .replace(/^cfp1\./, "cfp2.");
    expect(decodeContinuationToken(v2)._unsafeUnwrapErr()).toMatchObject({
      issues: [{ message: "token version 2 is not supported" }],
    });
  });

  it("takes a token whose prefix was damaged for a damaged one, not a legacy one", () => {
    const token = mintContinuationToken(claim, SECRET)._unsafeUnwrap();
    for (const damaged of [`x${token.slice(1)}`, `c${token.slice(2)}`, "c", "cf", "cfp"])
      expect(decodeContinuationToken(damaged, SECRET).isErr()).toBe(true);
  });

  it("carries the legacy server tokens of the fixtures opaquely", () => {
    const tokens = legacyContinuationTokens();
    expect(tokens).toEqual([
      "cont-approval",
      "cont-auto-resp",
      "cont-auto-run",
      "cont-file-search",
      "cont-retry",
      "cont-tool",
      "cont-tool-pending",
    ]);
    for (const token of tokens) {
      expect(decodeContinuationToken(token)._unsafeUnwrap()).toEqual({ kind: "legacy", token });
      // With a secret, a legacy token is refused unless the caller opts in.
      expect(decodeContinuationToken(token, SECRET)._unsafeUnwrapErr()).toMatchObject({
        _tag: "InvalidContinuationToken",
      });
      expect(
        decodeContinuationToken(token, SECRET, { acceptLegacyTokens: true })._unsafeUnwrap(),
      ).toEqual({ kind: "legacy", token });
    }
  });

  it("rejects strings that cannot be tokens", () => {
    for (const bad of ["", "has space", "a/b", "a+b=", "x".repeat(MAX_TOKEN_LENGTH + 1), 7, null])
      expect(decodeContinuationToken(bad)._unsafeUnwrapErr()._tag).toBe("InvalidContinuationToken");
    expect(decodeContinuationToken("x".repeat(MAX_TOKEN_LENGTH)).isOk()).toBe(true);
  });

  it("never throws, whatever it is given", () => {
    assertProperty(
      fc.property(anyInput, anyInput, (token, s) => {
        expect(() => decodeContinuationToken(token.make(), s.make() as string)).not.toThrow();
      }),
      { numRuns: 300 },
    );
  });
});

describe("a signed token, changed, at the resume validator", () => {
  it("is reported as signature with the secret, and as malformed or version without it", () => {
    const token = mintContinuationToken(claim, SECRET)._unsafeUnwrap();
    expect(verdictOn(token, SECRET)).toEqual({ decodedOk: true, reason: "ok", mismatch: null });
    const withSecret = new Set<string>();
    const without = new Set<string>();
    for (let i = 0; i < token.length; i++) {
      const ch = token[i] === "A" ? "B" : "A";
      const changed = token.slice(0, i) + ch + token.slice(i + 1);
      const v = verdictOn(changed, SECRET);
      expect(v.decodedOk).toBe(false);
      withSecret.add(v.mismatch ?? "");
      without.add(verdictOn(changed, undefined).mismatch ?? "ok");
    }
    // With a secret, anything not signed with it is one reason: the one a caller acts on.
    expect([...withSecret]).toEqual(["signature"]);
    // Without one, a damaged payload is malformed (or names another thread); a damaged
    // signature is not checked, so it passes as unverified.
    expect(without).toContain("malformed");
    expect(without).toContain("ok");
    expect(without).not.toContain("signature");
    expect(verdictOn(token.replace("cfp1", "cfp9"), SECRET).mismatch).toBe("signature");
    expect(verdictOn(token.replace("cfp1", "cfp9"), undefined).mismatch).toBe("version");
  });
});
