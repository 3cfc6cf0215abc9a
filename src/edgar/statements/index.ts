export { parseCompanyFacts, type CompanyFacts, type RawFact, type Concept } from "./schema.js";
export {
  buildStatements,
  buildAllStatements,
  conceptHistory,
  filingUrl,
  type AllStatements,
  type CellValue,
  type Column,
  type ConceptHistory,
  type ConceptValue,
  type FiscalPeriod,
  type PeriodKind,
  type Row,
  type Statement,
  type StatementOptions,
  type ValueInput,
} from "./build.js";
export { LINE_ITEMS, lineItem, lineItemsFor, type LineItem, type StatementKind, type ItemUnit } from "./line-items.js";
export { bucketOf, fiscalYearOfAnnualEnd, type DurationBucket } from "./periods.js";
