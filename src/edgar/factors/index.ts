export { computeFactors } from "./factors.js";
export { formatFactorTable, formatFactorValue } from "./format.js";
export type {
  Factor,
  FactorGroup,
  FactorInput,
  FactorOptions,
  FactorPeriod,
  FactorReport,
  FactorSource,
  FactorUnit,
  PriceInput,
} from "./types.js";
