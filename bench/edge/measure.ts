/**
 * Runs both contenders on both cases against one private nats-server:
 * per case, fill its stream (untimed), run nats.js-bare, then weir-edge,
 * on the same stream, and check each against the input.
 */
import { WeirError } from "../../src/index.js";
import { connectNats } from "../../edge/nats/connection.js";
import type { Log } from "../lib/log.js";
import { si } from "../lib/report.js";
import type { EdgeCase } from "./cases.js";
import { disagreements } from "./check.js";
import type { CaseInput, EdgeContender } from "./contender.js";
import { expectedOutcome, generateEdgeData, type EdgeDataShape } from "./data.js";
import { PrivateNatsServer } from "./nats-server.js";
import { publishCase } from "./publish.js";
import { caseRecord, edgeResult, type EdgeCaseRecord, type EdgeResult } from "./run-record.js";

export interface EdgeMeasurements {
  natsServer: string;
  cases: EdgeCaseRecord[];
  results: EdgeResult[];
}

/** @throws WeirError `BENCH_MISMATCH` when a contender did not see its input whole. */
export async function measureEdge(
  shape: EdgeDataShape,
  cases: readonly EdgeCase[],
  contenders: readonly EdgeContender[],
  log: Log,
): Promise<EdgeMeasurements> {
  const server = await PrivateNatsServer.start();
  log(`edge: nats-server at ${server.url}, store in ${server.dir}`);
  try {
    const nc = await connectNats(server.url, "weir-bench-publish");
    const out: EdgeMeasurements = { natsServer: nc.info?.version ?? "unknown", cases: [], results: [] };
    try {
      for (const c of cases) {
        const records = shape.records / c.divisor;
        const data = generateEdgeData({ ...shape, records });
        const expected = expectedOutcome(data);
        if (expected.sumN !== records - 1) throw new WeirError("BENCH_SETUP", `${c.name}: the data closes windows holding ${expected.sumN} records, not every record but the last`);
        log(`edge/${c.name}: publishing ${records.toLocaleString("en-US")} records, ${c.recordsPerMessage} per message`);
        const published = await publishCase(nc, c, data, records);
        log(`edge/${c.name}: published ${published.messages.toLocaleString("en-US")} messages in ${published.seconds.toFixed(1)} s (${si(published.messages / published.seconds)} msgs/s)`);
        out.cases.push(caseRecord(c, published, expected));
        const input: CaseInput = { case: c, url: server.url, records, messages: published.messages, expected, dir: server.dir };
        for (const contender of contenders) {
          log(`edge/${c.name}: ${contender.name}`);
          const m = await contender.run(input, log);
          const problems = disagreements(contender.name, input, m);
          if (problems.length > 0) throw new WeirError("BENCH_MISMATCH", problems.join("; "));
          const r = edgeResult(c.name, contender.name, input, m);
          log(`edge/${c.name}: ${contender.name}: ${si(r.recordsPerSec)} records/s, ${si(r.messagesPerSec)} msgs/s (${r.seconds} s)`);
          out.results.push(r);
        }
      }
    } finally {
      await nc.close();
    }
    return out;
  } finally {
    await server.stop();
  }
}
