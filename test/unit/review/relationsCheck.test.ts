/** `check` on relations (issue 16): dangling ends, unknown types and types not allowed between the labels at their ends. */
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { DEFAULT_LABELS, DEFAULT_RELATION_TYPES } from '../../../src/core/annotations/labelSchema';
import { checkSidecar, formatProblem, type CheckProblem } from '../../../src/core/review/sidecarCheck';
import { checkFolder } from '../../../src/cli/commands/checkCommand';
import { ARTICLE_NAME, ARTICLE_TEXT, KIEV, STEUN, ZELENSKY, ann, edit, rel, sidecarWithRelations } from './fixtures';

const LABELS = new Set(DEFAULT_LABELS.map((l) => l.id));

function check(text: string, relationTypes = DEFAULT_RELATION_TYPES, articleText: string | undefined = ARTICLE_TEXT): CheckProblem[] {
	return checkSidecar({ file: 'a.ann.yaml', text, articleName: ARTICLE_NAME, articleText, labels: LABELS, relationTypes });
}

/** 1-based line of the line `lineText` of `text`, and the column where `valueStart` begins in it. */
function at(text: string, lineText: string, valueStart: string): { line: number; column: number } {
	const lines = text.split('\n');
	const index = lines.findIndex((l) => l === lineText);
	assert.ok(index >= 0, `no line ${JSON.stringify(lineText)}`);
	return { line: index + 1, column: lines[index].indexOf(valueStart) + 1 };
}

describe('check: relations', () => {
	// ZELENSKY is an attribution, KIEV an event, STEUN a claim.
	const SOURCE = rel('r1', 'source-of', 'a1', 'a3');
	const ABOUT = rel('r2', 'about', 'a2', 'a3');

	it('accepts relations between annotations of the file with allowed types, orphaned ends included', () => {
		const text = sidecarWithRelations([ZELENSKY, KIEV, STEUN], [SOURCE, ABOUT]);
		assert.deepStrictEqual(check(text), []);
		// The article lost the quote of a3: the annotation is orphaned (reported), its relations are fine.
		const edited = ARTICLE_TEXT.replace('de steun van de Verenigde Staten onverminderd groot', 'iets anders');
		assert.deepStrictEqual(check(text, DEFAULT_RELATION_TYPES, edited).map((p) => p.code), ['anchor-orphaned']);
	});

	it('reports a dangling end as an error at the line and column of its from/to value', () => {
		const text = edit(sidecarWithRelations([ZELENSKY, KIEV, STEUN], [SOURCE, ABOUT]), (d) => {
			d.updateRelation('r2', { from: 'a9' });
			d.updateRelation('r1', { to: 'weg' });
		});
		const problems = check(text);
		assert.deepStrictEqual(problems.map((p) => [p.code, p.severity, p.line, p.column]), [
			['dangling-relation', 'error', at(text, '    to: weg', 'weg').line, at(text, '    to: weg', 'weg').column],
			['dangling-relation', 'error', at(text, '    from: a9', 'a9').line, at(text, '    from: a9', 'a9').column],
		]);
		assert.strictEqual(problems[0].message, 'Relation r1: "to" names no annotation of this file ("weg").');
		assert.match(formatProblem(problems[1]), /^a\.ann\.yaml:\d+:11: error: Relation r2: "from" names no annotation of this file \("a9"\)\. \[dangling-relation\]$/);
	});

	it('reports a relation type the schema lacks like an unknown label, at its type value', () => {
		const text = sidecarWithRelations([ZELENSKY, KIEV, STEUN], [rel('r1', 'cites', 'a1', 'a3')]);
		const problems = check(text);
		assert.deepStrictEqual(problems.map((p) => [p.code, p.severity, p.line, p.column]), [['unknown-relation-type', 'error', at(text, '    type: cites', 'cites').line, 11]]);
		assert.strictEqual(problems[0].message, 'Relation r1: type "cites" is not in the label schema\'s relation types (source-of, about, contradicts).');
		// The schema's own types replace the defaults.
		assert.deepStrictEqual(check(text, [{ id: 'cites' }]), []);
		assert.deepStrictEqual(check(sidecarWithRelations([ZELENSKY, STEUN], [SOURCE]), [{ id: 'cites' }]).map((p) => p.code), ['unknown-relation-type']);
	});

	it('reports a type not allowed between the labels at its ends', () => {
		// source-of goes from an attribution to a claim, event or framing; contradicts from a claim to a claim.
		const text = sidecarWithRelations([ZELENSKY, KIEV, STEUN], [rel('r1', 'source-of', 'a3', 'a1'), rel('r2', 'contradicts', 'a3', 'a2')]);
		const problems = check(text);
		assert.deepStrictEqual(problems.map((p) => p.code), ['relation-not-allowed', 'relation-not-allowed', 'relation-not-allowed']);
		assert.deepStrictEqual(problems.map((p) => p.message), [
			'Relation r1: "source-of" goes from attribution, but its "from" annotation a3 is labelled claim.',
			'Relation r1: "source-of" goes to claim or event or framing, but its "to" annotation a1 is labelled attribution.',
			'Relation r2: "contradicts" goes to claim, but its "to" annotation a2 is labelled event.',
		]);
		assert.deepStrictEqual(problems.map((p) => p.line), [
			at(text, '    type: source-of', 'source-of').line, at(text, '    type: source-of', 'source-of').line, at(text, '    type: contradicts', 'contradicts').line,
		]);
		// A type without from/to lists links any labels.
		assert.deepStrictEqual(check(sidecarWithRelations([ZELENSKY, KIEV], [rel('r3', 'about', 'a2', 'a1')])), []);
	});

	it('corpus-annotator check applies the nearest labels.yaml relation types, or the defaults when it defines none', async () => {
		const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'relations-check-'));
		try {
			const write = (rel: string, text: string): void => {
				fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
				fs.writeFileSync(path.join(dir, rel), text);
			};
			const sidecar = (folder: string): string => `${folder}/${ARTICLE_NAME.replace(/\.txt$/, '.ann.yaml')}`;
			const text = sidecarWithRelations([ZELENSKY, STEUN, ann('a4', 'claim', 'wederopbouw')], [rel('r1', 'quotes', 'a1', 'a3'), rel('r2', 'source-of', 'a1', 'a4')]);
			for (const folder of ['own', 'plain']) {
				write(`${folder}/${ARTICLE_NAME}`, ARTICLE_TEXT);
				write(sidecar(folder), text);
			}
			write('own/.corpus/labels.yaml', [
				'labels:', '  - id: attribution', '  - id: claim',
				'relations:', '  - id: quotes', '    from: [attribution]', '    to: [claim]', '',
			].join('\n'));
			write('plain/.corpus/labels.yaml', '- id: attribution\n- id: claim\n');
			const problems = await checkFolder(dir, (p) => path.relative(dir, p).split(path.sep).join('/'));
			assert.deepStrictEqual(problems.map((p) => `${p.file} ${p.code}`), [
				`${sidecar('own')} unknown-relation-type`,
				`${sidecar('plain')} unknown-relation-type`,
			]);
			assert.match(problems[0].message, /type "source-of" is not in the label schema's relation types \(quotes\)/);
			assert.match(problems[1].message, /type "quotes" is not in the label schema's relation types \(source-of, about, contradicts\)/);
		} finally {
			fs.rmSync(dir, { recursive: true, force: true });
		}
	});
});
