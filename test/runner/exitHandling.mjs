// Exit and signal handling shared by the runners (integration tests, UI tests, `npm start`) and
// by what they start (code-server, Chromium): whatever a run started is stopped however it ends.

/** The signals a run stops on, with their numbers (exit code 128 + n). */
const STOP_SIGNALS = [
	['SIGINT', 2],
	['SIGTERM', 15],
	['SIGHUP', 1],
];

/** Synchronous stops of what is still running, newest first (a browser before its server). */
const live = new Set();
process.on('exit', () => {
	for (const stopSync of [...live].reverse()) stopSync();
});

/**
 * Runs `stopSync` if the process exits (or is signalled) before the caller stopped the thing
 * itself; call the returned function once it is stopped.
 */
export function stopOnExit(stopSync) {
	live.add(stopSync);
	installSignalHooks();
	return () => live.delete(stopSync);
}

// A signal ends a process without 'exit' when nobody listens: then stop what we started. When
// the importer has its own handler (a runner's `runnerExit`, mocha), it owns the exit and the
// 'exit' hook above does the synchronous clean-up.
let signalHooks = false;
function installSignalHooks() {
	if (signalHooks) return;
	signalHooks = true;
	for (const [sig, num] of STOP_SIGNALS) {
		process.on(sig, function onSignal() {
			if (process.listenerCount(sig) > 1) return;
			process.exit(128 + num); // the 'exit' hook stops everything
		});
	}
}

/**
 * The one way out of a runner. `finish(code)` runs `cleanup` once (browser, server, temp
 * folders), then `done(code)`, then exits. Ctrl+C, `kill` or a closed terminal end the run the
 * same way with 128 + the signal's number (or `signalCode`), which wins over a result that
 * arrives meanwhile.
 * @param {{ cleanup: () => unknown, done?: (code: number) => void, onSignal?: (signal: string) => void, signalCode?: number }} o
 * @returns {{ finish: (code: number) => Promise<never>, signalled: () => number | undefined }}
 */
export function runnerExit({ cleanup, done = () => {}, onSignal = () => {}, signalCode }) {
	let signalled;
	let finishing;
	const finish = (code) => {
		finishing ??= (async () => {
			await Promise.resolve()
				.then(cleanup)
				.catch(() => {});
			const final = signalled ?? code;
			done(final);
			process.exit(final);
		})();
		return finishing;
	};
	for (const [sig, num] of STOP_SIGNALS) {
		process.on(sig, () => {
			if (signalled !== undefined) return;
			signalled = signalCode ?? 128 + num;
			onSignal(sig);
			void finish(signalled);
		});
	}
	return { finish, signalled: () => signalled };
}
