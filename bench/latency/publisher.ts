/**
 * The latency benchmark's paced publisher and the windows it fills.
 *
 * Records `{ deviceId, ts, temp }` go out on a core NATS subject, one per
 * message (plain msgpack), `ts` the wall clock (Date.now()) when published,
 * `deviceId` round robin over `keys` devices. Phases of fixed rate follow
 * each other without a gap; the first starts on a whole second, and each
 * lasts whole seconds, so every 1 s window holds the records of one phase.
 *
 * The publisher wakes about every millisecond (a 1 ms timer) and publishes
 * what the rate owes since the phase began. If it falls behind by more than
 * {@link MAX_OWED_MS} of messages, the excess is skipped, not sent in a
 * burst: the achieved rate then shows the shortfall.
 *
 * A phase may pause at every whole second (`closeDelayMaxMs`): nothing is
 * published for a random 0..closeDelayMaxMs ms (seeded), and the messages
 * owed in the pause are never sent, so the record that closes the window is
 * published that much after the second began. In micro-batch mode this
 * spreads the window ends over the trigger's cycle (see measure.ts).
 *
 * With `maxOutOfOrderness` 0 the watermark is `max ts − 1`, and a window
 * [s, s + 1000) completes when a record with `ts ≥ s + 1000` is taken in
 * (docs/semantics.md, "Firing and lateness": `W ≥ end − 1`). Timestamps
 * never go back here, so that record is the first one published in a later
 * second: its publish time (performance.now(), when handed to nats.js) is
 * kept as the window's close time.
 */
import type { NatsConnection } from "@nats-io/transport-node";
import { pack } from "msgpackr";
import { seededRandom } from "../lib/random.js";
import { sleep } from "./proc.js";

export const WINDOW_MS = 1000;
/** How far (in ms of messages) the publisher may fall behind before it skips messages. */
export const MAX_OWED_MS = 10;

export interface Phase {
  /** Messages (= records) per second. */
  rate: number;
  seconds: number;
  /** false for the warm-up: its windows are checked, not measured. */
  measured: boolean;
  /** Pause for a random 0..closeDelayMaxMs ms at each whole second (0 or absent: never). */
  closeDelayMaxMs?: number;
}

/** One 1 s window as published, and as its rows came back. */
export interface WindowTrack {
  /** Epoch ms, a multiple of 1000. */
  start: number;
  /** Index of the phase whose records fill it. */
  phase: number;
  records: number;
  /** Which keys have records in it, and how many: the rows it must produce. */
  keys: Uint8Array;
  distinct: number;
  /** performance.now() when the record that closes it was published; null while open. */
  closedAt: number | null;
  /** Index of the phase that published that record (phases.length: the closing record after the last phase). */
  closingPhase: number;
  /** Rows received for it, their Σ n, and when its first and last row arrived. */
  rows: number;
  sumN: number;
  firstRowAt: number | null;
  lastRowAt: number | null;
}

/** What one phase published. */
export interface PhasePublished {
  messages: number;
  /** Messages the rate owed but the publisher skipped because it fell behind. */
  skipped: number;
  /** Milliseconds paused at whole seconds, and the messages not sent in them. */
  pausedMs: number;
  pausedMessages: number;
  /** Its length: whole seconds of wall clock. */
  seconds: number;
  /** CPU seconds of the benchmark process and of weir edge during the phase (null where /proc cannot tell). */
  benchCpuSeconds: number;
  weirCpuSeconds: number | null;
}

export class WindowTracker {
  readonly windows = new Map<number, WindowTrack>();
  private open: WindowTrack | null = null;
  private maxTs = -Infinity;

  constructor(readonly keys: number) {}

  /** Notes a record just handed to nats.js (called in publish order). */
  published(ts: number, key: number, phase: number, now: number): void {
    if (ts > this.maxTs) this.maxTs = ts;
    const start = ts - (ts % WINDOW_MS);
    if (this.open && this.open.start + WINDOW_MS <= ts) {
      this.open.closedAt = now;
      this.open.closingPhase = phase;
      this.open = null;
    }
    if (!this.open || this.open.start !== start) {
      let w = this.windows.get(start);
      if (!w) {
        w = { start, phase, records: 0, keys: new Uint8Array(this.keys), distinct: 0, closedAt: null, closingPhase: -1, rows: 0, sumN: 0, firstRowAt: null, lastRowAt: null };
        this.windows.set(start, w);
      }
      this.open = w;
    }
    const w = this.open;
    w.records++;
    if (w.keys[key] === 0) {
      w.keys[key] = 1;
      w.distinct++;
    }
  }

