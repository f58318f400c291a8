/**
 * A big text file read as a stream and handed out in pieces that end at a paragraph break, in
 * canonical form (BOM removed, CRLF as LF): what tagging a multi-megabyte file needs without
 * holding the file, its decoded text and its canonical copy at once.
 */
import { createReadStream } from 'node:fs';
import { readUtf8 } from './files';
import { fileError } from './fileErrors';

/** Characters a piece grows to before it is cut at its last paragraph break. */
export const PARAGRAPH_CHUNK_CHARS = 64 * 1024;

/**
 * The canonical text of `file` in pieces; joined they give exactly `canonicalText(readUtf8(file))`.
 * A piece ends after a blank line (`\n\n`) when there is one; a paragraph longer than four times
 * `chunkChars` is cut at its last line end, else at its last space, so memory stays bounded.
 * Invalid UTF-8 gives the same error (with its line and column) as reading the whole file.
 */
export async function* readCanonicalParagraphs(file: string, what = 'article', chunkChars = PARAGRAPH_CHUNK_CHARS): AsyncGenerator<string> {
	const decoder = new TextDecoder('utf-8', { fatal: true });
	let pending = '';
	let first = true;
	// A missing or unreadable file fails on the first read, below.
	const stream: AsyncIterable<Buffer> = createReadStream(file, { highWaterMark: chunkChars });
	try {
		for await (const bytes of stream) {
			pending += decoder.decode(bytes, { stream: true });
			if (first && pending.length > 0) {
				first = false;
				if (pending.charCodeAt(0) === 0xfeff) {
					pending = pending.slice(1);
				}
			}
			// A CR at the very end may be the first half of a CRLF split across reads: keep it back.
			const keepCr = pending.endsWith('\r') ? 1 : 0;
			const usable = pending.length - keepCr;
			if (usable < chunkChars) {
				continue;
			}
			const text = pending.slice(0, usable).replace(/\r\n/g, '\n');
			const cut = cutPoint(text, chunkChars);
			if (cut > 0) {
				yield text.slice(0, cut);
			}
			pending = text.slice(cut) + pending.slice(usable);
		}
		pending += decoder.decode();
	} catch (error) {
		if (error instanceof TypeError) {
			// Invalid UTF-8: the whole-file reader reports where.
			await readUtf8(file, what);
		}
		throw fileError(error, file, what);
	}
	const rest = pending.replace(/\r\n/g, '\n');
	if (rest.length > 0) {
		yield rest;
	}
}

/** Where to end the next piece of `text` (0: keep growing). */
function cutPoint(text: string, chunkChars: number): number {
	const paragraph = text.lastIndexOf('\n\n');
	if (paragraph >= 0) {
		return paragraph + 2;
	}
	if (text.length < 4 * chunkChars) {
		return 0;
	}
	const line = text.lastIndexOf('\n');
	if (line >= 0) {
		return line + 1;
	}
	const space = text.lastIndexOf(' ');
	// No break at all in 256 K characters: cut anyway, but never inside a surrogate pair.
	if (space >= 0) {
		return space + 1;
	}
	const code = text.charCodeAt(text.length - 1);
	return code >= 0xd800 && code <= 0xdbff ? text.length - 1 : text.length;
}
