/** Worker-thread entry: parses and queries companyfacts off the main event loop. */
import { readlinkSync } from "node:fs";
import { setPriority } from "node:os";
import { parentPort, workerData } from "node:worker_threads";
import { FactsHandler } from "./handler.js";
import type { WorkerRequest } from "./protocol.js";

/**
 * Parsing is background work: on Linux, lower this thread's scheduling priority (nice
 * 10) so that on a machine with few cores the event loop, which answers every other
 * request, gets the CPU first. /proc/thread-self names this thread's id; elsewhere this
 * is skipped and the thread runs at normal priority.
 */
function deprioritize(): void {
  try {
    const tid = Number(readlinkSync("/proc/thread-self").split("/").pop());
    if (Number.isInteger(tid) && tid > 0) setPriority(tid, 10);
  } catch {
    // Not Linux, or not permitted: run at normal priority.
  }
}

deprioritize();
const handler = new FactsHandler((workerData as { maxCompanies?: number } | undefined)?.maxCompanies);
parentPort?.on("message", (req: WorkerRequest) => {
  parentPort?.postMessage(handler.handle(req));
});
