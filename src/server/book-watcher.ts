import type { App } from "../app.js";

/**
 * Keeps the record in step with the book while a server runs: new broker fills are
 * audited (order.filled / order.partially_filled) and proposals nobody decided expire,
 * so the console's live feed and the audit log show them without anyone asking.
 * One pass at a time; a failing broker is logged once per failure streak, not every tick.
 */
export function startBookWatcher(app: App, intervalMs: number): { stop(): void } {
  let running = false;
  let failing = false;
  const tick = async () => {
    if (running) return;
    running = true;
    try {
      app.execution.expireDue();
      await app.execution.auditNewFills();
      failing = false;
    } catch (err) {
      if (!failing) app.logger.warn({ err }, "could not follow the broker's fills; retrying");
      failing = true;
    } finally {
      running = false;
    }
  };
  const timer = setInterval(() => void tick(), intervalMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
