import { builtinModules } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import tseslint from 'typescript-eslint';

const SRC = path.join(path.dirname(fileURLToPath(import.meta.url)), 'src');

/**
 * The folder of `src/` a file belongs to: `core`, `node`, `cli`, `platform`, `features/<name>`,
 * `root` (extension.ts, api.ts, constants.ts), or undefined outside `src/` (tests, bench).
 */
function layerOf(file) {
	const relative = path.relative(SRC, file);
	if (relative.startsWith('..') || path.isAbsolute(relative)) {
		return undefined;
	}
	const parts = relative.split(path.sep);
	if (parts.length === 1) {
		return 'root';
	}
	return parts[0] === 'features' && parts.length > 2 ? `features/${parts[1]}` : parts[0];
}

const isFeature = (layer) => layer.startsWith('features/');

/**
 * Which folder may import which (README, "Architecture"). Each entry: may `from` import `to`?
 * A reason is returned for a forbidden arrow.
 */
function forbiddenArrow(from, to) {
	switch (from) {
		case 'core':
			return to !== 'core' && 'src/core imports only src/core: the CLI and a web build run it; pass data in from the host';
		case 'node':
			return (to === 'platform' || to === 'cli' || to === 'root' || isFeature(to)) && 'src/node (the Node host layer) imports only src/core and src/node';
		case 'cli':
			return (to === 'platform' || to === 'root' || isFeature(to)) && 'src/cli never reaches VS Code code: use src/node or src/core';
		case 'platform':
			return (to === 'cli' || isFeature(to)) && 'src/platform (VS Code adapters) never reaches features or the CLI: move shared code to src/node or src/core';
		default:
			return isFeature(from) && isFeature(to) && from !== to && 'features never import each other: move what both need to src/core or src/platform, or wire them in src/extension.ts';
	}
}

const NO_VSCODE = new Set(['core', 'node', 'cli']);
const NODE_BUILTINS = new Set(builtinModules);

/** One rule for every arrow between folders of src/, resolved from the importing file. */
const layering = {
	meta: { type: 'problem', schema: [] },
	create(context) {
		const from = layerOf(context.filename);
		if (from === undefined) {
			return {};
		}
		const check = (node) => {
			const source = node.source;
			if (!source || typeof source.value !== 'string') {
				return;
			}
			const name = source.value;
			let reason;
			if (name === 'vscode') {
				reason = NO_VSCODE.has(from) && `src/${from} must not import vscode: it runs outside the extension host`;
			} else if (from === 'core' && (name.startsWith('node:') || NODE_BUILTINS.has(name.split('/')[0]))) {
				reason = 'src/core must not use Node built-ins: a web build runs it. Pass data in from the host';
			} else if (name.startsWith('.')) {
				const to = layerOf(path.resolve(path.dirname(context.filename), name));
				reason = to !== undefined && forbiddenArrow(from, to);
			}
			if (reason) {
				context.report({ node: source, message: `${reason} (${name}).` });
			}
		};
		return { ImportDeclaration: check, ExportNamedDeclaration: check, ExportAllDeclaration: check, ImportExpression: check };
	},
};

export default tseslint.config(
	{ ignores: ['dist/**', 'out/**', 'node_modules/**', '.vscode-test/**', 'sample-corpus/**'] },
	...tseslint.configs.recommended,
	{
		files: ['**/*.ts'],
		rules: {
			curly: 'error',
			eqeqeq: ['error', 'always'],
			'@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
		},
	},
	{
		files: ['**/*.js'],
		rules: { '@typescript-eslint/no-require-imports': 'off' },
	},
	{
		files: ['src/**/*.ts'],
		plugins: { corpus: { rules: { layering } } },
		rules: { 'corpus/layering': 'error' },
	},
	{
		// The core runs in the extension host, the CLI and (later) a web worker: no Node globals either
		// (imports are checked by corpus/layering; `npm run check-types:core` compiles it without Node types).
		files: ['src/core/**/*.ts'],
		rules: {
			'no-restricted-globals': ['error', 'Buffer', 'process', 'require'],
		},
	},
);
