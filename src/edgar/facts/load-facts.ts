import { ArgusError } from "../../core/errors.js";
import { EdgarError } from "../client/errors.js";
import { parseCompanyFacts, type CompanyFacts } from "../statements/index.js";

/**
 * Bytes of a companyfacts response → validated CompanyFacts. A body that is not JSON
 * (cut off in transit) or not a companyfacts document is the SEC's fault, not the
 * caller's: SEC_BAD_RESPONSE, so the cached copy gets evicted and fetched again.
 */
export function loadCompanyFacts(body: Uint8Array, url: string): CompanyFacts {
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString("utf8"));
  } catch (e) {
    throw new EdgarError("SEC_BAD_RESPONSE", `The SEC response for ${url} is not valid JSON (truncated?): ${(e as Error).message}.`, { url, bytes: body.byteLength });
  }
  try {
    return parseCompanyFacts(json);
  } catch (e) {
    if (e instanceof ArgusError) {
      throw new EdgarError("SEC_BAD_RESPONSE", `The SEC response for ${url} is not a companyfacts document: ${e.message}.`, { url, ...e.details });
    }
    throw e;
  }
}
