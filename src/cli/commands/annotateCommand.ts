import * as path from 'path';
import { parseHeader } from '../../core/article/articleParser';
import { prepareText, toEditorRange, type PreparedText } from '../../core/annotations/anchoring';
import { createAnnotation, makeIdGenerator } from '../../core/annotations/factory';
import { hashArticleText } from '../../core/annotations/textHash';
import { DEFAULT_LABELS, parseLabelSchema } from '../../core/annotations/labelSchema';
import type { LabelDef } from '../../core/annotations/model';
import { sidecarOffset } from '../../core/annotations/offsets';
import { sidecarPathFor } from '../../core/corpus/corpusLayout';
import { openSidecarSession, type SidecarSession } from '../../core/annotations/sidecarSession';
import { decodeSidecarBytes, type SidecarError } from '../../core/annotations/sidecarValidator';
import { readAnnotationLines, type AnnotationRequest, type LineProblem } from '../annotationLines';
import { integerOption, parseArgs, stringOption } from '../args';
import { CliError, type CliCommand, type CliIo } from '../cliTypes';
import { defaultAuthor, findWorkspaceFile } from '../../node/corpusFiles';
import { NodeFileError } from '../../node/fileErrors';
import { decodeUtf8, readBytesIfExists, readUtf8 } from '../../node/files';
import { git } from '../../node/git';
import { updateFileLocked } from '../../node/lockedUpdate';

/** `corpus-annotator annotate <article> --start S --end E --label L [--note T] [--author A]`, or `--from FILE.jsonl`. */
export const annotateCommand: CliCommand = {
	name: 'annotate',
	summary: 'Add annotations to articles’ sidecars (one by flags, or many from a JSON-lines file) and print their ids',
	usage: [
		'annotate <article.txt> --start S --end E --label L [--note TEXT] [--author NAME] [--entity NAME]',
		'annotate [<article.txt>] --from FILE.jsonl [--author NAME]',
		'',
		'  S and E are Unicode code points into the article text (end exclusive), counted as in the sidecar:',
		'  a BOM is not counted and a CRLF line end counts as one. The label must be in .corpus/labels.yaml',
		'  (nearest one upwards) or, without one, in the default label set. Author: --author, else git',
		'  user.name, else the operating-system user. Exit 1, leaving every file untouched, on a bad range,',
		'  an unknown label or a sidecar that cannot be read.',
		'',
		'  --from FILE.jsonl   one annotation per line: {"start": S, "end": E, "label": L} with optional "note",',
		'                      "author", "entity" and "article" (a path from the current folder; without it the',
		'                      article given on the command line). Each sidecar is read once and written once,',
		'                      under its lock; ids are printed one per line in the file\'s order. Any problem is',
		'                      reported as FILE:line:column and nothing is written. "-" reads standard input.',
	].join('\n'),
	async run(args: readonly string[], io: CliIo): Promise<number> {
		const parsed = parseArgs(args, ['start', 'end', 'label', 'note', 'author', 'entity', 'from']);
		const [article, ...extra] = parsed.positional;
		const from = stringOption(parsed, 'from');
		if (extra.length > 0 || (!article && from === undefined)) {
			throw new CliError(from === undefined ? 'give exactly one article file' : 'give at most one article file with --from');
		}
		const flagAuthor = stringOption(parsed, 'author');
		if (from !== undefined) {
			const flags = ['start', 'end', 'label', 'note', 'entity'].filter((f) => parsed.options.has(f));
			if (flags.length > 0) {
				throw new CliError(`--from takes the annotation fields from the file, not from --${flags.join(', --')}`);
			}
			const ids = await annotateFromFile(io, from, article, flagAuthor);
			io.out(ids.map((id) => `${id}\n`).join(''));
			return 0;
		}
		const start = integerOption(parsed, 'start');
		const end = integerOption(parsed, 'end');
		const label = stringOption(parsed, 'label');
		if (start === undefined || end === undefined || label === undefined) {
			throw new CliError('--start, --end and --label are required');
		}
		const target = await openTarget(path.resolve(io.cwd, article), article);
		const problem = target.problem(start, end, label);
		if (problem) {
			throw new CliError(problem);
		}
		const author = flagAuthor ?? (await defaultAuthor(target.dir));
		const [id] = await addToSidecar(target, [{ start, end, label, author, note: stringOption(parsed, 'note'), entity: stringOption(parsed, 'entity') }]);
		io.out(`${id}\n`);
		return 0;
	},
};

