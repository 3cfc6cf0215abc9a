import { loadConfig } from "../../../core/config.js";
import { ensureToken, rotateToken } from "../../auth/token.js";

/** `argus token [--rotate]`: show the HTTP bearer token and where it is kept. */
export function tokenCommand(flags: { rotate?: boolean; approver?: boolean }): number {
  const config = loadConfig();
  const name = flags.approver ? "approver-token" : "token";
  const configured = flags.approver ? config.execution.approverToken : config.http.token;
  if (flags.rotate) {
    if (configured) {
      process.stderr.write(`The token comes from ${flags.approver ? "ARGUS_APPROVER_TOKEN (or execution.approverToken" : "ARGUS_TOKEN (or http.token"} in the config file); change it there.\n`);
      return 1;
    }
    const { token, path } = rotateToken(config.home, name);
    process.stderr.write(`New token written to ${path} (mode 0600). A running server accepts it within a second and refuses the old one; update your clients.\n`);
    process.stdout.write(`${token}\n`);
    return 0;
  }
  const t = ensureToken(config.home, configured, name);
  process.stderr.write(t.source === "config" ? `Token from ${flags.approver ? "ARGUS_APPROVER_TOKEN" : "ARGUS_TOKEN"} / config file.\n` : `Token file: ${t.path}${t.created ? " (created now)" : ""}\n`);
  process.stdout.write(`${t.token}\n`);
  return 0;
}
