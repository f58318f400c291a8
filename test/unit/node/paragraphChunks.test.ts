import * as assert from 'assert';
import { promises as fs } from 'fs';
import * as path from 'path';
import { canonicalText } from '../../../src/core/annotations/offsets';
import { seededRandom } from '../../../src/core/util/seededRandom';
import { readUtf8 } from '../../../src/node/files';
import { readCanonicalParagraphs } from '../../../src/node/paragraphChunks';
import { useTempFolder } from './nodeTestFolder';

const PIECES = ['Kiev', ' ', 'Zelensky', '😀', 'é', '\n', '\r\n', '\n\n', '\r\n\r\n', 'Oekraïne', '. ', 'x'.repeat(40)];

async function pieces(file: string, chunkChars: number): Promise<string[]> {
	const out: string[] = [];
	for await (const p of readCanonicalParagraphs(file, 'article', chunkChars)) {
		out.push(p);
	}
	return out;
}

describe('readCanonicalParagraphs', () => {
	const dir = useTempFolder('corpus-chunks-');

	it('gives back exactly the canonical text, in pieces that end at blank lines when there are any (300 seeded files)', async () => {
		const random = seededRandom(17);
		let failures = 0;
		let cutOutsideBreak = 0;
		for (let n = 0; n < 300; n++) {
			let text = random() < 0.5 ? '\uFEFF date 2024-05 Lead.\n\n' : ' date 2024-05 Lead.\r\n\r\n';
			const length = Math.floor(random() * 3000);
			while (text.length < length) {
				text += PIECES[Math.floor(random() * PIECES.length)];
			}
			const file = path.join(dir(), `f${n}.txt`);
			await fs.writeFile(file, text);
			const chunk = 16 + Math.floor(random() * 200);
			const got = await pieces(file, chunk);
			if (got.join('') !== canonicalText(text)) {
				failures++;
			}
			for (const p of got.slice(0, -1)) {
				// Cut elsewhere only when the text waiting to be cut had no blank line at all.
				if (!p.endsWith('\n\n') && p.includes('\n\n')) {
					cutOutsideBreak++;
				}
			}
		}
		console.log(`      300 files: ${failures} not rebuilt exactly, ${cutOutsideBreak} short pieces cut outside a blank line`);
		assert.strictEqual(failures, 0);
		assert.strictEqual(cutOutsideBreak, 0);
	});

	it('cuts a paragraph with no blank line once it is four chunks long, never inside a surrogate pair', async () => {
		const text = '😀'.repeat(1000);
		const file = path.join(dir(), 'emoji.txt');
		await fs.writeFile(file, text);
		const got = await pieces(file, 100);
		assert.ok(got.length > 1, 'cut into several pieces');
		assert.strictEqual(got.join(''), text);
		assert.ok(got.every((p) => !/[\uD800-\uDBFF]$/.test(p)), 'no piece ends in a high surrogate');
	});

	it('reports invalid UTF-8 as reading the whole file does', async () => {
		const file = path.join(dir(), 'bad.txt');
		await fs.writeFile(file, Buffer.concat([Buffer.from(' date 2024-05 Goed\n\n'.repeat(50)), Buffer.from([0xff, 0xfe]), Buffer.from(' rest')]));
		const expected = await readUtf8(file, 'article').then(() => undefined, (e: Error) => e.message);
		assert.ok(expected, 'readUtf8 rejects the file');
		await assert.rejects(pieces(file, 64), { message: expected });
	});

	it('reports a missing file with its path', async () => {
		const file = path.join(dir(), 'missing.txt');
		await assert.rejects(pieces(file, 64), (e: Error) => e.message.includes(file));
	});
});