const REFUSAL = ' — the sidecar was not changed';

/** An article to annotate, read and checked, with its sidecar as read before taking the lock. */
interface Target {
	readonly articlePath: string;
	readonly dir: string;
	readonly prepared: PreparedText;
	readonly sidecarPath: string;
	readonly sidecarText: string | undefined;
	/** The session on {@link sidecarText} (its refusal was raised when reading). */
	readonly session: SidecarSession;
	/** The article text the sidecar's offsets were made for, when git has it. */
	readonly previousText: string | undefined;
	/** Why this range and label cannot be annotated, or undefined. */
	problem(start: number, end: number, label: string): string | undefined;
}

async function openTarget(articlePath: string, shown: string, labelCache = new Map<string, Promise<readonly LabelDef[]>>()): Promise<Target> {
	const prepared = prepareText(await readUtf8(articlePath, 'article'));
	assertArticle(shown, prepared);
	const dir = path.dirname(articlePath);
	let labelsOf = labelCache.get(dir);
	if (!labelsOf) {
		labelsOf = loadLabels(dir);
		labelCache.set(dir, labelsOf);
	}
	const labels = await labelsOf;
	const length = prepared.rawIndex.codePointLength;
	const sidecarPath = sidecarPathFor(articlePath);
	// Refuse an unreadable sidecar with its position before waiting for the lock.
	const sidecarText = await readSidecarText(sidecarPath, REFUSAL);
	let session = openSession(sidecarPath, sidecarText, prepared, path.basename(articlePath), REFUSAL);
	const previousText = await previousArticleText(articlePath, session.asRead.textHash, prepared);
	if (previousText !== undefined) {
		session = openSession(sidecarPath, sidecarText, prepared, path.basename(articlePath), REFUSAL, previousText);
	}
	return {
		articlePath, dir, prepared, sidecarPath, sidecarText, session, previousText,
		problem(start, end, label) {
			if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end <= start || end > length) {
				return `bad range ${start}–${end}: the article has ${length} code points; need 0 ≤ start < end ≤ ${length}`;
			}
			if (!labels.some((l) => l.id === label)) {
				return `unknown label "${label}"; known labels: ${labels.map((l) => l.id).join(', ')}`;
			}
			return undefined;
		},
	};
}

/** An annotation to add: start and end are sidecar offsets (code points), as the user gave them. */
interface NewAnnotation {
	readonly start: number;
	readonly end: number;
	readonly label: string;
	readonly author: string;
	readonly note?: string;
	readonly entity?: string;
}

/**
 * Adds the annotations to the target's sidecar in one locked write, on the sidecar's current
 * content (a concurrent writer's annotations stay), and returns their ids in order. The sidecar
 * is parsed once when nobody wrote it since {@link openTarget} read it.
 */
async function addToSidecar(target: Target, annotations: readonly NewAnnotation[]): Promise<string[]> {
	const { prepared, sidecarPath } = target;
	const articleName = path.basename(target.articlePath);
	let ids: string[] = [];
	await updateFileLocked(
		sidecarPath,
		(before) => {
			const session = before === target.sidecarText ? target.session : openSession(sidecarPath, before, prepared, articleName, REFUSAL, target.previousText);
			const taken = new Set(session.doc.data.annotations.map((a) => a.id));
			const newId = makeIdGenerator(Math.random, (candidate) => taken.has(candidate));
			const now = new Date();
			const created = annotations.map((a) => {
				const range = toEditorRange(prepared, sidecarOffset(a.start), sidecarOffset(a.end));
				const annotation = createAnnotation(prepared, range.start, range.end, a.label, { now: () => now, author: a.author, newId }, { note: a.note, entity: a.entity });
				taken.add(annotation.id);
				return annotation;
			});
			session.doc.addAll(created);
			ids = created.map((a) => a.id);
			return session.serialize();
		},
		{ what: 'sidecar' },
	);
	return ids;
}

/** Most problems listed for one `--from` file (the rest are counted). */
const MAX_PROBLEMS = 20;

/**
 * `--from`: reads and checks every line and every article and sidecar they name before writing
 * anything, then writes each sidecar once. Returns the new ids in the file's order.
 */
