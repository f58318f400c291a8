/**
 * Worker threads that answer requests in batches, for the commands that fan work out over the
 * cores (`check --jobs N`, `export --jobs N`): at most two requests in flight per worker (one
 * being worked on, one waiting, so a worker never idles on the round trip), answers handed back
 * in request order whatever order they come in. The worker side is {@link answerRequests}.
 */
import { parentPort, Worker } from 'node:worker_threads';
import { NodeFileError } from './fileErrors';

/** A worker that failed, stopped or answered with an error; the message names the pool. */
export class WorkerPoolError extends Error {}

interface Envelope<Q> {
	readonly seq: number;
	readonly request: Q;
}

interface Answer<A> {
	readonly seq: number;
	readonly answer?: A;
	readonly error?: string;
	/** `NodeFileError` when it was one (its message names the file): rebuilt as one. */
	readonly errorName?: string;
	readonly errorCode?: string;
}

export interface PoolRun<A> {
	/** In request order. */
	readonly answers: A[];
	/** Which worker answered each request (to send it later requests about the same data). */
	readonly workers: number[];
}

export interface PoolRunOptions {
	/** Per request, the worker that must answer it (it holds what the request refers to). */
	readonly pinned?: readonly number[];
	/** Called after each answer, with the number answered so far and the request answered. */
	readonly onAnswer?: (answered: number, request: number) => void;
	/** Polled before each request is sent; once true, nothing more is sent and the run rejects with `cancelled()`. */
	readonly isCancelled?: () => boolean;
	readonly cancelled?: () => Error;
}

export class WorkerPool {
	private readonly workers: Worker[];

	/** `name` goes into error messages ("check worker failed: …"). */
	constructor(script: string, threads: number, private readonly name: string) {
		this.workers = Array.from({ length: threads }, () => new Worker(script));
	}

	get size(): number {
		return this.workers.length;
	}

	/** Sends every request and gives back the answers in request order. */
	async run<Q, A>(requests: readonly Q[], options: PoolRunOptions = {}): Promise<PoolRun<A>> {
		const answers: A[] = new Array(requests.length);
		const answeredBy: number[] = new Array(requests.length);
		// Each worker's own queue when pinned, else one shared queue.
		const queues: number[][] = options.pinned
			? this.workers.map((_, w) => requests.map((_r, i) => i).filter((i) => options.pinned![i] === w))
			: [requests.map((_r, i) => i)];
		let answered = 0;
		let failed = false;
		const listeners: (() => void)[] = [];
		try {
			await Promise.all(this.workers.map((worker, w) => new Promise<void>((resolve, reject) => {
				const queue = options.pinned ? queues[w] : queues[0];
				let inFlight = 0;
				const fail = (error: Error): void => {
					failed = true;
					reject(error);
				};
				const send = (): void => {
					while (!failed && inFlight < 2 && queue.length > 0) {
						if (options.isCancelled?.()) {
							fail(options.cancelled?.() ?? new WorkerPoolError(`${this.name} cancelled`));
							return;
						}
						const seq = queue.shift()!;
						inFlight++;
						worker.postMessage({ seq, request: requests[seq] } satisfies Envelope<Q>);
					}
					if (inFlight === 0) {
						resolve();
					}
				};
				const onMessage = (reply: Answer<A>): void => {
					if (reply.error !== undefined) {
						fail(reply.errorName === 'NodeFileError'
							? new NodeFileError(reply.error, reply.errorCode)
							: new WorkerPoolError(`${this.name} worker failed: ${reply.error}`));
						return;
					}
					answers[reply.seq] = reply.answer!;
					answeredBy[reply.seq] = w;
					inFlight--;
					options.onAnswer?.(++answered, reply.seq);
					send();
				};
				const onError = (error: Error): void => fail(new WorkerPoolError(`${this.name} worker failed: ${error.message}`));
				const onExit = (code: number): void => fail(new WorkerPoolError(`${this.name} worker stopped (exit ${code})`));
				worker.on('message', onMessage);
				worker.on('error', onError);
				worker.on('exit', onExit);
				listeners.push(() => {
					worker.off('message', onMessage);
					worker.off('error', onError);
					worker.off('exit', onExit);
				});
				send();
			})));
		} finally {
			listeners.forEach((off) => off());
		}
		return { answers, workers: answeredBy };
	}

	async close(): Promise<void> {
		await Promise.all(this.workers.map((w) => w.terminate()));
	}
}

/** The worker side: answers each request with `answer`; a thrown error is sent back (a file error as one). */
export function answerRequests<Q, A>(answer: (request: Q) => A): void {
	parentPort!.on('message', ({ seq, request }: Envelope<Q>) => {
		let reply: Answer<A>;
		try {
			reply = { seq, answer: answer(request) };
		} catch (error) {
			const e = error instanceof Error ? error : new Error(String(error));
			reply = { seq, error: e.message, errorName: e.name, errorCode: (e as NodeJS.ErrnoException).code };
		}
		parentPort!.postMessage(reply);
	});
}
