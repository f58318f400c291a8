/**
 * Worker thread (bundled as dist/nerAdaptWorker.js) that adapts the tagger to the analysts'
 * corrections away from the extension host's thread: it loads its own copy of the shipped model,
 * runs the passes, reports each one and posts the adaptation back as JSON.
 */
import { readFileSync } from 'fs';
import { isMainThread, parentPort, workerData } from 'worker_threads';
import { correctionExample, type NerCorrection } from '../../core/entities/nerCorrections';
import { adaptationToJson } from '../../core/ner/overlay';
import { loadModel } from '../../core/ner/tagger';

export interface AdaptRequest {
	modelPath: string;
	corrections: NerCorrection[];
}

export type AdaptWorkerMessage =
	| { kind: 'progress'; epoch: number; epochs: number }
	| { kind: 'done'; json: string; passes: number }
	| { kind: 'failed'; message: string };

if (!isMainThread && parentPort) {
	const port = parentPort;
	const post = (message: AdaptWorkerMessage): void => port.postMessage(message);
	try {
		const request = workerData as AdaptRequest;
		const shipped = loadModel(readFileSync(request.modelPath));
		const { model, report } = shipped.adapt(request.corrections.map(correctionExample), { onProgress: (epoch, epochs) => post({ kind: 'progress', epoch, epochs }) });
		const empty = { keys: new Uint32Array(0), pass1: new Float32Array(0), pass2: new Float32Array(0) };
		post({ kind: 'done', json: adaptationToJson(model.adaptation ?? empty, {}), passes: report.epochs });
	} catch (error) {
		post({ kind: 'failed', message: error instanceof Error ? error.message : String(error) });
	}
}
