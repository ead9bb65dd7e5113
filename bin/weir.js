#!/usr/bin/env node
// The `weir` command: runs the compiled CLI (npm install / npm run build makes dist/).
import { existsSync } from "node:fs";

const entry = new URL("../dist/edge/cli/main.js", import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write("weir: not built yet: run `npm install` (or `npm run build`) in the weir folder first\n");
  process.exit(1);
}
const { main } = await import(entry.href);
process.exitCode = await main(process.argv.slice(2));
