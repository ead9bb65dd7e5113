/** Helpers for HTTP API tests: requests with a token, and reading Server-Sent Events. */

export interface Api {
  base: string;
  token?: string;
  req(method: string, path: string, body?: unknown, opts?: { type?: string; auth?: boolean | string }): Promise<{ status: number; body: any; text: string }>;
}

export function api(base: string, token?: string): Api {
  return {
    base,
    token,
    async req(method, path, body, opts = {}) {
      const headers: Record<string, string> = {};
      const auth = opts.auth ?? true;
      if (auth && token) headers.authorization = `Bearer ${typeof auth === "string" ? auth : token}`;
      let payload: BodyInit | undefined;
      if (body !== undefined) {
        headers["content-type"] = opts.type ?? "application/json";
        payload = typeof body === "string" || body instanceof Uint8Array ? (body as BodyInit) : JSON.stringify(body);
      }
      const r = await fetch(base + path, { method, headers, body: payload, signal: AbortSignal.timeout(30_000) });
      const text = await r.text();
      let parsed: unknown = text;
      try {
        parsed = JSON.parse(text);
      } catch {
        // not JSON (metrics)
      }
      return { status: r.status, body: parsed, text };
    },
  };
}

/** Opens an SSE stream and collects events (name, parsed data) until `stop()`. */
export async function sse(url: string) {
  const ctrl = new AbortController();
  const events: { event: string; data: any }[] = [];
  const r = await fetch(url, { signal: ctrl.signal });
  if (!r.ok || !r.body) throw new Error(`SSE ${url}: HTTP ${r.status}`);
  const reader = r.body.getReader();
  const dec = new TextDecoder();
  let buf = "";
  const pump = (async () => {
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        buf += dec.decode(value, { stream: true });
        let i;
        while ((i = buf.indexOf("\n\n")) >= 0) {
          const block = buf.slice(0, i);
          buf = buf.slice(i + 2);
          let event = "message";
          let data = "";
          for (const line of block.split("\n")) {
            if (line.startsWith("event:")) event = line.slice(6).trim();
            else if (line.startsWith("data:")) data += line.slice(5).trim();
          }
          events.push({ event, data: data ? JSON.parse(data) : null });
        }
      }
    } catch {
      // aborted
    }
  })();
  return {
    events,
    stop: async () => {
      ctrl.abort();
      await pump;
    },
  };
}
