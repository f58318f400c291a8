import tseslint from 'typescript-eslint';

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
		// The core runs in the extension host, the CLI and (later) a web worker: no VS Code, no Node built-ins.
		files: ['src/core/**/*.ts'],
		rules: {
			'no-restricted-imports': [
				'error',
				{
					paths: [
						{ name: 'vscode', message: 'src/core must stay VS Code-free; put the adapter in src/platform or a feature folder.' },
					],
					patterns: [
						{
							group: ['fs', 'fs/*', 'path', 'crypto', 'os', 'worker_threads', 'child_process', 'node:*'],
							message: 'src/core must not use Node built-ins: a web build runs it. Pass data in from the host.',
						},
					],
				},
			],
			'no-restricted-globals': ['error', 'Buffer', 'process', 'require'],
		},
	},
);
