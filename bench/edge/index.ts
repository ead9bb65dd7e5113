/**
 * `npm run bench -- edge`: how many records per second one `weir edge`
 * pipeline takes from JetStream, next to a bare nats.js consumer of the same
 * stream, with many records per message and with one. Appends the run to
 * bench/results/edge.json and rewrites its section of docs/benchmarks.md;
 * a contender that does not see the whole input records nothing.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Benchmark, BenchmarkOptions } from "../lib/benchmark.js";
import { writeDocSection } from "../lib/docs.js";
import { describeMachine } from "../lib/machine.js";
import { benchmarksDoc, repoRoot, resultsFile } from "../lib/paths.js";
import { appendRun } from "../lib/results.js";
import { bareContender } from "./bare.js";
import { EDGE_CASES } from "./cases.js";
import { FULL_SHAPE } from "./data.js";
import { measureEdge } from "./measure.js";
import { edgeMarkdown, edgeText } from "./report.js";
import type { EdgeRun } from "./run-record.js";
import { weirEdgeContender } from "./weir-edge.js";

function packageVersion(name: string): string {
  try {
    return (JSON.parse(readFileSync(join(repoRoot(), "node_modules", name, "package.json"), "utf8")) as { version: string }).version;
  } catch {
    return "unknown";
  }
}

export const edgeBenchmark: Benchmark = {
  name: "edge",
  summary: "one `weir edge` pipeline reading JetStream, next to a bare nats.js consumer (private nats-server)",
  async run({ quick, log }: BenchmarkOptions): Promise<void> {
    const machine = describeMachine();
    const shape = { ...FULL_SHAPE, records: quick ? FULL_SHAPE.records / 10 : FULL_SHAPE.records };
    const contenders = [bareContender, weirEdgeContender];
    const m = await measureEdge(shape, EDGE_CASES, contenders, log);
    const run: EdgeRun = {
      machine,
      quick,
      data: shape,
      versions: { natsServer: m.natsServer, natsJs: packageVersion("@nats-io/jetstream"), msgpackr: packageVersion("msgpackr") },
      cases: m.cases,
      results: m.results,
    };
    process.stdout.write(edgeText(run) + "\n");
    appendRun(resultsFile("edge"), run);
    writeDocSection(benchmarksDoc(), "edge", edgeMarkdown(run, contenders));
    log("edge: appended to bench/results/edge.json, rewrote its section of docs/benchmarks.md");
  },
};
