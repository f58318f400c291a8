/**
 * `--shard I/N`: a corpus split into N disjoint parts that together cover it, decided by each
 * file's path alone, so the same command on N machines (an array job) needs no coordination.
 */
import { CliError } from './cliTypes';

export interface Shard {
	/** 1-based. */
	readonly index: number;
	readonly count: number;
}

/** Parses `I/N` with 1 ≤ I ≤ N. */
export function parseShard(text: string): Shard {
	const m = /^([1-9][0-9]*)\/([1-9][0-9]*)$/.exec(text);
	const index = m ? Number(m[1]) : NaN;
	const count = m ? Number(m[2]) : NaN;
	if (!m || index > count) {
		throw new CliError(`--shard must be I/N with 1 ≤ I ≤ N (like 1/4), got ${JSON.stringify(text)}`);
	}
	return { index, count };
}

/**
 * 32-bit FNV-1a of the path's UTF-8 bytes (forward slashes): the same on every machine, platform
 * and Node version, unlike anything seeded.
 */
export function pathHash(relativePath: string): number {
	let h = 0x811c9dc5;
	for (const byte of new TextEncoder().encode(relativePath.replace(/\\/g, '/'))) {
		h ^= byte;
		h = Math.imul(h, 0x01000193) >>> 0;
	}
	return h;
}

/** True when the file with this relative path belongs to the shard. */
export function inShard(relativePath: string, shard: Shard): boolean {
	return pathHash(relativePath) % shard.count === shard.index - 1;
}
