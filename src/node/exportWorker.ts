/**
 * Worker thread of `export --jobs N` (bundled as dist/exportWorker.js beside dist/cli.js): reads
 * the batches of articles it is sent and keeps their documents, then converts and writes the same
 * batches when asked (the pool sends a batch's second request to the worker that read it).
 */
import { exchangeFormat } from '../core/exchange/formats';
import type { ExchangeDocument, ExchangeFormatId, ExportContext } from '../core/exchange/exchangeFormat';
import { ExportWriter, readArticles, writeArticles, type ReadOutcome } from './exportArticles';
import { answerRequests } from './workerPool';

export type ExportWorkerRequest =
	| { readonly kind: 'read'; readonly batch: number; readonly corpusDir: string; readonly paths: readonly string[] }
	| { readonly kind: 'write'; readonly batch: number; readonly format: ExchangeFormatId; readonly firstIndex: number; readonly context: ExportContext; readonly outDir: string };

export type ExportWorkerAnswer = ReadOutcome | ReturnType<typeof writeArticles>;

const held = new Map<number, ExchangeDocument[]>();
const writers = new Map<string, ExportWriter>();

answerRequests((request: ExportWorkerRequest): ExportWorkerAnswer => {
	if (request.kind === 'read') {
		const { documents, outcome } = readArticles(request.corpusDir, request.paths);
		held.set(request.batch, documents);
		return outcome;
	}
	const documents = held.get(request.batch);
	if (!documents) {
		throw new Error(`batch ${request.batch} was not read by this worker`);
	}
	held.delete(request.batch);
	let writer = writers.get(request.outDir);
	if (!writer) {
		writer = new ExportWriter(request.outDir);
		writers.set(request.outDir, writer);
	}
	return writeArticles(exchangeFormat(request.format)!.exporter, documents, request.firstIndex, request.context, writer);
});
