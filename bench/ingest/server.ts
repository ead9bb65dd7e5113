/**
 * The ingest benchmark's private nats-server: like the edge benchmark's
 * (a free loopback port, JetStream in a fresh temporary folder, removed
 * when the run ends, also when it fails), and configured so that core NATS
 * does not lose messages to a consumer that falls behind a full-speed
 * publisher: the server buffers up to `max_pending` bytes per connection
 * (default 64 MB, here 1 GB, more than a whole run's messages) and waits
 * `write_deadline` for a socket before it calls a client slow. Its
 * monitoring port tells how many slow consumers it cut off (`/varz`).
 */
import { PrivateNatsServer } from "../edge/nats-server.js";

export const MAX_PENDING = "1GB";
export const WRITE_DEADLINE = "60s";

export type IngestNatsServer = PrivateNatsServer;

export const IngestNatsServer = {
  start: (): Promise<PrivateNatsServer> => PrivateNatsServer.start({ config: [`max_pending: ${MAX_PENDING}`, `write_deadline: "${WRITE_DEADLINE}"`], monitor: true }),
};
