import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { openDatabase } from "./connection.js";

describe("openDatabase", () => {
  const dirs: string[] = [];
  afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

  it("creates the file, uses WAL with the configured synchronous level and applies migrations", () => {
    const dir = mkdtempSync(join(tmpdir(), "argus-db-"));
    dirs.push(dir);
    const db = openDatabase({ path: join(dir, "nested", "argus.db"), synchronous: "FULL" });
    expect(db.$client.pragma("journal_mode", { simple: true })).toBe("wal");
    expect(db.$client.pragma("synchronous", { simple: true })).toBe(2); // FULL
    const tables = db.$client.prepare("select name from sqlite_master where type='table' order by name").all() as { name: string }[];
    expect(tables.map((t) => t.name)).toEqual(expect.arrayContaining(["bars", "symbols"]));
    db.$client.close();
    // Reopening applies nothing twice.
    const again = openDatabase({ path: join(dir, "nested", "argus.db"), synchronous: "NORMAL" });
    expect(again.$client.pragma("synchronous", { simple: true })).toBe(1);
    again.$client.close();
  });
});
