/**
 * Splits a byte stream into lines as chunks arrive, with a cap on a line's length. A final
 * line without a newline is still delivered at the end.
 */
export interface LineSplitter {
  /** Feeds a chunk; returns the complete lines in it, or "too_long" once a line passes the cap. */
  push(chunk: Buffer): string[] | "too_long";
  /** The last, unterminated line (if any). */
  end(): string[];
}

/** Creates a splitter that refuses lines longer than `maxLineBytes`. */
export const createLineSplitter = (maxLineBytes: number): LineSplitter => {
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  const take = (tail: Buffer): string => {
    const line = Buffer.concat([...pending, tail]).toString("utf8");
    pending = [];
    pendingBytes = 0;
    return line.endsWith("\r") ? line.slice(0, -1) : line;
  };
  return {
    push(chunk) {
      const lines: string[] = [];
      let start = 0;
      for (let nl = chunk.indexOf(10, start); nl !== -1; nl = chunk.indexOf(10, start)) {
        if (pendingBytes + nl - start > maxLineBytes) return "too_long";
        lines.push(take(chunk.subarray(start, nl)));
        start = nl + 1;
      }
      const rest = chunk.subarray(start);
      if (rest.length > 0) {
        pendingBytes += rest.length;
        if (pendingBytes > maxLineBytes) return "too_long";
        pending.push(rest);
      }
      return lines;
    },
    end() {
      if (pendingBytes === 0) return [];
      const line = take(Buffer.alloc(0));
      return line.trim() === "" ? [] : [line];
    },
  };
};
