import * as path from 'node:path';
import { CliError } from '../cliTypes';
import { CORRECTIONS_FILE, correctionExample, parseCorrections, type NerCorrection } from '../../core/entities/nerCorrections';
import { DEFAULT_ADAPT_OPTIONS, type AdaptOptions, type AdaptReport } from '../../core/ner/adaptation';
import type { LoadedModel } from '../../core/ner/tagger';
import { findWorkspaceFile } from '../../node/corpusFiles';
import { readUtf8 } from '../../node/files';

export interface LoadedCorrections {
	file: string;
	corrections: NerCorrection[];
}

/** Reads a corrections file; any invalid entry fails the command (with its line). */
export async function readCorrectionsFile(file: string): Promise<LoadedCorrections> {
	const parsed = parseCorrections(await readUtf8(file, 'corrections file'));
	if (parsed.errors.length > 0) {
		const e = parsed.errors[0];
		throw new CliError(`${file}:${e.line}: ${e.message}`);
	}
	return { file, corrections: parsed.corrections };
}

/** The corrections of the nearest `.corpus/` above `dir` (or the explicit file), if any. */
export async function nearestCorrections(dir: string, explicit: string | undefined, cwd: string): Promise<LoadedCorrections | undefined> {
	const file = explicit ? path.resolve(cwd, explicit) : await findWorkspaceFile(dir, CORRECTIONS_FILE);
	return file ? readCorrectionsFile(file) : undefined;
}

/** The model adapted from `corrections` (the model itself when there are none), with timing. */
export function adaptToCorrections(model: LoadedModel, corrections: readonly NerCorrection[], options?: Partial<AdaptOptions>): { model: LoadedModel; report?: AdaptReport; ms: number } {
	if (corrections.length === 0) {
		return { model, ms: 0 };
	}
	const t0 = performance.now();
	const adapted = model.adapt(corrections.map(correctionExample), options);
	return { model: adapted.model, report: adapted.report, ms: performance.now() - t0 };
}

/** `--adapt epochs=40,margin=3,step=0.25,contextShare=0`: adaptation settings (to choose them on dev data). */
export function parseAdaptOptions(text: string | undefined): Partial<AdaptOptions> {
	const out: Record<string, number> = {};
	for (const part of (text ?? '').split(',').filter(Boolean)) {
		const [key, value] = part.split('=');
		if (!(key in DEFAULT_ADAPT_OPTIONS) || key === 'onProgress' || !Number.isFinite(Number(value))) {
			throw new CliError(`--adapt: expected ${Object.keys(DEFAULT_ADAPT_OPTIONS).join('=N, ')}=N, got "${part}"`);
		}
		out[key] = Number(value);
	}
	return out as Partial<AdaptOptions>;
}
