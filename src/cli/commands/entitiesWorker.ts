/**
 * Worker thread of `entities --jsonl --jobs N` (bundled as dist/entitiesWorker.js beside
 * dist/cli.js): loads the model once, then tags the files it is sent, one answer per request.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { CliError } from '../cliTypes';
import { readModel } from './nerCommon';
import { FileTagger } from './entityTagging';
import type { TagReply, TagRequest, TaggerSetup } from './entitiesJsonl';

const setup = workerData as TaggerSetup;
let tagger: FileTagger | undefined;
let setupError: string | undefined;
try {
	tagger = new FileTagger(readModel(setup.cwd, setup.model).model);
} catch (error) {
	setupError = error instanceof Error ? error.message : String(error);
}

parentPort!.on('message', (request: TagRequest) => {
	const reply = (r: TagReply): void => parentPort!.postMessage(r);
	if (!tagger) {
		reply({ seq: request.seq, fatal: setupError });
		return;
	}
	tagger.tag(request.full, request.shown, request.articlesOnly).then(
		(entry) => reply({ seq: request.seq, line: entry === undefined ? undefined : JSON.stringify(entry) }),
		// A broken entity list or corrections file fails the command, as in one thread.
		(error: unknown) => reply(error instanceof CliError ? { seq: request.seq, fatal: error.message } : { seq: request.seq, error: error instanceof Error ? error.message : String(error) }),
	);
});
