import * as fs from 'node:fs';
import * as path from 'node:path';
import { CliError } from '../cliTypes';
import { fileError } from '../../node/fileErrors';
import { parseConll, type ConllDocument } from '../../core/ner/conllReader';
import { loadModel, type LoadedModel } from '../../core/ner/tagger';

/** The shipped model: models/nl-ner.model beside dist/ (the bundle), or found from the compiled sources in out/ (tests). */
export function defaultModelPath(): string {
	const candidates = [path.resolve(__dirname, '..', 'models', 'nl-ner.model'), path.resolve(__dirname, '..', '..', '..', 'models', 'nl-ner.model'), path.resolve(__dirname, '..', '..', '..', '..', 'models', 'nl-ner.model')];
	return candidates.find((p) => fs.existsSync(p)) ?? candidates[0];
}

export function readModel(cwd: string, modelPath: string | undefined): { model: LoadedModel; path: string; loadMs: number; bytes: number } {
	const p = modelPath ? path.resolve(cwd, modelPath) : defaultModelPath();
	let data: Uint8Array;
	try {
		data = fs.readFileSync(p);
	} catch (error) {
		throw fileError(error, p, 'NER model');
	}
	const t0 = performance.now();
	let model: LoadedModel;
	try {
		model = loadModel(data);
	} catch (e) {
		throw new CliError(`${p}: ${e instanceof Error ? e.message : String(e)}`);
	}
	return { model, path: p, loadMs: performance.now() - t0, bytes: data.length };
}

export function readConll(cwd: string, file: string): ConllDocument[] {
	const p = path.resolve(cwd, file);
	let text: string;
	try {
		text = fs.readFileSync(p, 'utf8');
	} catch (error) {
		throw fileError(error, file, 'CoNLL file');
	}
	const docs = parseConll(text);
	if (docs.length === 0) {
		throw new CliError(`${file}: no sentences found (expected CoNLL columns WORD ... TAG)`);
	}
	return docs;
}
