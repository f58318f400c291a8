import * as assert from 'assert';
import { ESLint } from 'eslint';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '..', '..', '..', '..');

/** The corpus/layering messages ESLint reports for `code` as if it were the file at `relativePath`. */
async function layeringErrors(relativePath: string, code: string): Promise<string[]> {
	const eslint = new ESLint({ cwd: ROOT });
	const [result] = await eslint.lintText(code, { filePath: path.join(ROOT, relativePath) });
	return result.messages.filter((m) => m.ruleId === 'corpus/layering').map((m) => m.message);
}

describe('folder layering lint rule', function () {
	this.timeout(60_000);

	const cases: [file: string, source: string, allowed: boolean][] = [
		['src/core/annotations/x.ts', 'vscode', false],
		['src/core/annotations/x.ts', 'fs', false],
		['src/core/annotations/x.ts', 'node:path', false],
		['src/core/annotations/x.ts', '../../node/files', false],
		['src/core/annotations/x.ts', '../../constants', false],
		['src/core/annotations/x.ts', '../text/namePattern', true],
		['src/core/annotations/x.ts', 'yaml', true],
		['src/node/x.ts', 'vscode', false],
		['src/node/x.ts', '../platform/author', false],
		['src/node/x.ts', '../cli/cliTypes', false],
		['src/node/x.ts', '../features/review/reviewModel', false],
		['src/node/x.ts', '../core/annotations/model', true],
		['src/node/x.ts', 'fs', true],
		['src/cli/commands/x.ts', 'vscode', false],
		['src/cli/commands/x.ts', '../../platform/git', false],
		['src/cli/commands/x.ts', '../../features/review/reviewModel', false],
		['src/cli/commands/x.ts', '../../node/lockedUpdate', true],
		['src/platform/x.ts', '../cli/main', false],
		['src/platform/x.ts', '../features/entities/entityCommands', false],
		['src/platform/x.ts', '../node/files', true],
		['src/platform/x.ts', 'vscode', true],
		['src/features/review/x.ts', '../entities/entityCommands', false],
		['src/features/review/x.ts', './reviewModel', true],
		['src/features/review/x.ts', '../../platform/author', true],
		['src/extension.ts', './features/review/registerReview', true],
	];

	for (const [file, source, allowed] of cases) {
		it(`${file} ${allowed ? 'may' : 'may not'} import ${source}`, async () => {
			const errors = await layeringErrors(file, `export * from '${source}';\n`);
			assert.strictEqual(errors.length, allowed ? 0 : 1, errors.join('\n'));
		});
	}

	it('also checks import declarations and dynamic imports', async () => {
		const errors = await layeringErrors('src/cli/x.ts', "import { a } from '../platform/git';\nexport const b = import('../platform/author');\nexport { a };\n");
		assert.strictEqual(errors.length, 2, errors.join('\n'));
	});
});
