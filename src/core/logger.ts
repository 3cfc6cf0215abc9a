import { pino, type Logger } from "pino";

export type { Logger };

/** Keys whose values are never written, wherever they appear in a log record. */
const REDACTED_PATHS = [
  "token", "*.token", "authorization", "*.authorization", "headers.authorization",
  "apiKey", "*.apiKey", "secret", "*.secret", "password", "*.password",
];

/**
 * The logger writes to stderr only: in stdio mode stdout carries the MCP protocol and
 * a stray line there corrupts the stream.
 */
export function createLogger(level: string = "info", destination: NodeJS.WritableStream = process.stderr): Logger {
  return pino(
    { level, base: { app: "argus" }, redact: { paths: REDACTED_PATHS, censor: "[redacted]" } },
    destination,
  );
}

/** A logger that drops everything, for tests and in-process CLI calls. */
export function silentLogger(): Logger {
  return pino({ level: "silent" });
}
