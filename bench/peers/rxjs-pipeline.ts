/**
 * The RxJS contender of `npm run bench -- peers`, run as its own process:
 *
 *   node dist/bench/peers/rxjs-pipeline.js --nats URL --stream S --durable D --out SUBJECT
 *
 * What a reactive-JS user writes for the benchmark's pipeline: a durable
 * JetStream pull consumer (`consume()`) turned into an Observable with
 * `from()`, each message acknowledged and its msgpack array flattened into
 * records, then `groupBy(deviceId)` and, inside each device, `groupBy` on
 * the 10 s window start computed from `ts`. A window's group completes
 * (its `duration`) when the watermark, max ts − 2 s − 1 over every record
 * seen, passes the window's last millisecond; `reduce` then yields count,
 * avg and max, and each row is published as JSON on a core subject.
 *
 * RxJS's own `bufferTime`/`windowTime` cut by processing time; on a stream
 * read back at full speed they would fold minutes of event time into one
 * window, so the windows are opened and closed by event time here.
 *
 * Prints `{"msg":"consuming"}` on stderr once the consumer is reading; on
 * SIGTERM it stops reading, drains the connection and exits 0.
 */
import { AckPolicy, DeliverPolicy, jetstream, jetstreamManager } from "@nats-io/jetstream";
import { connect } from "@nats-io/transport-node";
import { unpack } from "msgpackr";
import { distinctUntilChanged, filter, from, groupBy, map, mergeMap, reduce, scan, share } from "rxjs";
import { MAX_OUT_OF_ORDERNESS_MS, WINDOW_MS, type SensorRecord } from "../edge/data.js";

interface Args {
  nats: string;
  stream: string;
  durable: string;
  out: string;
}

function parseArgs(argv: string[]): Args {
  const get = (name: string): string => {
    const i = argv.indexOf(`--${name}`);
    const v = i >= 0 ? argv[i + 1] : undefined;
    if (!v) throw new Error(`rxjs-pipeline: --${name} is required`);
    return v;
  };
  return { nats: get("nats"), stream: get("stream"), durable: get("durable"), out: get("out") };
}

/** Start of the tumbling window holding `ts` (epoch-aligned, also for negative times). */
const windowStart = (ts: number): number => ts - (((ts % WINDOW_MS) + WINDOW_MS) % WINDOW_MS);

interface Acc {
  n: number;
  sum: number;
  max: number;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const nc = await connect({ servers: args.nats, name: "peers-rxjs", noAsyncTraces: true });
  const jsm = await jetstreamManager(nc);
  await jsm.consumers.add(args.stream, { durable_name: args.durable, ack_policy: AckPolicy.Explicit, deliver_policy: DeliverPolicy.All });
  const consumer = await jetstream(nc).consumers.get(args.stream, args.durable);
  const messages = await consumer.consume({ max_messages: 1000 });
  process.stderr.write(JSON.stringify({ msg: "consuming", durable: args.durable }) + "\n");

  const records$ = from(messages).pipe(
    mergeMap((m) => {
      const payload = unpack(m.data) as SensorRecord | SensorRecord[];
      m.ack();
      return Array.isArray(payload) ? payload : [payload];
    }),
    share(),
  );

  // every window whose end is at or before this has closed: [s, s + 10 s) closes once s + 10 s − 1 ≤ W
  const closedBefore$ = records$.pipe(
    scan((maxTs, r) => (r.ts > maxTs ? r.ts : maxTs), -Infinity),
    map((maxTs) => maxTs - MAX_OUT_OF_ORDERNESS_MS - 1), // the watermark W
    map((w) => windowStart(w + 1)),
    distinctUntilChanged(),
    share({ resetOnRefCountZero: false }),
  );

  const rows$ = records$.pipe(
    groupBy((r) => r.deviceId),
    mergeMap((device$) =>
      device$.pipe(
        groupBy((r) => windowStart(r.ts), {
          duration: (window$) => closedBefore$.pipe(filter((closed) => window$.key + WINDOW_MS <= closed)),
        }),
        mergeMap((window$) =>
          window$.pipe(
            reduce<SensorRecord, Acc>(
              (a, r) => {
                a.n++;
                a.sum += r.temp;
                if (r.temp > a.max) a.max = r.temp;
                return a;
              },
              { n: 0, sum: 0, max: -Infinity },
            ),
            map((a) => ({
              deviceId: device$.key,
              window_start: window$.key,
              window_end: window$.key + WINDOW_MS,
              n: a.n,
              avg_temp: a.sum / a.n,
              max_temp: a.max,
            })),
          ),
        ),
      ),
    ),
  );

  const subscription = rows$.subscribe({
    next: (row) => nc.publish(args.out, JSON.stringify(row)),
    error: (e: unknown) => {
      process.stderr.write(JSON.stringify({ msg: "pipeline failed", error: String(e) }) + "\n");
      process.exit(1);
    },
  });

  let stopping = false;
  process.once("SIGTERM", () => {
    if (stopping) return;
    stopping = true;
    subscription.unsubscribe();
    void messages
      .close()
      .catch(() => undefined)
      .then(() => nc.drain())
      .then(
        () => process.exit(0),
        () => process.exit(1),
      );
  });
}

main().catch((e: unknown) => {
  process.stderr.write(JSON.stringify({ msg: "rxjs-pipeline failed", error: String((e as Error)?.stack ?? e) }) + "\n");
  process.exit(1);
});
