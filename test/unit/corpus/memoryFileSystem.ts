import type { CorpusFileSystem, DirectoryEntry, FileStat } from '../../../src/core/corpus/corpusFileSystem';

/**
 * Virtual milliseconds for the indexer's `clock` option: they pass only when the fake file
 * system's calls say so, so tests of time slices and slow disks do not depend on the machine.
 */
export class VirtualClock {
	private time = 0;
	readonly now = (): number => this.time;

	advance(ms: number): void {
		this.time += ms;
	}
}

/**
 * In-memory {@link CorpusFileSystem}: paths are '/'-joined, directories are implied by file paths.
 * Every call takes `callMs` of {@link clock}'s time.
 */
export class MemoryFileSystem implements CorpusFileSystem {
	readonly files = new Map<string, { bytes: Uint8Array; mtime: number }>();
	readonly reads: string[] = [];
	readonly clock = new VirtualClock();
	callMs = 0;
	private nextMtime = 1;

	constructor(files: Record<string, string | Uint8Array> = {}) {
		for (const [path, content] of Object.entries(files)) {
			this.write(path, content);
		}
	}

	write(path: string, content: string | Uint8Array): void {
		const bytes = typeof content === 'string' ? new TextEncoder().encode(content) : content;
		this.files.set(path, { bytes, mtime: this.nextMtime++ });
	}

	delete(path: string): void {
		this.files.delete(path);
	}

	async list(dir: string): Promise<readonly DirectoryEntry[]> {
		this.clock.advance(this.callMs);
		const prefix = dir.length > 0 ? `${dir}/` : '';
		const seen = new Map<string, DirectoryEntry['type']>();
		for (const path of this.files.keys()) {
			if (path.startsWith(prefix)) {
				const rest = path.slice(prefix.length);
				const slash = rest.indexOf('/');
				seen.set(slash === -1 ? rest : rest.slice(0, slash), slash === -1 ? 'file' : 'directory');
			}
		}
		if (seen.size === 0 && dir.length > 0) {
			throw new Error(`ENOENT: ${dir}`);
		}
		return [...seen].map(([name, type]) => ({ name, type }));
	}

	async readHead(path: string, bytes: number): Promise<Uint8Array> {
		this.clock.advance(this.callMs);
		const file = this.files.get(path);
		if (!file) {
			throw new Error(`ENOENT: ${path}`);
		}
		this.reads.push(path);
		return file.bytes.slice(0, bytes);
	}

	async stat(path: string): Promise<FileStat | undefined> {
		this.clock.advance(this.callMs);
		const file = this.files.get(path);
		if (file) {
			return { type: 'file', mtime: file.mtime, size: file.bytes.length };
		}
		const prefix = `${path}/`;
		return [...this.files.keys()].some((p) => p.startsWith(prefix)) ? { type: 'directory', mtime: 0, size: 0 } : undefined;
	}
}

/**
 * {@link MemoryFileSystem} with the optional synchronous calls (like a local disk). Each
 * synchronous call takes `syncCallMs` of the virtual clock's time (more: a slow disk).
 */
export class SyncMemoryFileSystem extends MemoryFileSystem {
	readonly syncReads: string[] = [];
	syncCallMs = 0;

	readHeadAndStatSync(path: string, bytes: number): { bytes: Uint8Array; stat: FileStat } {
		this.clock.advance(this.syncCallMs);
		const file = this.files.get(path);
		if (!file) {
			throw new Error(`ENOENT: ${path}`);
		}
		this.reads.push(path);
		this.syncReads.push(path);
		return { bytes: file.bytes.slice(0, bytes), stat: { type: 'file', mtime: file.mtime, size: file.bytes.length } };
	}

	statSync(path: string): FileStat | undefined {
		this.clock.advance(this.syncCallMs);
		const file = this.files.get(path);
		return file ? { type: 'file', mtime: file.mtime, size: file.bytes.length } : undefined;
	}
}
