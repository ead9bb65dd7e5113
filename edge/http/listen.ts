/**
 * The `--http` address grammar: `host:port`, `:port`, `port` or
 * `[v6-host]:port`, and which hosts count as this machine only. Kept apart
 * from server.ts so the CLI can check an address without loading Hono.
 */

export function isLoopback(host: string): boolean {
  return host === "localhost" || host === "::1" || host === "[::1]" || /^127\./.test(host);
}

/** "127.0.0.1:7070", ":7070", "7070", "[::1]:7070" → host and port. @throws Error on anything else */
export function parseListen(listen: string): { host: string; port: number } {
  const m = /^(?:\[([^\]]+)\]|([^:]*))?:?(\d+)$/.exec(listen.trim());
  if (!m) throw new Error(`--http: expected host:port, got "${listen}"`);
  const port = Number(m[3]);
  if (port > 65535) throw new Error(`--http: port ${port} is out of range`);
  return { host: m[1] ?? (m[2] || "127.0.0.1"), port };
}
