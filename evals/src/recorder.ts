import { appendFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import type { ElicitRequestFormParams, ElicitResult, JSONRPCMessage } from "@modelcontextprotocol/sdk/types.js";
import { connectInProcess } from "../../src/agent/connect.js";
import type { App } from "../../src/app.js";
import type { ToolRegistry } from "../../tools/registry.js";

/** One JSON-RPC message crossing the MCP boundary, as written to a transcript line. */
export interface TranscriptEntry {
  /** Order of the message in the run, from 0. */
  seq: number;
  /** Milliseconds since the recorder started. */
  ms: number;
  dir: "client→server" | "server→client";
  message: JSONRPCMessage;
}

/**
 * Records every JSON-RPC message between the agent's MCP client and Argus's MCP server,
 * in order, in memory and (when given a path) as JSONL: one `TranscriptEntry` per line, so
 * a run can be read or replayed message by message.
 */
export class Recorder {
  readonly entries: TranscriptEntry[] = [];
  private readonly t0 = performance.now();

  constructor(readonly path?: string) {
    if (path) {
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, "");
    }
  }

  record(dir: TranscriptEntry["dir"], message: JSONRPCMessage): void {
    const entry: TranscriptEntry = { seq: this.entries.length, ms: Math.round((performance.now() - this.t0) * 10) / 10, dir, message: structuredClone(message) };
    this.entries.push(entry);
    if (this.path) appendFileSync(this.path, `${JSON.stringify(entry)}\n`);
  }

  /** The linked in-memory pair, with every message each side sends recorded on its way. */
  linkedPair(): [client: InMemoryTransport, server: InMemoryTransport] {
    const [client, server] = InMemoryTransport.createLinkedPair();
    this.tap(client, "client→server");
    this.tap(server, "server→client");
    return [client, server];
  }

  private tap(t: InMemoryTransport, dir: TranscriptEntry["dir"]): void {
    const send = t.send.bind(t);
    t.send = (message, options) => {
      this.record(dir, message);
      return send(message, options);
    };
  }

  /** tools/call requests in order, with their names and arguments. */
  toolCalls(): { name: string; args: Record<string, unknown> }[] {
    return this.entries.flatMap((e) => {
      const m = e.message as { method?: string; params?: { name?: string; arguments?: Record<string, unknown> } };
      return e.dir === "client→server" && m.method === "tools/call" ? [{ name: m.params?.name ?? "", args: m.params?.arguments ?? {} }] : [];
    });
  }
}

/** Reads a transcript file back. */
export function readTranscript(path: string): TranscriptEntry[] {
  return readFileSync(path, "utf8")
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l) => JSON.parse(l) as TranscriptEntry);
}

export type ElicitationAnswer = (request: ElicitRequestFormParams) => Promise<ElicitResult> | ElicitResult;

export interface RecordedConnection {
  client: Client;
  recorder: Recorder;
  close(): Promise<void>;
}

/**
 * Argus's MCP server in this process, connected to a client that declares elicitation
 * (like the copilot's), over a recorded in-memory pair. `elicit` plays the person.
 */
export async function connectRecorded(app: App, registry: ToolRegistry, elicit: ElicitationAnswer, recorder: Recorder): Promise<RecordedConnection> {
  // The copilot's own in-process connection, over a pair that records every message.
  const conn = await connectInProcess(app, registry, async (request) => elicit(request), { linkedPair: () => recorder.linkedPair() });
  return { client: conn.client, recorder, close: () => conn.close() };
}

/** What the simulated person answers to an approval prompt, per the case's `setup.human`. */
export function humanAnswer(human: "approve" | "decline" | "absent"): ElicitationAnswer {
  return () => (human === "approve" ? { action: "accept", content: { approve: true } } : human === "decline" ? { action: "decline" } : { action: "cancel" });
}
