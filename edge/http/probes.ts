/**
 * The three answers an idle node is asked for all day: liveness, readiness
 * and Prometheus metrics (docs/api.md). server.ts gives them without
 * loading the API (app.ts), and app.ts routes the same paths here, so both
 * answer alike.
 */
import type { EdgeNode } from "../runtime/edge-node.js";
import { prometheusText } from "./prometheus.js";

export interface ProbeAnswer {
  status: 200 | 503;
  contentType: string;
  body: string;
}

export const PROBE_PATHS = ["/healthz", "/readyz", "/metrics"] as const;
export type ProbePath = (typeof PROBE_PATHS)[number];

export function isProbePath(path: string): path is ProbePath {
  return (PROBE_PATHS as readonly string[]).includes(path);
}

const JSON_TYPE = "application/json";

export function probe(node: EdgeNode, path: ProbePath): ProbeAnswer {
  switch (path) {
    case "/healthz":
      return { status: 200, contentType: JSON_TYPE, body: JSON.stringify({ status: "ok" }) };
    case "/readyz": {
      const pipelines = node.list().map((d) => ({ name: d.name, status: d.pipeline.status }));
      const nats = node.nc ? (node.nc.isClosed() ? "closed" : "connected") : "not used";
      const ready = node.ready();
      return { status: ready ? 200 : 503, contentType: JSON_TYPE, body: JSON.stringify({ ready, nats, pipelines }) };
    }
    case "/metrics": {
      const text = prometheusText(node.list().map((d) => ({ ...d.pipeline.metrics(), status: d.pipeline.status })));
      return { status: 200, contentType: "text/plain; version=0.0.4; charset=utf-8", body: text };
    }
  }
}
