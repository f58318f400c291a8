// Bundles the extension and the command-line tool. esbuild does not type-check: `npm run check-types` does.
import * as esbuild from 'esbuild';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

/** Prints errors in the `$esbuild-watch` problem-matcher format so watch mode reports to the Problems panel. */
const problemMatcher = {
	name: 'problem-matcher',
	setup(build) {
		build.onStart(() => console.log('[watch] build started'));
		build.onEnd((result) => {
			for (const { text, location } of result.errors) {
				console.error(`✘ [ERROR] ${text}`);
				if (location) {
					console.error(`    ${location.file}:${location.line}:${location.column}:`);
				}
			}
			console.log('[watch] build finished');
		});
	},
};

const shared = {
	bundle: true,
	format: 'cjs',
	platform: 'node',
	target: 'node20',
	minify: production,
	sourcemap: !production,
	sourcesContent: false,
	logLevel: 'silent',
	plugins: watch ? [problemMatcher] : [],
};

const contexts = await Promise.all([
	esbuild.context({ ...shared, entryPoints: ['src/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'] }),
	// What activation does not load, require()d by dist/extension.js on first need (src/platform/lazyBundle.ts):
	// the Articles view, and the other features with yaml and the tagger.
	esbuild.context({ ...shared, entryPoints: ['src/features/articlesTree/articlesTreeView.ts'], outfile: 'dist/lazy-articles.js', external: ['vscode'] }),
	esbuild.context({ ...shared, entryPoints: ['src/lazyFeatures.ts'], outfile: 'dist/lazy-features.js', external: ['vscode'] }),
	// The entity tagger adapts to the analysts' corrections in a worker thread (src/features/entities/entityLearning.ts).
	esbuild.context({ ...shared, entryPoints: ['src/features/entities/nerAdaptWorker.ts'], outfile: 'dist/nerAdaptWorker.js' }),
	// `entities --jsonl --jobs N` tags in worker threads; the worker is loaded from beside dist/cli.js.
	esbuild.context({ ...shared, entryPoints: ['src/cli/commands/entitiesWorker.ts'], outfile: 'dist/entitiesWorker.js' }),
	// `check --jobs N` checks sidecars in worker threads, loaded from beside dist/cli.js.
	esbuild.context({ ...shared, entryPoints: ['src/cli/commands/checkWorker.ts'], outfile: 'dist/checkWorker.js' }),
	// `export --jobs N` reads, converts and writes articles in worker threads, loaded from beside dist/cli.js.
	esbuild.context({ ...shared, entryPoints: ['src/node/exportWorker.ts'], outfile: 'dist/exportWorker.js' }),
	// No banner: src/cli/main.ts starts with `#!/usr/bin/env node` and esbuild keeps it (a banner made it appear twice).
	esbuild.context({ ...shared, entryPoints: ['src/cli/main.ts'], outfile: 'dist/cli.js' }),
]);

if (watch) {
	await Promise.all(contexts.map((ctx) => ctx.watch()));
} else {
	const results = await Promise.allSettled(contexts.map((ctx) => ctx.rebuild()));
	await Promise.all(contexts.map((ctx) => ctx.dispose()));
	const failed = results.filter((r) => r.status === 'rejected');
	if (failed.length > 0) {
		for (const f of failed) console.error(f.reason?.message ?? f.reason);
		process.exit(1);
	}
}
