/**
 * The Redis watcher: PINGs only while someone waits, tells every waiter once PINGs have failed
 * (or gone unanswered) for `lostAfterMs`, and never tells anyone while PINGs succeed.
 */
import { redisWatch } from "../../lib/fleet/watch.js";

const timing = { intervalMs: 10, lostAfterMs: 60 };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const settled = async (p: Promise<unknown>, ms: number): Promise<boolean> =>
  Promise.race([p.then(() => true), sleep(ms).then(() => false)]);

describe("redisWatch", () => {
  it("does not PING while nobody waits", async () => {
    let pings = 0;
    redisWatch(async () => void pings++, timing);
    await sleep(80);
    expect(pings).toBe(0);
  });

  it("tells every waiter once PINGs have failed for lostAfterMs", async () => {
    let pings = 0;
    const w = redisWatch(() => {
      pings++;
      return Promise.reject(new Error("ECONNREFUSED"));
    }, timing);
    const [a, b] = [w.watch(), w.watch()];
    const cause = await a.lost;
    expect(String(cause)).toContain("ECONNREFUSED");
    expect(await settled(b.lost, 1_000)).toBe(true);
    // Losing needs several failed PINGs in a row, not one.
    expect(pings).toBeGreaterThanOrEqual(2);
  });

  it("counts a PING that never answers as failed", async () => {
    const w = redisWatch(() => new Promise(() => undefined), timing);
    const cause = await w.watch().lost;
    expect(String(cause)).toContain("no answer");
  });

  it("never tells anyone while PINGs succeed, and a success resets the loss", async () => {
    let n = 0;
    // Fails 3 times in 4: never 60 ms of failures in a row.
    const w = redisWatch(
      () => (++n % 4 === 0 ? Promise.resolve() : Promise.reject(new Error("x"))),
      {
        intervalMs: 10,
        lostAfterMs: 1_000,
      },
    );
    const waiting = w.watch();
    expect(await settled(waiting.lost, 1_500)).toBe(false);
    waiting.done();
  });

  it("stops PINGing when the last waiter is done", async () => {
    let pings = 0;
    const w = redisWatch(async () => void pings++, timing);
    const waiting = w.watch();
    await sleep(60);
    waiting.done();
    await sleep(30);
    const after = pings;
    await sleep(80);
    expect(after).toBeGreaterThan(0);
    expect(pings).toBe(after);
  });
});