  /** Windows the published records have closed, oldest first. */
  closed(): WindowTrack[] {
    return [...this.windows.values()].filter((w) => w.closedAt !== null).sort((a, b) => a.start - b.start);
  }

  /** Whether every closed window has all its rows. */
  complete(): boolean {
    for (const w of this.windows.values()) if (w.closedAt !== null && w.rows < w.distinct) return false;
    return true;
  }
}

/** Sleeps until Date.now() reaches `wallMs` (a timer to ~2 ms before, then 1 ms steps). */
async function untilWall(wallMs: number): Promise<void> {
  for (;;) {
    const left = wallMs - Date.now();
    if (left <= 0) return;
    await sleep(left > 3 ? left - 2 : 1);
  }
}

export interface PublishOptions {
  nc: NatsConnection;
  subject: string;
  phases: readonly Phase[];
  tracker: WindowTracker;
  /** Called with every message's number (from 0, in publish order), phase and publish time. */
  onPublish?: (seq: number, phase: number, at: number) => void;
  /** weir edge's pid, for its CPU time per phase. */
  weirPid: number;
  cpuSeconds: (pid: number) => number | null;
  log: (line: string) => void;
}

/**
 * Publishes every phase, then one more record one second after the last
 * phase ends (it closes the last phase's last window), and returns what each
 * phase published.
 */
export async function publishPhases(o: PublishOptions): Promise<PhasePublished[]> {
  const names = Array.from({ length: o.tracker.keys }, (_, i) => `dev-${String(i).padStart(3, "0")}`);
  let seq = 0;
  const send = (ts: number, phase: number) => {
    const key = seq % names.length;
    const payload = pack({ deviceId: names[key], ts, temp: 15 + (seq % 97) / 10 });
    const at = performance.now();
    o.tracker.published(ts, key, phase, at);
    o.onPublish?.(seq, phase, at);
    o.nc.publish(o.subject, payload);
    seq++;
  };
  const rnd = seededRandom(20261203);
  const out: PhasePublished[] = [];
  let phaseStart = Math.ceil((Date.now() + 50) / WINDOW_MS) * WINDOW_MS;
  await untilWall(phaseStart);
  for (let i = 0; i < o.phases.length; i++) {
    const { rate, seconds } = o.phases[i]!;
    const end = phaseStart + seconds * 1000;
    const cap = Math.max(1, Math.ceil((rate * MAX_OWED_MS) / 1000));
    const bench0 = process.cpuUsage();
    const weir0 = o.cpuSeconds(o.weirPid);
    const delayMax = o.phases[i]!.closeDelayMaxMs ?? 0;
    let sent = 0;
    let skipped = 0;
    let pausedMs = 0;
    let pausedMessages = 0;
    let second = phaseStart;
    let pauseUntil = phaseStart;
    for (;;) {
      const now = Date.now();
      if (now >= end) break;
      if (delayMax > 0 && now >= second) {
        const delay = Math.floor(rnd() * delayMax);
        pauseUntil = second + delay;
        pausedMs += delay;
        second += WINDOW_MS;
      }
      let owed = Math.floor(((now - phaseStart + 1) * rate) / 1000) - sent - skipped - pausedMessages;
      if (now < pauseUntil) {
        pausedMessages += Math.max(0, owed);
        await sleep(1);
        continue;
      }
      if (owed > cap) {
        skipped += owed - cap;
        owed = cap;
      }
      for (let k = 0; k < owed; k++) send(now, i);
      sent += Math.max(0, owed);
      await sleep(1);
    }
    const bench = process.cpuUsage(bench0);
    const weir1 = o.cpuSeconds(o.weirPid);
    out.push({
      messages: sent,
      skipped,
      pausedMs,
      pausedMessages,
      seconds,
      benchCpuSeconds: (bench.user + bench.system) / 1e6,
      weirCpuSeconds: weir0 === null || weir1 === null ? null : weir1 - weir0,
    });
    o.log(`phase ${i} at ${rate.toLocaleString("en-US")}/s: ${sent.toLocaleString("en-US")} messages${skipped ? `, ${skipped.toLocaleString("en-US")} skipped (publisher behind)` : ""}`);
    phaseStart = end;
  }
  // the last phase's last window closes with the first record of the next second
  await untilWall(phaseStart);
  send(Date.now(), o.phases.length);
  await o.nc.flush();
  return out;
}
