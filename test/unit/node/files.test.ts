import * as assert from 'assert';
import { promises as fs } from 'fs';
import * as path from 'path';
import { writeFileAtomic } from '../../../src/node/atomicFile';
import { failureReason, fileError, NodeFileError } from '../../../src/node/fileErrors';
import { readUtf8, readUtf8IfExists } from '../../../src/node/files';
import { litter, useTempFolder } from './nodeTestFolder';

describe('Node file reads and atomic writes', () => {
	const tempDir = useTempFolder('corpus-files-');

	it('reads strict UTF-8 and names the file in every error', async () => {
		const file = path.join(tempDir(), 'a.txt');
		await fs.writeFile(file, 'Één 🇳🇱\n');
		assert.strictEqual(await readUtf8(file), 'Één 🇳🇱\n');
		await fs.writeFile(file, Buffer.from([0x41, 0xc3]));
		await assert.rejects(readUtf8(file, 'article'), { message: `article ${file} is not valid UTF-8` });
		await assert.rejects(readUtf8(path.join(tempDir(), 'nope.txt'), 'article'), { message: `article ${path.join(tempDir(), 'nope.txt')}: no such file` });
		await assert.rejects(readUtf8(tempDir(), 'sidecar'), { message: `sidecar ${tempDir()}: is a folder` });
	});

	it('readUtf8IfExists: undefined only for a missing file, an error for a folder', async () => {
		assert.strictEqual(await readUtf8IfExists(path.join(tempDir(), 'missing.yaml')), undefined);
		await fs.symlink('missing.yaml', path.join(tempDir(), 'dangling.yaml'));
		assert.strictEqual(await readUtf8IfExists(path.join(tempDir(), 'dangling.yaml')), undefined);
		await assert.rejects(readUtf8IfExists(tempDir()), NodeFileError);
	});

	it('says "permission denied" for EACCES and EPERM, and passes its own errors through', () => {
		const denied = Object.assign(new Error('EACCES: permission denied, open /x'), { code: 'EACCES' });
		assert.strictEqual(fileError(denied, '/x', 'sidecar').message, 'sidecar /x: permission denied');
		assert.strictEqual(failureReason(Object.assign(new Error('EPERM'), { code: 'EPERM' })), 'permission denied');
		assert.strictEqual(failureReason(new Error('odd')), 'odd');
		const own = new NodeFileError('already readable');
		assert.strictEqual(fileError(own, '/y'), own);
	});

	it('writeFileAtomic replaces content through a symlink and leaves no temp file', async () => {
		const target = path.join(tempDir(), 'entities.yaml');
		const link = path.join(tempDir(), 'link.yaml');
		await fs.writeFile(target, 'old');
		await fs.symlink(target, link);
		await writeFileAtomic(link, 'new');
		assert.strictEqual(await fs.readFile(target, 'utf8'), 'new');
		assert.ok((await fs.lstat(link)).isSymbolicLink());
		assert.deepStrictEqual(await litter(tempDir()), []);
	});
});
