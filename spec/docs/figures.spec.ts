/**
 * docs/transports.md quotes the per-turn figures of README's "Measured" table: the two must not
 * drift apart when the bench is re-run and one of them is updated.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";

const read = (file: string): string => readFileSync(join(process.cwd(), file), "utf8");

/** The "measured" and "ratio" cells of the README row whose first cell contains `what`. */
const row = (what: string): { measured: string; ratio: string } => {
  const line = read("README.md")
    .split("\n")
    .find((l) => l.startsWith("|") && (l.split("|")[1] ?? "").includes(what));
  const cells = (line ?? "").split("|").map((c) => c.trim());
  return { measured: cells[2] ?? "", ratio: cells[3] ?? "" };
};

describe("README and docs/transports.md", () => {
  const transports = read("docs/transports.md");
  it.each([
    ["wall time per turn over `codex app-server` vs the official SDK"],
    ["wall time per turn, `runTurn` over exec vs `@openai/codex-sdk`"],
  ])("give the same figures for %s", (what) => {
    const { measured, ratio } = row(what);
    const figures = [...measured.matchAll(/\d+(?:\.\d+)? ms/g), ...ratio.matchAll(/\d+\.\d+×/g)];
    expect(figures.length).toBeGreaterThanOrEqual(3);
    for (const [figure] of figures)
      expect({ figure, quoted: transports.includes(figure) }).toEqual({
        figure,
        quoted: true,
      });
  });
});
