/** Where the dashboard's files are: next to this module in the sources, whether run from src or dist. */
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
/** dist/edge/http → edge/http/dashboard in the package. */
const DASHBOARD = [join(here, "dashboard"), join(here, "../../../edge/http/dashboard")].find((d) => existsSync(d)) ?? join(here, "dashboard");
const require = createRequire(import.meta.url);

/** A dashboard file, or (vendor) uPlot's browser build from node_modules. */
export function assetPath(file: string, vendor = false): string {
  if (!vendor) return join(DASHBOARD, file);
  const dist = dirname(require.resolve("uplot"));
  return join(dist, file === "uplot.css" ? "uPlot.min.css" : "uPlot.iife.min.js");
}
