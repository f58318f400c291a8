/**
 * `entities … --jsonl [--jobs N] [--shard I/N]`: bulk tagging of a corpus. Only file names are
 * held for the whole run; texts and results live while their file is in flight (at most two per
 * worker), and lines are written in path order as they come in.
 */
import { existsSync, promises as fsp } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { isArticlePath, isSkippedFolder } from '../../core/corpus/corpusLayout';
import { fileError } from '../../node/fileErrors';
import { CliError, type CliIo } from '../cliTypes';
import { inShard, parseShard } from '../shard';
import { FileTagger } from './entityTagging';
import { readModel } from './nerCommon';

/** What a worker needs to load the model (sent once, as its workerData). */
export interface TaggerSetup {
	readonly cwd: string;
	readonly model: string | undefined;
}

export interface TagRequest {
	readonly seq: number;
	readonly full: string;
	readonly shown: string;
	/** True for files found in a folder: those without a date header are not articles and are skipped. */
	readonly articlesOnly: boolean;
}

/** `line`: the JSON line (undefined: not an article); `error`: the file could not be tagged; `fatal`: the worker could not start. */
export interface TagReply {
	readonly seq: number;
	readonly line?: string;
	readonly error?: string;
	readonly fatal?: string;
}

interface Input {
	readonly full: string;
	/** Printed as `file`. */
	readonly shown: string;
	/** What the shard is decided by: the path below the folder given, or the file as given. */
	readonly shardKey: string;
	readonly articlesOnly: boolean;
}

/** Requests in flight per worker: one being tagged, one waiting, so a worker never idles on the main thread. */
const PER_WORKER = 2;

export async function runEntitiesJsonl(io: CliIo, args: readonly string[], options: { model?: string; jobs?: string; shard?: string }): Promise<number> {
	const shard = options.shard === undefined ? undefined : parseShard(options.shard);
	const jobs = options.jobs === undefined ? os.availableParallelism() : positiveInteger('--jobs', options.jobs);
	const inputs: Input[] = [];
	for (const arg of args) {
		await listInput(io.cwd, arg, inputs);
	}
	const mine = shard ? inputs.filter((f) => inShard(f.shardKey, shard)) : inputs;
	const script = path.join(__dirname, 'entitiesWorker.js');
	const threads = Math.min(jobs, mine.length);
	const tagger: Tagger = threads > 1 && existsSync(script) ? new WorkerTagger(script, threads, { cwd: io.cwd, model: options.model }) : new ThreadTagger(readModel(io.cwd, options.model).model);
	let failed = 0;
	try {
		const window: Promise<TagReply>[] = [];
		let next = 0;
		while (next < mine.length || window.length > 0) {
			while (next < mine.length && window.length < tagger.capacity) {
				const f = mine[next];
				window.push(tagger.tag({ seq: next++, full: f.full, shown: f.shown, articlesOnly: f.articlesOnly }));
			}
			const reply = await window.shift()!;
			if (reply.fatal !== undefined) {
				throw new CliError(reply.fatal);
			}
			if (reply.error !== undefined) {
				failed++;
				io.out(JSON.stringify({ file: mine[reply.seq].shown, error: reply.error }) + '\n');
			} else if (reply.line !== undefined) {
				io.out(reply.line + '\n');
			}
		}
	} finally {
		await tagger.close();
	}
	if (failed > 0) {
		io.err(`corpus-annotator entities: ${failed} file(s) could not be tagged (their lines carry "error")\n`);
	}
	return failed > 0 ? 1 : 0;
}

function positiveInteger(flag: string, text: string): number {
	if (!/^[1-9][0-9]*$/.test(text)) {
		throw new CliError(`${flag} must be a whole number ≥ 1, got ${JSON.stringify(text)}`);
	}
	return Number(text);
}

/** A file as given, or every article path below a folder (sorted, so the output order is the same everywhere). */
async function listInput(cwd: string, arg: string, out: Input[]): Promise<void> {
	const full = path.resolve(cwd, arg);
	let stat;
	try {
		stat = await fsp.stat(full);
	} catch (error) {
		throw fileError(error, full, 'article or folder');
	}
	const slashed = arg.replace(/\\/g, '/');
	if (!stat.isDirectory()) {
		out.push({ full, shown: slashed, shardKey: slashed, articlesOnly: false });
		return;
	}
	const base = slashed.replace(/\/+$/, '');
	const walk = async (dir: string, rel: string): Promise<void> => {
		const entries = (await fsp.readdir(dir, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
		for (const e of entries) {
			const childRel = rel === '' ? e.name : `${rel}/${e.name}`;
			if (e.isDirectory()) {
				if (!isSkippedFolder(e.name)) {
					await walk(path.join(dir, e.name), childRel);
				}
			} else if ((e.isFile() || e.isSymbolicLink()) && isArticlePath(e.name)) {
				out.push({ full: path.join(dir, e.name), shown: base === '' || base === '.' ? childRel : `${base}/${childRel}`, shardKey: childRel, articlesOnly: true });
			}
		}
	};
	await walk(full, '');
}

interface Tagger {
	/** Requests worth having in flight at once. */
	readonly capacity: number;
	tag(request: TagRequest): Promise<TagReply>;
	close(): Promise<void>;
}

/** `--jobs 1`: tags in this thread, letting a closed output pipe be noticed between files. */
class ThreadTagger implements Tagger {
	readonly capacity = 1;
	private readonly tagger: FileTagger;

	constructor(model: ConstructorParameters<typeof FileTagger>[0]) {
		this.tagger = new FileTagger(model);
	}

	async tag(r: TagRequest): Promise<TagReply> {
		await new Promise((resolve) => setImmediate(resolve));
		try {
			const entry = await this.tagger.tag(r.full, r.shown, r.articlesOnly);
			return { seq: r.seq, line: entry === undefined ? undefined : JSON.stringify(entry) };
		} catch (error) {
			if (error instanceof CliError) {
				throw error; // a broken entity list or corrections file: the command fails, as without --jsonl
			}
			return { seq: r.seq, error: error instanceof Error ? error.message : String(error) };
		}
	}

	async close(): Promise<void> {}
}

/** N worker threads, each sent the next file when it has fewer than {@link PER_WORKER} in flight. */
class WorkerTagger implements Tagger {
	readonly capacity: number;
	private readonly workers: { worker: Worker; pending: Map<number, (reply: TagReply) => void> }[] = [];

	constructor(script: string, count: number, setup: TaggerSetup) {
		this.capacity = count * PER_WORKER;
		for (let i = 0; i < count; i++) {
			const worker = new Worker(script, { workerData: setup });
			const pending = new Map<number, (reply: TagReply) => void>();
			worker.on('message', (reply: TagReply) => {
				pending.get(reply.seq)?.(reply);
				pending.delete(reply.seq);
			});
			const fail = (message: string): void => {
				for (const [seq, resolve] of pending) {
					resolve({ seq, fatal: message });
				}
				pending.clear();
			};
			worker.on('error', (error) => fail(`entities worker failed: ${error.message}`));
			worker.on('exit', (code) => fail(`entities worker stopped (exit ${code})`));
			this.workers.push({ worker, pending });
		}
	}

	tag(request: TagRequest): Promise<TagReply> {
		const w = this.workers.reduce((a, b) => (b.pending.size < a.pending.size ? b : a));
		return new Promise((resolve) => {
			w.pending.set(request.seq, resolve);
			w.worker.postMessage(request);
		});
	}

	async close(): Promise<void> {
		await Promise.all(this.workers.map((w) => w.worker.terminate()));
	}
}
