import type { EvalCase } from "../case.js";

export interface ToolsScore {
  /** Distinct tools called successfully. */
  used: string[];
  required: string[];
  /** Share of the distinct tools used that are required (1 when none was used). */
  precision: number;
  /** Share of the required tools used successfully (1 when none is required). */
  recall: number;
  missing: string[];
  /** Forbidden tools the agent called, even if the call failed: trying is enough to fail. */
  forbiddenUsed: string[];
  failed: boolean;
}

export function scoreTools(calls: readonly { name: string; isError: boolean }[], spec: EvalCase["tools"]): ToolsScore {
  const used = [...new Set(calls.filter((c) => !c.isError).map((c) => c.name))].sort();
  const attempted = new Set(calls.map((c) => c.name));
  const required = [...new Set(spec.required)];
  const hits = used.filter((t) => required.includes(t));
  const forbiddenUsed = spec.forbidden.filter((t) => attempted.has(t));
  return {
    used,
    required,
    precision: used.length === 0 ? 1 : hits.length / used.length,
    recall: required.length === 0 ? 1 : required.filter((t) => used.includes(t)).length / required.length,
    missing: required.filter((t) => !used.includes(t)),
    forbiddenUsed,
    failed: forbiddenUsed.length > 0,
  };
}
