/** Worker-thread entry: parses and queries companyfacts off the main event loop. */
import { parentPort, workerData } from "node:worker_threads";
import { FactsHandler } from "./handler.js";
import type { WorkerRequest } from "./protocol.js";

const handler = new FactsHandler((workerData as { maxCompanies?: number } | undefined)?.maxCompanies);
parentPort?.on("message", (req: WorkerRequest) => {
  parentPort?.postMessage(handler.handle(req));
});
