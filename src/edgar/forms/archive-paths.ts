import type { Filing } from "../submissions/submissions.js";

/** The complete submission text file (every document of the filing, SGML-wrapped). */
export function fullTextPath(filing: Filing): string {
  return `${filing.folderPath}${filing.accessionNumber}.txt`;
}

/**
 * The raw XML of an XML-form filing (Form 3/4/5, 13F primary doc). Submissions name the
 * rendered copy ("xslF345X05/form4.xml"); the raw file sits in the folder under the
 * same base name. Undefined when the filing names no XML primary document.
 */
export function rawXmlPath(filing: Filing): string | undefined {
  const doc = filing.primaryDocument;
  if (!doc || !/\.xml$/i.test(doc)) return undefined;
  const base = doc.split("/").pop() as string;
  return `${filing.folderPath}${base}`;
}
