/**
 * `GET /metrics`: the metrics registry in the Prometheus text exposition
 * format (version 0.0.4), one series per pipeline.
 */
import type { HistogramSnapshot, PipelineMetrics } from "../runtime/metrics.js";

interface Family {
  name: string;
  help: string;
  type: "counter" | "gauge";
  value: (m: PipelineMetrics) => number | null;
}

const FAMILIES: Family[] = [
  { name: "weir_records_in_total", help: "Records decoded and processed.", type: "counter", value: (m) => m.recordsIn },
  { name: "weir_rows_out_total", help: "Result rows emitted.", type: "counter", value: (m) => m.rowsOut },
  { name: "weir_late_records_total", help: "Records dropped as too late for their windows.", type: "counter", value: (m) => m.late },
  { name: "weir_dead_lettered_total", help: "Messages or records that could not be used (sent to the dead-letter output).", type: "counter", value: (m) => m.deadLettered },
  { name: "weir_dropped_total", help: "Core NATS messages dropped because the pipeline could not keep up.", type: "counter", value: (m) => m.dropped },
  { name: "weir_slow_consumer_events_total", help: "Slow-consumer events reported by the NATS client.", type: "counter", value: (m) => m.slowConsumerEvents },
  { name: "weir_checkpoints_total", help: "Checkpoints written.", type: "counter", value: (m) => m.checkpoints },
  { name: "weir_watermark_ms", help: "Pipeline watermark, epoch milliseconds.", type: "gauge", value: (m) => m.watermark },
  { name: "weir_watermark_lag_ms", help: "Wall clock minus watermark, milliseconds.", type: "gauge", value: (m) => m.watermarkLagMs },
  { name: "weir_open_windows", help: "(key, window) pairs holding state.", type: "gauge", value: (m) => m.openWindows },
  { name: "weir_state_bytes", help: "Bytes of window state in the kernel.", type: "gauge", value: (m) => m.stateBytes },
  { name: "weir_uplink_backlog_bytes", help: "Bytes held in the sink stream (the store-and-forward backlog), sampled at checkpoints.", type: "gauge", value: (m) => m.backlogBytes },
  { name: "weir_unacked_messages", help: "Source messages received whose effect is not yet checkpointed.", type: "gauge", value: (m) => m.unacked },
];

const HISTOGRAMS: { name: string; help: string; value: (m: PipelineMetrics) => HistogramSnapshot }[] = [
  { name: "weir_batch_processing_seconds", help: "Seconds per executor call (a chunk of records, a batch end, a tick).", value: (m) => m.batchSeconds },
  { name: "weir_record_processing_seconds", help: "Seconds per record within a chunk.", value: (m) => m.recordSeconds },
];

function label(v: string): string {
  return v.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");
}

function num(v: number): string {
  return Number.isFinite(v) ? String(v) : v > 0 ? "+Inf" : v < 0 ? "-Inf" : "NaN";
}

export function prometheusText(pipelines: (PipelineMetrics & { status: string })[]): string {
  const out: string[] = [];
  out.push("# HELP weir_pipeline_up 1 when the pipeline is running.", "# TYPE weir_pipeline_up gauge");
  for (const m of pipelines) out.push(`weir_pipeline_up{pipeline="${label(m.pipeline)}",mode="${m.mode}",status="${m.status}"} ${m.status === "running" ? 1 : 0}`);
  for (const f of FAMILIES) {
    out.push(`# HELP ${f.name} ${f.help}`, `# TYPE ${f.name} ${f.type}`);
    for (const m of pipelines) {
      const v = f.value(m);
      if (v !== null) out.push(`${f.name}{pipeline="${label(m.pipeline)}"} ${num(v)}`);
    }
  }
  for (const h of HISTOGRAMS) {
    out.push(`# HELP ${h.name} ${h.help}`, `# TYPE ${h.name} histogram`);
    for (const m of pipelines) {
      const s = h.value(m);
      const p = `pipeline="${label(m.pipeline)}"`;
      let cum = 0;
      s.bounds.forEach((b, i) => {
        cum += s.counts[i]!;
        out.push(`${h.name}_bucket{${p},le="${b}"} ${cum}`);
      });
      out.push(`${h.name}_bucket{${p},le="+Inf"} ${s.count}`, `${h.name}_sum{${p}} ${s.sum}`, `${h.name}_count{${p}} ${s.count}`);
    }
  }
  return out.join("\n") + "\n";
}
