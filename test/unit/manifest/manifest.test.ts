import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';

const root = path.resolve(__dirname, '../../../..');
const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as {
	engines: { vscode: string };
	devDependencies: Record<string, string>;
	contributes: {
		commands: { command: string }[];
		configuration: { properties: Record<string, { scope?: string }> };
		views: Record<string, { id: string }[]>;
		menus: Record<string, { when?: string }[]>;
	};
};

describe('package.json manifest', () => {
	it('declares every command id the source registers, and no others', () => {
		const constants = fs.readFileSync(path.join(root, 'src/constants.ts'), 'utf8');
		const enumBody = /export const enum CommandId \{([\s\S]*?)\n\}/.exec(constants)?.[1] ?? '';
		const inSource = [...enumBody.matchAll(/=\s*'([^']+)'/g)].map((m) => m[1]).filter((id) => !id.startsWith('_'));
		const declared = manifest.contributes.commands.map((c) => c.command);
		assert.deepStrictEqual([...declared].sort(), [...inSource].sort());
	});

	it('prefixes commands and settings', () => {
		for (const c of manifest.contributes.commands) {
			assert.match(c.command, /^corpusAnnotator\./);
		}
		for (const key of Object.keys(manifest.contributes.configuration.properties)) {
			assert.match(key, /^corpusAnnotator\./);
		}
	});

	it('does not compile against a newer VS Code API than it claims to need', () => {
		assert.strictEqual(manifest.engines.vscode, '^1.100.0');
		assert.strictEqual(manifest.devDependencies['@types/vscode'], '1.100.0');
	});

	it('declares every view that a menu or the source refers to', () => {
		const declared = new Set(Object.values(manifest.contributes.views).flatMap((views) => views.map((v) => v.id)));
		const referenced = new Set<string>();
		for (const items of Object.values(manifest.contributes.menus)) {
			for (const item of items) {
				for (const m of (item.when ?? '').matchAll(/view == ([\w.]+)/g)) {
					referenced.add(m[1]);
				}
			}
		}
		const constants = fs.readFileSync(path.join(root, 'src/constants.ts'), 'utf8');
		const viewIds = /export const enum ViewId \{([\s\S]*?)\n\}/.exec(constants)?.[1] ?? '';
		for (const m of viewIds.matchAll(/=\s*'([^']+)'/g)) {
			referenced.add(m[1]);
		}
		for (const file of walk(path.join(root, 'src'))) {
			for (const m of fs.readFileSync(file, 'utf8').matchAll(/createTreeView(?:<[^>]*>)?\('([^']+)'/g)) {
				referenced.add(m[1]);
			}
		}
		const missing = [...referenced].filter((id) => !declared.has(id));
		assert.deepStrictEqual(missing, []);
	});
});

describe('what activation registers ahead of the bundles it loads later', () => {
	it('defers exactly the commands the Articles view registers to its bundle', () => {
		const source = fs.readFileSync(path.join(root, 'src/features/articlesTree/articlesTreeView.ts'), 'utf8');
		const registered = [...source.matchAll(/commands\.register\(CommandId\.(\w+)/g)].map((m) => m[1]);
		const list = fs.readFileSync(path.join(root, 'src/features/articlesTree/articlesTreeCommands.ts'), 'utf8');
		const deferred = [...list.matchAll(/CommandId\.(\w+)/g)].map((m) => m[1]);
		assert.ok(registered.length > 0);
		assert.deepStrictEqual([...deferred].sort(), [...registered].sort());
	});
});

describe('settings scopes', () => {
	it('declares a resource scope for every setting read for a resource', () => {
		// VS Code warns for each read of a window-scoped setting with a resource.
		const reads: string[] = [];
		for (const file of walk(path.join(root, 'src'))) {
			const text = fs.readFileSync(file, 'utf8');
			for (const m of text.matchAll(/getConfiguration\('([\w.]+)',\s*[^)]+\)\s*\.(?:get|inspect)(?:<[^>]*>)?\('([\w.]+)'/g)) {
				reads.push(`${m[1]}.${m[2]}`);
			}
		}
		assert.ok(reads.includes('corpusAnnotator.entities.corpusVote'), reads.join(', '));
		for (const key of reads) {
			assert.ok(['resource', 'language-overridable', 'machine-overridable'].includes(manifest.contributes.configuration.properties[key]?.scope ?? 'window'), `${key} is read for a resource but not resource-scoped`);
		}
	});
});

function walk(dir: string): string[] {
	return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : []));
}
