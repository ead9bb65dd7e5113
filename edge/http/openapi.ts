/** `GET /openapi.json`: the API described as OpenAPI 3.1, with request schemas from schemas.ts. */
import { z } from "zod";
import { specSchema } from "../../src/spec.js";
import { ingestJsonSchema, modeRequestSchema } from "./schemas.js";

function jsonSchema(schema: z.ZodType): Record<string, unknown> {
  const { $schema: _, ...rest } = z.toJSONSchema(schema, { unrepresentable: "any", io: "input" }) as Record<string, unknown>;
  return rest;
}

const json = (ref: string) => ({ "application/json": { schema: { $ref: `#/components/schemas/${ref}` } } });
const error = (description: string) => ({ description, content: json("Error") });
const name = { name: "name", in: "path", required: true, schema: { type: "string" } };
const secured = [{ bearer: [] }];

export function openApiDocument(version: string): object {
  return {
    openapi: "3.1.0",
    info: { title: "weir edge node API", version, description: "Deploy, feed and watch pipelines on a weir edge node (docs/api.md)." },
    components: {
      securitySchemes: { bearer: { type: "http", scheme: "bearer", description: "Required on mutating endpoints and /ingest when the node has a token (--token or WEIR_TOKEN)." } },
      schemas: {
        PipelineSpec: { ...jsonSchema(specSchema), description: "A pipeline spec (docs/configuration.md). Send it as JSON or YAML; durations may be numbers (ms) or strings with a unit." },
        ModeRequest: jsonSchema(modeRequestSchema),
        IngestRecords: jsonSchema(ingestJsonSchema),
        Error: {
          type: "object",
          properties: {
            error: { type: "string" },
            problems: { type: "array", items: { type: "object", properties: { path: { type: "string" }, message: { type: "string" } } } },
          },
          required: ["error"],
        },
        IngestResult: {
          type: "object",
          properties: {
            accepted: { type: "integer" },
            deadLettered: { type: "integer" },
            problems: { type: "array", items: { type: "object", properties: { index: { type: "integer" }, reason: { type: "string" } } } },
          },
        },
        Pipeline: {
          type: "object",
          properties: {
            name: { type: "string" },
            mode: { type: "string", enum: ["continuous", "micro-batch"] },
            status: { type: "string", enum: ["starting", "running", "draining", "stopped", "failed"] },
            origin: { type: "string", enum: ["cli", "api"] },
            error: { type: ["string", "null"] },
            metrics: { type: "object" },
          },
        },
      },
    },
    paths: {
      "/healthz": { get: { summary: "The process is alive", responses: { 200: { description: "ok" } } } },
      "/readyz": { get: { summary: "NATS connected and every pipeline running", responses: { 200: { description: "ready" }, 503: { description: "not ready" } } } },
      "/metrics": { get: { summary: "Prometheus metrics", responses: { 200: { description: "text format 0.0.4", content: { "text/plain": {} } } } } },
      "/pipelines": {
        get: { summary: "Every pipeline with status and counters", responses: { 200: { description: "pipelines", content: { "application/json": { schema: { type: "array", items: { $ref: "#/components/schemas/Pipeline" } } } } } } },
        post: {
          summary: "Deploy a pipeline",
          security: secured,
          parameters: [{ name: "mode", in: "query", schema: { type: "string", enum: ["continuous", "micro-batch"] } }],
          requestBody: { required: true, content: { ...json("PipelineSpec"), "application/yaml": { schema: { type: "string" } } } },
          responses: { 201: { description: "deployed", content: json("Pipeline") }, 400: error("invalid spec: problems name the field paths"), 401: error("missing or wrong token"), 409: error("the name exists") },
        },
      },
      "/pipelines/{name}": {
        parameters: [name],
        get: { summary: "One pipeline: spec, mode, status, counters", responses: { 200: { description: "pipeline", content: json("Pipeline") }, 404: error("no such pipeline") } },
        put: {
          summary: "Replace a pipeline (the old one drains and checkpoints first)",
          security: secured,
          requestBody: { required: true, content: { ...json("PipelineSpec"), "application/yaml": { schema: { type: "string" } } } },
          responses: { 200: { description: "replaced", content: json("Pipeline") }, 400: error("invalid spec"), 401: error("missing or wrong token"), 404: error("no such pipeline") },
        },
        delete: { summary: "Drain and stop a pipeline", security: secured, responses: { 200: { description: "stopped" }, 401: error("missing or wrong token"), 404: error("no such pipeline") } },
      },
      "/pipelines/{name}/mode": {
        parameters: [name],
        post: {
          summary: "Switch between micro-batch and continuous, keeping state",
          security: secured,
          requestBody: { required: true, content: json("ModeRequest") },
          responses: { 200: { description: "switched", content: json("Pipeline") }, 400: error("bad request"), 401: error("missing or wrong token"), 404: error("no such pipeline") },
        },
      },
      "/pipelines/{name}/windows": {
        parameters: [name, { name: "key", in: "query", schema: { type: "string" }, description: "one key value (composite keys: values joined by |)" }],
        get: { summary: "Open windows and their current aggregates", responses: { 200: { description: "windows" }, 404: error("no such pipeline") } },
      },
      "/pipelines/{name}/results": {
        parameters: [name],
        get: { summary: "Server-Sent Events: result rows as they fire (event: row)", responses: { 200: { description: "event stream", content: { "text/event-stream": {} } }, 404: error("no such pipeline") } },
      },
      "/ingest/{name}": {
        parameters: [name],
        post: {
          summary: "Records for a pipeline with an http source",
          security: secured,
          requestBody: {
            required: true,
            content: { ...json("IngestRecords"), "application/x-ndjson": { schema: { type: "string" } }, "application/msgpack": { schema: { type: "string", format: "binary" } } },
          },
          responses: {
            200: { description: "decoded; problems lists dead-lettered records by index", content: json("IngestResult") },
            400: error("malformed body"),
            401: error("missing or wrong token"),
            404: error("no such pipeline"),
            409: error("the pipeline has no http source"),
            413: error("body too large"),
          },
        },
      },
      "/events": { get: { summary: "Server-Sent Events for the dashboard: metrics every second, result rows", responses: { 200: { description: "event stream", content: { "text/event-stream": {} } } } } },
    },
  };
}
