/**
 * An export in two passes over the articles, so that they can be split over worker threads and
 * still give the files one pass over all of them gives:
 *
 * 1. every article is summarised ({@link ExportSummaryBuilder}: labels, relation types and
 *    optional fields used), the summaries merged in article order, and the {@link ExportContext}
 *    made from them and the corpus' schema;
 * 2. every article is converted with that context ({@link ArticleExporter.exportArticle}), and
 *    what the conversions give besides their own files is joined in article order
 *    ({@link ExportTally}): losses, warnings and the records of the format's one shared file.
 *
 * {@link exportAll} runs both passes in memory (tests, the formats' `exportDocuments`); the
 * node side runs them batch by batch, in worker threads, writing each article's files at once.
 */
import type { ArticleExport, ArticleExporter, ExchangeDocument, ExchangeFile, ExchangeFormat, ExchangeLoss, ExchangeSchema, ExportContext, ExportOptions, ExportResult } from './exchangeFormat';
import { LossTally } from './exchangeLosses';
import { ANNOTATION_EXTRA_KEYS, keptRelations, RELATION_EXTRA_KEYS } from './jsonExchange';

/** What pass 2 needs to know of some articles; merged in article order. */
export interface ExportSummary {
	/** In the order first used. */
	readonly labels: readonly string[];
	readonly relationTypes: readonly string[];
	readonly annotationFields: readonly string[];
	readonly relationFields: readonly string[];
}

export class ExportSummaryBuilder {
	private readonly labels = new Set<string>();
	private readonly relationTypes = new Set<string>();
	private readonly annotationFields = new Set<string>();
	private readonly relationFields = new Set<string>();

	addDocument(doc: ExchangeDocument): void {
		for (const a of doc.annotations) {
			this.labels.add(a.label);
			for (const k of ANNOTATION_EXTRA_KEYS) {
				if (a[k] !== undefined) {
					this.annotationFields.add(k);
				}
			}
		}
		for (const r of keptRelations(doc)) {
			this.relationTypes.add(r.type);
			for (const k of RELATION_EXTRA_KEYS) {
				if (r[k] !== undefined) {
					this.relationFields.add(k);
				}
			}
		}
	}

	addSummary(s: ExportSummary): void {
		s.labels.forEach((l) => this.labels.add(l));
		s.relationTypes.forEach((t) => this.relationTypes.add(t));
		s.annotationFields.forEach((f) => this.annotationFields.add(f));
		s.relationFields.forEach((f) => this.relationFields.add(f));
	}

	summary(): ExportSummary {
		return { labels: [...this.labels], relationTypes: [...this.relationTypes], annotationFields: [...this.annotationFields], relationFields: [...this.relationFields] };
	}
}

/** The context of pass 2: the schema with the labels and relation types used that it lacks added (as bare ids). */
export function exportContext(schema: ExchangeSchema, summary: ExportSummary, options: ExportOptions = {}): ExportContext {
	const labelIds = new Set(schema.labels.map((l) => l.id));
	const typeIds = new Set(schema.relationTypes.map((t) => t.id));
	return {
		schema: {
			labels: [...schema.labels, ...summary.labels.filter((l) => !labelIds.has(l)).map((id) => ({ id }))],
			relationTypes: [...schema.relationTypes, ...summary.relationTypes.filter((t) => !typeIds.has(t)).map((id) => ({ id }))],
		},
		options,
		fields: { annotation: summary.annotationFields, relation: summary.relationFields },
	};
}

/** What converted articles give besides their own files, joined in article order. */
export interface ExportPart {
	readonly records: string[];
	readonly losses: ExchangeLoss[];
	readonly warnings: string[];
}

/** Joins articles' conversions (or parts of several) in the order they are added. */
export class ExportTally {
	private readonly records: string[] = [];
	private readonly losses = new LossTally();
	private readonly warnings: string[] = [];

	addArticle(a: ArticleExport): void {
		if (a.record !== undefined) {
			this.records.push(a.record);
		}
		this.addPart({ records: [], losses: a.losses, warnings: a.warnings });
	}

	addPart(p: ExportPart): void {
		// A loop, not push(...): a part of 10,000 records would overflow the argument list.
		for (const r of p.records) {
			this.records.push(r);
		}
		this.losses.addAll(p.losses);
		for (const w of p.warnings) {
			this.warnings.push(w);
		}
	}

	part(): ExportPart {
		return { records: this.records, losses: this.losses.list(), warnings: this.warnings };
	}
}

/** Both passes over `documents` in memory: every file, the shared ones last. */
export function exportAll(exporter: ArticleExporter, documents: readonly ExchangeDocument[], schema: ExchangeSchema, options?: ExportOptions): ExportResult {
	const summary = new ExportSummaryBuilder();
	documents.forEach((d) => summary.addDocument(d));
	const context = exportContext(schema, summary.summary(), options);
	const tally = new ExportTally();
	const files: ExchangeFile[] = [];
	documents.forEach((doc, i) => {
		const a = exporter.exportArticle(doc, i, context);
		files.push(...a.files);
		tally.addArticle(a);
	});
	const { records, losses, warnings } = tally.part();
	files.push(...exporter.finish(records, context));
	return { files, losses, warnings };
}

/** A format with its `exportDocuments` made from its exporter. */
export function exchangeFormatOf(format: Omit<ExchangeFormat, 'exportDocuments'>): ExchangeFormat {
	return { ...format, exportDocuments: (documents, schema, options) => exportAll(format.exporter, documents, schema, options) };
}
