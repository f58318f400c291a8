/**
 * Worker thread of `check --jobs N` (bundled as dist/checkWorker.js beside dist/cli.js): checks
 * the batches of sidecars it is sent, one answer per batch, problems in task order.
 */
import { parentPort } from 'node:worker_threads';
import { SidecarChecker, type CheckReply, type CheckRequest } from './checkCommand';

const checker = new SidecarChecker();
parentPort!.on('message', (request: CheckRequest) => {
	let reply: CheckReply;
	try {
		reply = { seq: request.seq, problems: request.tasks.flatMap((t) => checker.check(t)) };
	} catch (error) {
		reply = { seq: request.seq, error: error instanceof Error ? error.message : String(error) };
	}
	parentPort!.postMessage(reply);
});
