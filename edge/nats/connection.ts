/**
 * NATS connections for the data path. `noAsyncTraces` stops nats.js from
 * building an Error per request to keep async stack traces: on a
 * publish-heavy process that was ~40% of the CPU.
 */
import { connect, type NatsConnection } from "@nats-io/transport-node";

export async function connectNats(url: string, name: string): Promise<NatsConnection> {
  return connect({
    servers: url.split(","),
    name,
    noAsyncTraces: true,
    maxReconnectAttempts: -1,
    reconnectTimeWait: 500,
    waitOnFirstConnect: true,
    timeout: 10_000,
  });
}

/** Whether the server has JetStream enabled for this account. */
export async function hasJetStream(nc: NatsConnection): Promise<boolean> {
  try {
    const r = await nc.request("$JS.API.INFO", undefined, { timeout: 2000 });
    const info = JSON.parse(new TextDecoder().decode(r.data)) as { error?: unknown };
    return !info.error;
  } catch {
    return false;
  }
}
