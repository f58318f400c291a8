import * as assert from 'assert';
import { promises as fs } from 'fs';
import * as path from 'path';
import { findWorkspaceFile } from '../../../src/node/corpusFiles';
import { useTempFolder } from './nodeTestFolder';

describe('findWorkspaceFile', () => {
	const tempDir = useTempFolder('corpus-find-');

	async function corpusFile(dir: string, name: string): Promise<string> {
		await fs.mkdir(path.join(dir, '.corpus'), { recursive: true });
		const file = path.join(dir, '.corpus', name);
		await fs.writeFile(file, 'labels: []\n');
		return file;
	}

	it('finds the nearest .corpus/<name> upwards', async () => {
		const outer = await corpusFile(tempDir(), 'labels.yaml');
		const deep = path.join(tempDir(), 'a', 'b', 'c');
		await fs.mkdir(deep, { recursive: true });
		assert.strictEqual(await findWorkspaceFile(deep, 'labels.yaml'), outer);
		const inner = await corpusFile(path.join(tempDir(), 'a'), 'labels.yaml');
		assert.strictEqual(await findWorkspaceFile(deep, 'labels.yaml'), inner);
		assert.strictEqual(await findWorkspaceFile(deep, 'entities.yaml'), undefined);
	});

	it('does not look above the stop folder', async () => {
		await corpusFile(tempDir(), 'labels.yaml');
		const workspace = path.join(tempDir(), 'workspace');
		const deep = path.join(workspace, 'x');
		await fs.mkdir(deep, { recursive: true });
		assert.strictEqual(await findWorkspaceFile(deep, 'labels.yaml', workspace), undefined);
		const own = await corpusFile(workspace, 'labels.yaml');
		assert.strictEqual(await findWorkspaceFile(deep, 'labels.yaml', workspace), own);
	});

	it('searches only the folder itself when it lies outside the stop folder', async () => {
		await corpusFile(tempDir(), 'labels.yaml');
		const elsewhere = path.join(tempDir(), 'elsewhere');
		await fs.mkdir(elsewhere);
		assert.strictEqual(await findWorkspaceFile(elsewhere, 'labels.yaml', path.join(tempDir(), 'workspace')), undefined);
	});
});
