import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';

const root = path.resolve(__dirname, '../../../..');
const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as {
	engines: { vscode: string };
	devDependencies: Record<string, string>;
	contributes: { commands: { command: string }[]; configuration: { properties: Record<string, unknown> } };
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
});
