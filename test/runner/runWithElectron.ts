/**
 * `npm run test:electron`: the integration suite in a desktop VS Code that @vscode/test-electron
 * downloads (needs internet; offline, use `npm run test:integration`, which runs the same suite in
 * code-server). Compiled by tsconfig.test.json to out/test/runner/runWithElectron.js.
 *
 * Env: CORPUS_VSCODE_VERSION picks the VS Code to download (default 1.100.3, the VS Code inside
 * code-server 4.100.3 that the offline runner uses; `stable` for the newest).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { runTests } from '@vscode/test-electron';

async function main(): Promise<number> {
	// out/test/runner/runWithElectron.js -> project root
	const extensionDevelopmentPath = path.resolve(__dirname, '..', '..', '..');
	const extensionTestsPath = path.join(extensionDevelopmentPath, 'out', 'test', 'integration', 'index');
	const fixture = path.join(extensionDevelopmentPath, 'test', 'fixtures', 'workspace');

	// Tests may write into the workspace: give each run a fresh copy.
	const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'corpus-electron-'));
	const workspace = path.join(tmp, 'workspace');
	fs.cpSync(fixture, workspace, { recursive: true });

	try {
		const exitCode = await runTests({
			version: process.env.CORPUS_VSCODE_VERSION ?? '1.100.3',
			extensionDevelopmentPath,
			extensionTestsPath,
			launchArgs: [workspace, '--disable-extensions'],
		});
		return exitCode;
	} finally {
		fs.rmSync(tmp, { recursive: true, force: true });
	}
}

main().then(
	(code) => {
		process.exit(code);
	},
	(err: unknown) => {
		console.error('Failed to run the integration tests:', err instanceof Error ? err.message : err);
		process.exit(1);
	},
);
