/**
 * The one contract every exchange format (brat, WebAnno TSV, W3C, CoNLL, doccano, Label Studio)
 * implements. Formats are pure: they turn articles with their annotations into files, and files
 * back into texts with annotations. Reading and writing the disk, the `.corpus/labels.yaml`
 * update, the migration of plain texts into articles and the CLI/extension commands live
 * outside (`src/cli/commands/exchange*`, `src/node/`), shared by every format.
 *
 * Offsets in {@link ExchangeDocument} are sidecar offsets (code points of the canonical text);
 * a format converts to its own unit (brat: characters of the `.txt` as read, BOM and CR
 * included; doccano and Label Studio: characters of the text as given; W3C: code points).
 */
import type { Annotation, LabelDef, Relation, RelationTypeDef } from '../annotations/model';

export type ExchangeFormatId = 'brat' | 'webanno-tsv' | 'w3c' | 'conll' | 'doccano' | 'label-studio';

/** One article with its annotations, as exported or as imported. */
export interface ExchangeDocument {
	/** Path relative to the corpus root with `/` separators, e.g. `2024/05/001_x.txt`. */
	readonly path: string;
	/** The article file's text exactly as read (BOM and CRLF kept when present). */
	readonly text: string;
	/** In document order; offsets are sidecar offsets into `text`'s canonical form. */
	readonly annotations: readonly Annotation[];
	readonly relations: readonly Relation[];
}

/** The label set an export writes (brat's annotation.conf, WebAnno's layer) or an import found. */
export interface ExchangeSchema {
	readonly labels: readonly LabelDef[];
	readonly relationTypes: readonly RelationTypeDef[];
}

/** One output or input file, path relative to the export/import root with `/` separators. */
export interface ExchangeFile {
	readonly path: string;
	readonly text: string;
}

/** What a format could not carry, counted per kind ("3 notes and 2 relations not carried"). */
export interface ExchangeLoss {
	readonly what: string;
	readonly count: number;
}

export interface ExportOptions {
	/** CoNLL: only these labels are written (others counted as not carried). */
	readonly labels?: readonly string[];
}

export interface ExportResult {
	readonly files: ExchangeFile[];
	/** Never empty when something was dropped; empty when the export is lossless. */
	readonly losses: ExchangeLoss[];
	/** Other warnings, e.g. CoNLL overlapping spans kept as the longest. */
	readonly warnings: string[];
}

/** A problem in the input, with the file and 1-based line (and column when known). */
export interface ExchangeError {
	readonly file: string;
	readonly line: number;
	readonly column: number;
	readonly message: string;
}

/** One imported text: the text the format carries, and its annotations with sidecar offsets into it. */
export interface ImportedDocument {
	/** Path relative to the import root, with the article extension `.txt`. */
	readonly path: string;
	/** The text as the format carries it. */
	readonly text: string;
	readonly annotations: readonly Annotation[];
	readonly relations: readonly Relation[];
}

export type ImportResult =
	| { readonly ok: true; readonly documents: ImportedDocument[]; readonly schema: ExchangeSchema; readonly warnings: string[] }
	| { readonly ok: false; readonly errors: ExchangeError[] };

/**
 * What the conversion of one article may know of the whole export, made before any article is
 * converted (so articles can be converted apart, in worker threads, and give the same files).
 */
export interface ExportContext {
	/** The corpus' labels and relation types, then those the articles use that it lacks. */
	readonly schema: ExchangeSchema;
	readonly options: ExportOptions;
	/**
	 * The optional fields (`note`, `author`…) set on some annotation of the export, and on some
	 * relation whose ends are both annotations of its article.
	 */
	readonly fields: { readonly annotation: readonly string[]; readonly relation: readonly string[] };
}

/** One article converted. */
export interface ArticleExport {
	/** Files of this article alone (written as they are). */
	readonly files: ExchangeFile[];
	/** Its part of the format's one file for the whole export (a JSONL line, a task of a list), see {@link ArticleExporter.finish}. */
	readonly record?: string;
	readonly losses: ExchangeLoss[];
	readonly warnings: string[];
}

/** A format's export, one article at a time. */
export interface ArticleExporter {
	/** `index`: the article's place in the export (0-based), for formats that number their records. */
	exportArticle(doc: ExchangeDocument, index: number, context: ExportContext): ArticleExport;
	/** The files made once for the whole export (brat's annotation.conf, doccano's JSONL), from the articles' records in article order. */
	finish(records: readonly string[], context: ExportContext): ExchangeFile[];
}

export interface ExchangeFormat {
	readonly id: ExchangeFormatId;
	/** One line for `--help` and the quick pick. */
	readonly description: string;
	/** How import finds its input under a directory (or a single file): e.g. `.ann`, `.tsv`, `.jsonld`, `.conll`, `.jsonl`, `.json`. */
	readonly inputExtensions: readonly string[];
	readonly exporter: ArticleExporter;
	/** Every article at once, in memory: {@link exporter} run over `documents` (see `exportAll`). */
	exportDocuments(documents: readonly ExchangeDocument[], schema: ExchangeSchema, options?: ExportOptions): ExportResult;
	/** `files`: every input file found (for brat: the `.ann`, the `.txt` beside it and `annotation.conf`). Never throws on bad input. */
	importFiles(files: readonly ExchangeFile[]): ImportResult;
}
