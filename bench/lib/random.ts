/** The seeded generator of the built-in source: every benchmark run sees the same data. */
export { seededRandom } from "../../edge/sources/generator-source.js";
