import { isUtf8 } from 'buffer';
import { promises as fs } from 'fs';
import { fileError, NodeFileError } from './fileErrors';

const UTF8_BOM = [0xef, 0xbb, 0xbf] as const;

/** True when the bytes start with the UTF-8 byte order mark. */
export function startsWithBom(bytes: Uint8Array): boolean {
	return bytes.length >= 3 && bytes[0] === UTF8_BOM[0] && bytes[1] === UTF8_BOM[1] && bytes[2] === UTF8_BOM[2];
}

/**
 * Strict UTF-8: invalid bytes are an error, never replaced. A leading BOM is dropped from the
 * text (TextDecoder's default) unless `keepBom`.
 */
export function decodeUtf8(bytes: Uint8Array, file: string, what = 'file', keepBom = false): string {
	// Node's native check and decoder: several times faster than a fatal TextDecoder on a corpus.
	if (!isUtf8(bytes)) {
		throw new NodeFileError(`${what} ${file} is not valid UTF-8`);
	}
	const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
	return !keepBom && text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** Reads a UTF-8 text file; invalid bytes are an error, not silently replaced. A BOM is dropped unless `keepBom`. */
export async function readUtf8(file: string, what = 'file', keepBom = false): Promise<string> {
	let bytes: Uint8Array;
	try {
		bytes = await fs.readFile(file);
	} catch (error) {
		throw fileError(error, file, what);
	}
	return decodeUtf8(bytes, file, what, keepBom);
}

/** The text of a file, or undefined when it does not exist (a folder or unreadable file is still an error). */
export async function readUtf8IfExists(file: string, what = 'file'): Promise<string | undefined> {
	try {
		return await readUtf8(file, what);
	} catch (error) {
		if (error instanceof NodeFileError && error.code === 'ENOENT') {
			return undefined;
		}
		throw error;
	}
}

/** The bytes of a file, or undefined when it does not exist; other failures become readable errors. */
export async function readBytesIfExists(file: string, what = 'file'): Promise<Uint8Array | undefined> {
	try {
		return await fs.readFile(file);
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
			return undefined;
		}
		throw fileError(error, file, what);
	}
}
