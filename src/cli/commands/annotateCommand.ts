import * as path from 'path';
import { parseHeader } from '../../core/article/articleParser';
import { prepareText, toEditorRange, type PreparedText } from '../../core/annotations/anchoring';
import { createAnnotation, makeIdGenerator } from '../../core/annotations/factory';
import { DEFAULT_LABELS, parseLabelSchema } from '../../core/annotations/labelSchema';
import type { LabelDef } from '../../core/annotations/model';
import { sidecarPathFor } from '../../core/corpus/corpusLayout';
import { openSidecarSession, type SidecarSession } from '../../core/annotations/sidecarSession';
import { decodeSidecarBytes, type SidecarError } from '../../core/annotations/sidecarValidator';
import { integerOption, parseArgs, stringOption } from '../args';
import { CliError, type CliCommand, type CliIo } from '../cliTypes';
import { defaultAuthor, findWorkspaceFile } from '../../node/corpusFiles';
import { readBytesIfExists, readUtf8 } from '../../node/files';
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
		assertArticle(article, prepared);
		const length = prepared.rawIndex.codePointLength;
		if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end <= start || end > length) {
			throw new CliError(`bad range ${start}–${end}: the article has ${length} code points; need 0 ≤ start < end ≤ ${length}`);
		}
		const labels = await loadLabels(path.dirname(articlePath));
		if (!labels.some((l) => l.id === label)) {
			throw new CliError(`unknown label "${label}"; known labels: ${labels.map((l) => l.id).join(', ')}`);
		}
		const sidecarPath = sidecarPathFor(articlePath);
		const articleName = path.basename(articlePath);
		const refusal = ' — the sidecar was not changed';
		// Refuse an unreadable sidecar with its position before waiting for the lock.
		openSession(sidecarPath, await readSidecarText(sidecarPath, refusal), prepared, articleName, refusal);
		const author = stringOption(parsed, 'author') ?? (await defaultAuthor(path.dirname(articlePath)));
		const range = toEditorRange(prepared, start, end);
		let id = '';
		// Under the sidecar's lock, on its current content: a concurrent writer's annotations stay.
		await updateFileLocked(
			sidecarPath,
			(before) => {
				const session = openSession(sidecarPath, before, prepared, articleName, refusal);
				const taken = new Set(session.doc.data.annotations.map((a) => a.id));
				const annotation = createAnnotation(
					prepared,
					range.start,
					range.end,
					label,
					{ now: () => new Date(), author, newId: makeIdGenerator(Math.random, (candidate) => taken.has(candidate)) },
					{ note: stringOption(parsed, 'note'), entity: stringOption(parsed, 'entity') },
				);
				session.doc.add(annotation);
				id = annotation.id;
				return session.serialize();
			},
			{ what: 'sidecar' },
		);
		io.out(`${id}\n`);
		return 0;
	},
};

/** Refuses a `.txt` that is not an article (no header, or an impossible date): no sidecar is written for it. */
function assertArticle(shown: string, prepared: PreparedText): void {
	const nl = prepared.canonical.indexOf('\n');
	const head = parseHeader(nl < 0 ? prepared.canonical : prepared.canonical.slice(0, nl));
	if (!head.header) {
		throw new CliError(`${shown} is not an article: its first line must start with " date YYYY-MM" (see the article format); no sidecar was written`);
	}
	const problem = head.issues.find((i) => i.severity === 'error');
	if (problem || !head.date) {
		throw new CliError(`${shown}:1:${(problem?.start ?? 0) + 1}: ${problem?.message ?? 'the header has no valid date'} — no sidecar was written`);
	}
}

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

function refusalOf(sidecarPath: string, errors: readonly SidecarError[], suffix: string): CliError {
	const e = errors[0];
	return new CliError(`${sidecarPath}:${e.line}:${e.column}: ${e.message} [${e.code}]${suffix}`);
}

/**
 * The sidecar's text (BOM removed), undefined when there is none. Invalid UTF-8 fails with the
 * line and column of the first bad byte, like every other refusal.
 */
export async function readSidecarText(sidecarPath: string, suffix = ''): Promise<string | undefined> {
	const bytes = await readBytesIfExists(sidecarPath, 'sidecar');
	if (bytes === undefined) {
		return undefined;
	}
	const decoded = decodeSidecarBytes(bytes);
	if (!decoded.ok) {
		throw refusalOf(sidecarPath, decoded.errors, suffix);
	}
	return decoded.text;
}

/** Opens the sidecar session or fails with the first error's position (`suffix` says what was left alone). */
export function openSession(sidecarPath: string, sidecarText: string | undefined, article: PreparedText, articleName: string, suffix = ''): SidecarSession {
	const opened = openSidecarSession({ sidecarText, articleText: article, articleName });
	if (!opened.ok) {
		throw refusalOf(sidecarPath, opened.errors, suffix);
	}
	return opened.session;
}
