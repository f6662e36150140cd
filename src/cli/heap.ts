// How far V8 lets the heap grow between full collections, set once when the CLI (or a bench worker standing for it) starts.
import { setFlagsFromString } from "node:v8";

/**
 * V8 sets the old generation's next limit at up to four times the live heap when its collections are fast, which they
 * are here: a loaded 100,000-user pair is ≈ 150 MB live, and `analyze` let the heap reach ≈ 600 MB of garbage from
 * the rules and the prediction before one 20 ms collection (peak RSS 795 MB). At 1.5× the peak was 411 MB for 7% more
 * time; at 1.25×, 378 MB for 19% more (measured on the bench pair, `node --trace-gc`). V8 reads the flag each time it
 * sets a limit (MemoryController::GrowingFactor), so setting it after start takes effect.
 */
export const HEAP_GROWING_PERCENT = 50;

export function boundHeapGrowth(): void {
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
}
