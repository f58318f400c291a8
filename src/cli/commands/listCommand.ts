import * as path from 'path';
import { prepareText } from '../../core/annotations/anchoring';
import { sidecarPathFor } from '../../core/corpus/corpusLayout';
import { parseArgs } from '../args';
import { CliError, type CliCommand, type CliIo } from '../cliTypes';
import { readUtf8 } from '../../node/files';
import { openSession, previousArticleText, readSidecarText } from './annotateCommand';

interface ListedAnnotation {
	id: string;
	label: string;
	start: number | null;
	end: number | null;
	quote: string;
	status: 'anchored' | 'moved' | 'orphaned';
	/** `fuzzy` when the passage was found with small edits; then `quote` is what the sidecar recorded. */
	match?: 'exact' | 'fuzzy';
	note?: string;
}

/** `corpus-annotator list <article> [--json]`: the annotations and where they are in the current text. */
export const listCommand: CliCommand = {
	name: 'list',
	summary: 'List an article’s annotations with where they anchor in the current text',
	usage: [
		'list <article.txt> [--json]',
		'',
		'  status: anchored (quote still at its offsets), moved (found elsewhere by quote and context;',
		'  "match": "fuzzy" when the passage was edited), orphaned (not found: start and end are null).',
		'  Offsets are code points, as in the sidecar. Read-only: nothing is written.',
	].join('\n'),
	async run(args: readonly string[], io: CliIo): Promise<number> {
		const parsed = parseArgs(args, [], ['json']);
		const [article, ...extra] = parsed.positional;
		if (!article || extra.length > 0) {
			throw new CliError('give exactly one article file');
		}
		const articlePath = path.resolve(io.cwd, article);
		const prepared = prepareText(await readUtf8(articlePath, 'article'));
		const sidecarPath = sidecarPathFor(articlePath);
		// Read-only: the session's re-anchoring stays in memory and is never written.
		const text = await readSidecarText(sidecarPath);
		let session = openSession(sidecarPath, text, prepared, path.basename(articlePath));
		const previous = await previousArticleText(articlePath, session.asRead.textHash, prepared);
		if (previous !== undefined) {
			session = openSession(sidecarPath, text, prepared, path.basename(articlePath), '', previous);
		}
		const listed: ListedAnnotation[] = session.asRead.annotations.map((a) => {
			const result = session.anchors.get(a.id) ?? { status: 'orphaned' };
			const base = { id: a.id, label: a.label, quote: a.quote, ...(a.note ? { note: a.note } : {}) };
			if (result.status === 'orphaned' || result.start === undefined || result.end === undefined) {
				return { ...base, start: null, end: null, status: 'orphaned' };
			}
			if (result.status === 'anchored') {
				return { ...base, start: result.start, end: result.end, status: 'anchored' };
			}
			return { ...base, start: result.start, end: result.end, status: 'moved', match: result.status === 'fuzzy' ? 'fuzzy' : 'exact' };
		});
		if (parsed.options.has('json')) {
			io.out(JSON.stringify(listed, null, 2) + '\n');
		} else if (listed.length === 0) {
			io.out(`${article}: no annotations\n`);
		} else {
			for (const a of listed) {
				const where = a.start === null ? 'not found' : `${a.start}–${a.end}`;
				io.out(`${a.id}  ${a.label.padEnd(18)} ${where.padEnd(12)} ${a.status}${a.match === 'fuzzy' ? ' (edited)' : ''}  “${a.quote}”\n`);
			}
		}
		return 0;
	},
};
