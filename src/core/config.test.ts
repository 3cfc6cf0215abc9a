import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { databasePath, loadConfig } from "./config.js";
import { ArgusError } from "./errors.js";

describe("loadConfig", () => {
  const dirs: string[] = [];
  const tmp = () => {
    const d = mkdtempSync(join(tmpdir(), "argus-config-"));
    dirs.push(d);
    return d;
  };
  afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

  it("has documented defaults with no file and no variables", () => {
    const cwd = tmp();
    const c = loadConfig({ env: {}, cwd });
    expect(c.home).toBe(join(homedir(), ".argus"));
    expect(c.http).toMatchObject({ host: "127.0.0.1", port: 7420, stateless: false, allowedHosts: [], allowedOrigins: [] });
    expect(c.data).toMatchObject({ demo: true, demoSeed: 42, maxBarsPerRequest: 20_000, importDirs: [] });
    expect(c.database.synchronous).toBe("NORMAL");
    expect(databasePath(c)).toBe(join(homedir(), ".argus", "argus.db"));
  });

  it("reads argus.config.json and lets environment variables override it", () => {
    const cwd = tmp();
    writeFileSync(join(cwd, "argus.config.json"), JSON.stringify({ http: { port: 8000, host: "0.0.0.0" }, data: { importDirs: ["csv"] } }));
    const c = loadConfig({ env: { ARGUS_HOME: "home", ARGUS_HTTP_PORT: "9000", ARGUS_HTTP_ALLOWED_ORIGINS: "https://a.example, https://b.example" }, cwd });
    expect(c.home).toBe(join(cwd, "home"));
    expect(c.http.port).toBe(9000);
    expect(c.http.host).toBe("0.0.0.0");
    expect(c.http.allowedOrigins).toEqual(["https://a.example", "https://b.example"]);
    expect(c.data.importDirs).toEqual([join(cwd, "csv")]);
  });

  it("rejects invalid settings with CONFIG_INVALID naming the setting", () => {
    const cwd = tmp();
    const expectInvalid = (env: Record<string, string>, pattern: RegExp) => {
      try {
        loadConfig({ env, cwd });
        throw new Error("expected CONFIG_INVALID");
      } catch (e) {
        expect(e).toBeInstanceOf(ArgusError);
        expect((e as ArgusError).code).toBe("CONFIG_INVALID");
        expect((e as ArgusError).message).toMatch(pattern);
      }
    };
    expectInvalid({ ARGUS_HTTP_PORT: "70000" }, /http\.port/);
    expectInvalid({ ARGUS_HTTP_PORT: "abc" }, /ARGUS_HTTP_PORT/);
    expectInvalid({ ARGUS_DEMO: "maybe" }, /ARGUS_DEMO/);
    expectInvalid({ ARGUS_LOG_LEVEL: "loud" }, /logLevel/);
    expectInvalid({ ARGUS_CLOCK_AT: "tomorrow" }, /clock\.at/);
    expectInvalid({ ARGUS_TOKEN: "short" }, /http\.token/);
    writeFileSync(join(cwd, "bad.json"), "{ not json");
    expectInvalid({ ARGUS_CONFIG: "bad.json" }, /not valid JSON/);
    expectInvalid({ ARGUS_CONFIG: "missing.json" }, /Cannot read/);
  });
});
