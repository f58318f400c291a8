// Offline VS Code for tests and `npm start`: code-server from the npm registry (the real VS Code
// server + Node extension host) driven by Debian's Chromium. One module per job:
//
//   installCodeServer.mjs  ensureCodeServer()   install code-server into .vscode-test/code-server (idempotent)
//   server.mjs             startCodeServer()    start it on 127.0.0.1: { url, port, stop(), logTail() }
//                          workbenchUrl()       the URL that opens a folder (and optionally a test payload)
//   browser.mjs            launchBrowser()      headless /usr/bin/chromium through playwright-core
//   system.mjs             ports, process trees, log tails
//   exitHandling.mjs       runnerExit(), stopOnExit(): one way out for every runner
//
// This module gathers them for the runners. As a script, `node test/runner/codeServer.mjs
// --install` only installs. Facts behind the choices: shared/notes/vscode-tests-offline.md.

import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureCodeServer } from './installCodeServer.mjs';

export { launchBrowser } from './browser.mjs';
export { runnerExit } from './exitHandling.mjs';
export { ensureCodeServer } from './installCodeServer.mjs';
export { PROJECT_ROOT, VSCODE_TEST_DIR } from './paths.mjs';
export { startCodeServer } from './server.mjs';
export { freePort, portIsFree } from './system.mjs';

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
	const args = process.argv.slice(2);
	if (args.includes('--install')) {
		ensureCodeServer()
			.then(() => process.exit(0))
			.catch((e) => {
				console.error(`[code-server] ${e.message}`);
				process.exit(1);
			});
	} else {
		console.error('usage: node test/runner/codeServer.mjs --install');
		process.exit(64);
	}
}
