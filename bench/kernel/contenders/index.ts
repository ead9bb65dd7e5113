/** The kernel benchmark's contenders, in the order they run (and are listed). */
import type { Contender } from "../contender.js";
import { duckdbContender } from "./duckdb.js";
import { naiveJsContender } from "./naive-js.js";
import { weirContender } from "./weir.js";

export function allContenders(): Contender[] {
  return [weirContender("wasm"), weirContender("ts"), naiveJsContender(), duckdbContender()];
}

export { duckdbContender, naiveJsContender, weirContender };
