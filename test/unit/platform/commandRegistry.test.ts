import * as assert from 'assert';
import { Module } from 'module';

/** Just enough of `vscode` for CommandRegistry: registered commands by id, error messages shown. */
const fakeVscode = {
	commands: new Map<string, (...args: unknown[]) => unknown>(),
	shown: [] as string[],
};
const vscodeModule = {
	commands: {
		registerCommand(id: string, run: (...args: unknown[]) => unknown) {
			assert.ok(!fakeVscode.commands.has(id), `${id} registered twice`);
			fakeVscode.commands.set(id, run);
			return { dispose: () => fakeVscode.commands.delete(id) };
		},
	},
	window: {
		showErrorMessage(message: string) {
			fakeVscode.shown.push(message);
			return Promise.resolve(undefined);
		},
	},
	CancellationError: class CancellationError extends Error {},
};

type Loader = { _load(request: string, ...rest: unknown[]): unknown };
const loader = Module as unknown as Loader;
const originalLoad = loader._load;
loader._load = function (request: string, ...rest: unknown[]) {
	return request === 'vscode' ? vscodeModule : originalLoad.call(this, request, ...rest);
};
// eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded after the fake `vscode` is in place
const { CommandRegistry } = require('../../../src/platform/commandRegistry') as typeof import('../../../src/platform/commandRegistry');
loader._load = originalLoad;

const logger = { info: () => undefined, warn: () => undefined, error: (m: string) => fakeVscode.shown.push(`log: ${m}`), show: () => undefined };
const run = (id: string, ...args: unknown[]): unknown => fakeVscode.commands.get(id)!(...args);

describe('CommandRegistry.defer', () => {
	let registry: InstanceType<typeof CommandRegistry>;
	beforeEach(() => {
		fakeVscode.shown.length = 0;
		registry = new CommandRegistry(logger);
	});
	afterEach(() => registry.dispose());

	it('registers the deferred commands at once and loads their handlers on the first run', async () => {
		let loads = 0;
		registry.defer(['a.one', 'a.two'], () => {
			if (loads++ === 0) {
				registry.register('a.one', (x: number) => x + 1);
				registry.register('a.two', () => 'two');
			}
		});
		assert.deepStrictEqual([...fakeVscode.commands.keys()].sort(), ['a.one', 'a.two']);
		assert.strictEqual(loads, 0);
		assert.strictEqual(await run('a.one', 41), 42);
		assert.strictEqual(await run('a.two'), 'two');
		assert.strictEqual(loads, 2, 'load is called on every run; making it idempotent is the caller’s (LazyBundle)');
	});

	it('leaves alone the commands registered before, and a second deferral of the same id', async () => {
		registry.register('a.now', () => 'now');
		let second = false;
		registry.defer(['a.now', 'a.later'], () => registry.register('a.later', () => 'later'));
		registry.defer(['a.later'], () => {
			second = true;
		});
		assert.strictEqual(await run('a.now'), 'now');
		assert.strictEqual(await run('a.later'), 'later');
		assert.strictEqual(second, false);
	});

	it('reports a deferred command that the loaded code did not register', async () => {
		registry.defer(['a.missing'], () => undefined);
		assert.strictEqual(await run('a.missing'), undefined);
		assert.ok(fakeVscode.shown.some((m) => /a\.missing was not registered/.test(m)), fakeVscode.shown.join('\n'));
	});

	it('reports a bundle that fails to load as an error of the command', async () => {
		registry.defer(['a.broken'], () => {
			throw new Error('Cannot find module dist/lazy-features.js');
		});
		await run('a.broken');
		assert.ok(fakeVscode.shown.some((m) => /unexpected error in a\.broken \(Cannot find module/.test(m)), fakeVscode.shown.join('\n'));
	});
});
