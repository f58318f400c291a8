// `npm start` (after `npm run build`): open sample-corpus/ in VS Code with the extension loaded.
//
//  - A desktop `code` on PATH: `code --extensionDevelopmentPath=<project> <sample-corpus>`.
//  - Otherwise (or CORPUS_START_MODE=code-server): code-server 4.100.3 on 127.0.0.1:$PORT
//    (default 8080, a free port if taken) with the project symlinked into its extensions dir as
//    <publisher>.<name>-<version>, as an installed extension; runs until Ctrl+C.
//    Settings and layout persist in .vscode-test/user-data.

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT, VSCODE_TEST_DIR, ensureCodeServer, freePort, portIsFree, runnerExit, startCodeServer } from './codeServer.mjs';

const say = (msg) => console.log(`[start] ${msg}`);
const sample = path.join(PROJECT_ROOT, 'sample-corpus');
const pkg = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8'));
const main = path.resolve(PROJECT_ROOT, pkg.main);

function onPath(cmd) {
	return (process.env.PATH || '').split(path.delimiter).some((dir) => {
		try {
			fs.accessSync(path.join(dir, cmd), fs.constants.X_OK);
			return true;
		} catch {
			return false;
		}
	});
}

function fail(msg) {
	console.error(`[start] ${msg}`);
	process.exit(1);
}

if (!fs.existsSync(sample)) fail(`${sample} is missing`);
if (!fs.existsSync(main)) fail(`${main} is missing: run \`npm run build\` (npm start does it)`);

const mode = process.env.CORPUS_START_MODE || (onPath('code') ? 'code' : 'code-server');

if (mode === 'code') {
	say(`code --extensionDevelopmentPath=${PROJECT_ROOT} ${sample}`);
	const child = spawn('code', [`--extensionDevelopmentPath=${PROJECT_ROOT}`, sample], { stdio: 'inherit' });
	child.on('error', (e) => fail(`could not run \`code\`: ${e.message}`));
	child.on('exit', (code) => process.exit(code ?? 1));
} else {
	await ensureCodeServer();
	const wanted = Number(process.env.PORT || 8080);
	let port = wanted;
	if (!(await portIsFree(wanted))) {
		port = await freePort();
		say(`port ${wanted} is taken, using ${port}`);
	}
	const userDataDir = path.join(VSCODE_TEST_DIR, 'user-data');
	// First start only: quiet defaults for a sandbox inside the project's git repository.
	const settings = path.join(userDataDir, 'User', 'settings.json');
	if (!fs.existsSync(settings)) {
		fs.mkdirSync(path.dirname(settings), { recursive: true });
		fs.writeFileSync(
			settings,
			JSON.stringify({ 'git.openRepositoryInParentFolders': 'never', 'workbench.startupEditor': 'none' }, null, '\t') + '\n',
		);
	}
	const extensionId = `${pkg.publisher}.${pkg.name}-${pkg.version}`;
	let server;
	try {
		server = await startCodeServer({
			workspace: sample,
			port,
			userDataDir,
			linkExtensions: [{ id: extensionId, path: PROJECT_ROOT }],
		});
	} catch (e) {
		fail(e.message);
	}

	// Ctrl+C is how a session ends: exit 0 then.
	let stopping = false;
	const { finish } = runnerExit({
		cleanup: () => {
			stopping = true;
			say('stopping code-server…');
			return server.stop();
		},
		signalCode: 0,
	});
	server.exited.then((code) => {
		if (stopping) return;
		console.error(`[start] code-server exited unexpectedly (${code})\n${server.logTail(40)}`);
		finish(1);
	});

	say(`extension ${extensionId} -> ${PROJECT_ROOT} (rebuild with \`npm run build\`, then reload the window)`);
	say(`user data (settings, layout): ${path.relative(PROJECT_ROOT, userDataDir)}`);
	say(`logs of this session: ${path.join(userDataDir, 'logs')}`);
	console.log('');
	console.log(`  Open: http://127.0.0.1:${port}/?folder=${sample}`);
	console.log('');
	say('Ctrl+C to stop');
}
