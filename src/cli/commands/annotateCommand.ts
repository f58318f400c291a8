import * as path from 'path';
import { formatArticleDate, parseHeader } from '../../core/article/articleParser';
import { prepareText, reanchor, toEditorRange, type PreparedText } from '../../core/annotations/anchoring';
import { createAnnotation, makeIdGenerator } from '../../core/annotations/factory';
import { hashArticleText } from '../../core/annotations/hash';
import { DEFAULT_LABELS, parseLabelSchema } from '../../core/annotations/labelSchema';
import type { LabelDef } from '../../core/annotations/model';
import { createSidecar, parseSidecar, serializeIfChanged, type SidecarDocument } from '../../core/annotations/sidecarCodec';
import { sidecarPathFor } from '../../core/annotations/sidecarPaths';
import { integerOption, parseArgs, stringOption } from '../args';
import { CliError, type CliCommand, type CliIo } from '../cliTypes';
import { defaultAuthor, findWorkspaceFile } from '../../node/corpusFiles';
import { readUtf8 } from '../../node/files';
import { updateFileLocked } from '../../node/lockedUpdate';

/** `corpus-annotator annotate <article> --start S --end E --label L [--note T] [--author A]`. */
export const annotateCommand: CliCommand = {
	name: 'annotate',
	summary: 'Add one annotation to an article’s sidecar and print its id',
	usage: [
		'annotate <article.txt> --start S --end E --label L [--note TEXT] [--author NAME] [--entity NAME]',
		'',
		'  S and E are Unicode code points into the article text (end exclusive), counted as in the sidecar:',
		'  a BOM is not counted and a CRLF line end counts as one. The label must be in .corpus/labels.yaml',
		'  (nearest one upwards) or, without one, in the default label set. Author: --author, else git',
		'  user.name, else the operating-system user. Exit 1, leaving every file untouched, on a bad range,',
		'  an unknown label or a sidecar that cannot be read.',
	].join('\n'),
	async run(args: readonly string[], io: CliIo): Promise<number> {
		const parsed = parseArgs(args, ['start', 'end', 'label', 'note', 'author', 'entity']);
		const [article, ...extra] = parsed.positional;
		if (!article || extra.length > 0) {
			throw new CliError('give exactly one article file');
		}
		const start = integerOption(parsed, 'start');
		const end = integerOption(parsed, 'end');
		const label = stringOption(parsed, 'label');
		if (start === undefined || end === undefined || label === undefined) {
			throw new CliError('--start, --end and --label are required');
		}
		const articlePath = path.resolve(io.cwd, article);
		const prepared = prepareText(await readUtf8(articlePath, 'article'));
		const length = prepared.rawIndex.codePointLength;
		if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end <= start || end > length) {
			throw new CliError(`bad range ${start}–${end}: the article has ${length} code points; need 0 ≤ start < end ≤ ${length}`);
		}
		const labels = await loadLabels(path.dirname(articlePath));
		if (!labels.some((l) => l.id === label)) {
			throw new CliError(`unknown label "${label}"; known labels: ${labels.map((l) => l.id).join(', ')}`);
		}
		const sidecarPath = sidecarPathFor(articlePath);
		const author = stringOption(parsed, 'author') ?? (await defaultAuthor(path.dirname(articlePath)));
		const range = toEditorRange(prepared, start, end);
		let id = '';
		// Under the sidecar's lock, on its current content: a concurrent writer's annotations stay.
		await updateFileLocked(
			sidecarPath,
			(before) => {
				const doc = before === undefined ? createSidecar(headerOf(articlePath, prepared)) : openSidecar(before, sidecarPath, io);
				bringUpToDate(doc, prepared, articlePath);
				const taken = new Set(doc.data.annotations.map((a) => a.id));
				const annotation = createAnnotation(
					prepared,
					range.start,
					range.end,
					label,
					{ now: () => new Date(), author, newId: makeIdGenerator(Math.random, (candidate) => taken.has(candidate)) },
					{ note: stringOption(parsed, 'note'), entity: stringOption(parsed, 'entity') },
				);
				doc.add(annotation);
				id = annotation.id;
				return serializeIfChanged(before ?? '', doc);
			},
			{ what: 'sidecar' },
		);
		io.out(`${id}\n`);
		return 0;
	},
};

export async function loadLabels(dir: string): Promise<readonly LabelDef[]> {
	const schemaPath = await findWorkspaceFile(dir, 'labels.yaml');
	if (!schemaPath) {
		return DEFAULT_LABELS;
	}
	const { labels, errors } = parseLabelSchema(await readUtf8(schemaPath, 'label schema'));
	if (errors.length > 0) {
		throw new CliError(`${schemaPath}:${errors[0].line}:${errors[0].column}: ${errors[0].message}`);
	}
	return labels.length > 0 ? labels : DEFAULT_LABELS;
}

/** Parses a sidecar or fails with its first error's position (the file stays untouched). */
export function openSidecar(text: string, sidecarPath: string, _io?: CliIo): SidecarDocument {
	const parsed = parseSidecar(text);
	if (!parsed.ok) {
		const e = parsed.errors[0];
		throw new CliError(`${sidecarPath}:${e.line}:${e.column}: ${e.message} [${e.code}] — the sidecar was not changed`);
	}
	return parsed.doc;
}

function headerOf(articlePath: string, prepared: PreparedText): { article: string; date: string | null; textHash: string } {
	const firstLine = prepared.canonical.split('\n', 1)[0];
	const { date } = parseHeader(firstLine);
	return { article: path.basename(articlePath), date: date ? formatArticleDate(date) : null, textHash: hashArticleText(prepared.raw) };
}

/**
 * When the article changed since the sidecar was written, re-anchors its annotations (moved and
 * edited ones get their new offsets; orphans stay as they were) and records the new text hash.
 */
function bringUpToDate(doc: SidecarDocument, prepared: PreparedText, articlePath: string): void {
	const header = headerOf(articlePath, prepared);
	if (doc.data.textHash === header.textHash) {
		return;
	}
	// A copy: setOffsets may move an annotation within the live array to keep document order.
	for (const annotation of [...doc.data.annotations]) {
		const result = reanchor(prepared, annotation);
		if ((result.status === 'moved' || result.status === 'fuzzy') && result.selector) {
			const s = result.selector;
			doc.setOffsets(annotation.id, s.start, s.end, s.quote, s.prefix, s.suffix);
		}
	}
	doc.setHeader({ textHash: header.textHash, date: header.date });
}