async function annotateFromFile(io: CliIo, from: string, defaultArticle: string | undefined, flagAuthor: string | undefined): Promise<string[]> {
	const fromPath = from === '-' ? undefined : path.resolve(io.cwd, from);
	const shownFile = from === '-' ? '<stdin>' : from;
	const text = fromPath ? await readUtf8(fromPath, '--from file') : await readStdin();
	const { requests, problems } = readAnnotationLines(text);
	const found: LineProblem[] = [...problems];
	const byArticle = new Map<string, { shown: string; requests: AnnotationRequest[] }>();
	for (const r of requests) {
		const shown = r.article ?? defaultArticle;
		if (shown === undefined) {
			found.push({ line: r.line, column: 1, message: 'no "article" on this line and no article on the command line' });
			continue;
		}
		const full = path.resolve(io.cwd, shown);
		const group = byArticle.get(full) ?? { shown, requests: [] };
		group.requests.push(r);
		byArticle.set(full, group);
	}
	const targets = new Map<string, Target>();
	const labelCache = new Map<string, Promise<readonly LabelDef[]>>();
	for (const [full, group] of byArticle) {
		let target: Target;
		try {
			target = await openTarget(full, group.shown, labelCache);
		} catch (error) {
			if (!(error instanceof CliError || error instanceof NodeFileError)) {
				throw error;
			}
			const first = group.requests[0];
			found.push({ line: first.line, column: first.column('article'), message: error.message });
			continue;
		}
		targets.set(full, target);
		for (const r of group.requests) {
			const problem = target.problem(r.start, r.end, r.label);
			if (problem) {
				found.push({ line: r.line, column: r.column(problem.startsWith('bad range') ? 'start' : 'label'), message: problem });
			}
		}
	}
	if (found.length > 0) {
		const messages = found.sort((a, b) => a.line - b.line || a.column - b.column).map((p) => `${shownFile}:${p.line}:${p.column}: ${p.message}`);
		const more = messages.length > MAX_PROBLEMS ? [`… and ${messages.length - MAX_PROBLEMS} more`] : [];
		throw new CliError([...messages.slice(0, MAX_PROBLEMS), ...more].join('\n') + '\nNothing was written.');
	}
	const authors = new Map<string, Promise<string>>();
	const authorFor = (dir: string): Promise<string> => {
		let a = authors.get(dir);
		if (!a) {
			a = flagAuthor !== undefined ? Promise.resolve(flagAuthor) : defaultAuthor(dir);
			authors.set(dir, a);
		}
		return a;
	};
	const idOf = new Map<AnnotationRequest, string>();
	for (const [full, group] of byArticle) {
		const target = targets.get(full)!;
		const fallback = await authorFor(target.dir);
		const list = group.requests.map((r) => ({ start: r.start, end: r.end, label: r.label, note: r.note, entity: r.entity, author: r.author ?? fallback }));
		const ids = await addToSidecar(target, list);
		group.requests.forEach((r, i) => idOf.set(r, ids[i]));
	}
	return requests.map((r) => idOf.get(r)!);
}

async function readStdin(): Promise<string> {
	const chunks: Buffer[] = [];
	for await (const chunk of process.stdin) {
		chunks.push(chunk as Buffer);
	}
	return decodeUtf8(Buffer.concat(chunks), 'standard input', '--from input');
}

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
export function openSession(
	sidecarPath: string, sidecarText: string | undefined, article: PreparedText, articleName: string, suffix = '', previousArticleText?: string,
): SidecarSession {
	const opened = openSidecarSession({ sidecarText, articleText: article, articleName, previousArticleText });
	if (!opened.ok) {
		throw refusalOf(sidecarPath, opened.errors, suffix);
	}
	return opened.session;
}

/**
 * The article text the sidecar's offsets were made for, when git has it (the staged or the
 * committed version whose hash the sidecar records): re-anchoring can then follow a diff of
 * the two texts instead of searching. Undefined when the text did not change or git has no
 * such version.
 */
export async function previousArticleText(articlePath: string, storedHash: string | null, current: PreparedText): Promise<string | undefined> {
	if (storedHash === null || storedHash === hashArticleText(current.raw)) {
		return undefined;
	}
	for (const revision of [':', 'HEAD:']) {
		try {
			const text = await git(path.dirname(articlePath), ['show', `${revision}./${path.basename(articlePath)}`]);
			if (hashArticleText(text) === storedHash) {
				return text;
			}
		} catch {
			// Not in a repository, or not at that revision: try the next, then search without it.
		}
	}
	return undefined;
}
