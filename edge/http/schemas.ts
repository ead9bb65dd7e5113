/**
 * The schemas of the API's request bodies: they validate input in the
 * routes and are turned into the OpenAPI document (openapi.ts), so the two
 * cannot drift apart. A pipeline spec is validated by the spec schema itself.
 */
import { z } from "zod";

export const modeRequestSchema = z.strictObject({ mode: z.enum(["continuous", "micro-batch"]) });

/** Records for `POST /ingest/:pipeline` as JSON: one record, or an array of records (bad items are dead-lettered by index). */
export const ingestJsonSchema = z.union([z.array(z.unknown()), z.record(z.string(), z.unknown())]);
