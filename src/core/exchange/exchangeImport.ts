/**
 * The loop the line-based formats (WebAnno TSV, CoNLL) share on import: every input file with
 * the format's extension parsed on its own, all problems gathered, and nothing imported when
 * there is any.
 */
import type { ExchangeError, ExchangeFile, ImportedDocument, ImportResult } from './exchangeFormat';
import { SchemaCollector } from './jsonExchange';

/** Parses one file; problems go to `errors` (then the result is ignored), notes to `warnings`. */
export type FileParser = (file: ExchangeFile, errors: ExchangeError[], warnings: string[], schema: SchemaCollector) => ImportedDocument[];

/** Runs `parse` over the files ending in `extension`; documents sorted by path. */
export function importPerFile(files: readonly ExchangeFile[], extension: string, parse: FileParser): ImportResult {
	const errors: ExchangeError[] = [];
	const warnings: string[] = [];
	const schema = new SchemaCollector();
	const documents: ImportedDocument[] = [];
	for (const f of files) {
		if (f.path.endsWith(extension)) {
			documents.push(...parse(f, errors, warnings, schema));
		}
	}
	if (errors.length > 0) {
		return { ok: false, errors };
	}
	documents.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
	return { ok: true, documents, schema: schema.schema(), warnings };
}
