/**
 * Reads a text file as lines without loading it whole: 1 MiB chunks, lines
 * split across chunks are joined, `\r\n` endings accepted. Yields lines in
 * groups with the 1-based number of the first, so callers can report
 * `file:line` for a bad record.
 */
import { createReadStream } from "node:fs";

export interface LineGroup {
  lines: string[];
  /** 1-based line number of lines[0]. */
  firstLine: number;
}

export async function* readLines(path: string, chunkBytes = 1 << 20): AsyncGenerator<LineGroup> {
  const stream = createReadStream(path, { encoding: "utf8", highWaterMark: chunkBytes });
  let tail = "";
  let lineNo = 1;
  try {
    for await (const chunk of stream as AsyncIterable<string>) {
      const text = tail + chunk;
      const lines = text.split("\n");
      tail = lines.pop()!;
      if (lines.length === 0) continue;
      for (let i = 0; i < lines.length; i++) {
        const l = lines[i]!;
        if (l.endsWith("\r")) lines[i] = l.slice(0, -1);
      }
      yield { lines, firstLine: lineNo };
      lineNo += lines.length;
    }
    if (tail.endsWith("\r")) tail = tail.slice(0, -1);
    if (tail !== "") yield { lines: [tail], firstLine: lineNo };
  } finally {
    stream.destroy();
  }
}
