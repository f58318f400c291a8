import * as fs from 'fs';
import * as path from 'path';
import Mocha from 'mocha';

/**
 * Entry point loaded by VS Code's test host (test-electron or code-server): runs every compiled
 * `*.test.js` next to this file and prints the plain "N passed, N failed" line CI reads.
 */
/** Suites that run only on their own workspace (selected with CORPUS_TEST_SUITES). */
const OWN_WORKSPACE_SUITES = ['session'];

export function run(): Promise<void> {
	const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 60_000, reporter: 'spec' });
	// CORPUS_TEST_SUITES (set by the runner's --suites) picks sub-folders such as `session`, which
	// need their own workspace (a git repository); without it every suite outside them runs.
	const suites = (process.env.CORPUS_TEST_SUITES ?? '').split(',').filter((s) => s.length > 0);
	const inSuite = (file: string): string => path.relative(__dirname, file).split(path.sep)[0];
	const selected = findTests(__dirname).filter((file) => (suites.length > 0 ? suites.includes(inSuite(file)) : !OWN_WORKSPACE_SUITES.includes(inSuite(file))));
	for (const file of selected) {
		mocha.addFile(file);
	}
	return new Promise((resolve, reject) => {
		let passed = 0;
		let failed = 0;
		const runner = mocha.run((failures) => {
			console.log(`${passed} passed, ${failed} failed`);
			if (failures > 0) {
				reject(new Error(`${failures} integration test(s) failed.`));
			} else {
				resolve();
			}
		});
		runner.on('pass', () => passed++);
		runner.on('fail', () => failed++);
	});
}

function findTests(dir: string): string[] {
	const found: string[] = [];
	for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
		const full = path.join(dir, entry.name);
		if (entry.isDirectory()) {
			found.push(...findTests(full));
		} else if (entry.name.endsWith('.test.js')) {
			found.push(full);
		}
	}
	return found.sort();
}
