/** Phrase-level scoring with conlleval semantics (exact boundaries and type, micro-averaged). */
import { ENTITY_TYPES } from '../entities/entityTypes';
import { tagsToChunks } from './labels';

export interface TypeScore {
	type: string;
	precision: number;
	recall: number;
	f1: number;
	/** Number of predicted phrases of this type (conlleval prints this count). */
	found: number;
	gold: number;
	correct: number;
}

export interface EvalResult {
	tokens: number;
	goldPhrases: number;
	foundPhrases: number;
	correctPhrases: number;
	accuracy: number;
	precision: number;
	recall: number;
	f1: number;
	byType: TypeScore[];
}

function prf(correct: number, found: number, gold: number): { precision: number; recall: number; f1: number } {
	const precision = found === 0 ? 0 : (100 * correct) / found;
	const recall = gold === 0 ? 0 : (100 * correct) / gold;
	const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
	return { precision, recall, f1 };
}

/** Accumulates sentences of gold and predicted tags (IOB1/IOB2/BILOU strings). */
export class ConllEvaluator {
	private tokens = 0;
	private correctTokens = 0;
	private readonly gold = new Map<string, number>();
	private readonly found = new Map<string, number>();
	private readonly correct = new Map<string, number>();

	add(goldTags: readonly string[], predTags: readonly string[]): void {
		if (goldTags.length !== predTags.length) {
			throw new Error('gold and predicted tag sequences differ in length');
		}
		const g = tagsToChunks(goldTags);
		const p = tagsToChunks(predTags);
		const gTok = chunksToIob2(g, goldTags.length);
		const pTok = chunksToIob2(p, predTags.length);
		this.tokens += goldTags.length;
		for (let i = 0; i < gTok.length; i++) {
			if (gTok[i] === pTok[i]) {
				this.correctTokens++;
			}
		}
		const goldKeys = new Set<string>();
		for (const c of g) {
			this.gold.set(c.type, (this.gold.get(c.type) ?? 0) + 1);
			goldKeys.add(`${c.start}:${c.end}:${c.type}`);
		}
		for (const c of p) {
			this.found.set(c.type, (this.found.get(c.type) ?? 0) + 1);
			if (goldKeys.has(`${c.start}:${c.end}:${c.type}`)) {
				this.correct.set(c.type, (this.correct.get(c.type) ?? 0) + 1);
			}
		}
	}

	result(): EvalResult {
		const types = new Set<string>([...ENTITY_TYPES, ...this.gold.keys(), ...this.found.keys()]);
		const byType: TypeScore[] = [];
		let gold = 0;
		let found = 0;
		let correct = 0;
		for (const type of [...types].sort()) {
			const gt = this.gold.get(type) ?? 0;
			const ft = this.found.get(type) ?? 0;
			const ct = this.correct.get(type) ?? 0;
			gold += gt;
			found += ft;
			correct += ct;
			byType.push({ type, ...prf(ct, ft, gt), found: ft, gold: gt, correct: ct });
		}
		return {
			tokens: this.tokens,
			goldPhrases: gold,
			foundPhrases: found,
			correctPhrases: correct,
			accuracy: this.tokens === 0 ? 0 : (100 * this.correctTokens) / this.tokens,
			...prf(correct, found, gold),
			byType,
		};
	}
}

function chunksToIob2(chunks: readonly { start: number; end: number; type: string }[], n: number): string[] {
	const tags = new Array<string>(n).fill('O');
	for (const c of chunks) {
		tags[c.start] = `B-${c.type}`;
		for (let i = c.start + 1; i < c.end; i++) {
			tags[i] = `I-${c.type}`;
		}
	}
	return tags;
}

/** A conlleval-style report; its last line is `F1 <micro F1 with two decimals>`. */
export function formatEvalReport(r: EvalResult): string {
	const f = (x: number): string => x.toFixed(2).padStart(6);
	const lines = [
		`processed ${r.tokens} tokens with ${r.goldPhrases} phrases; found: ${r.foundPhrases} phrases; correct: ${r.correctPhrases}.`,
		`accuracy: ${f(r.accuracy)}%; precision: ${f(r.precision)}%; recall: ${f(r.recall)}%; FB1: ${f(r.f1)}`,
	];
	for (const t of r.byType) {
		lines.push(`${t.type.padStart(17)}: precision: ${f(t.precision)}%; recall: ${f(t.recall)}%; FB1: ${f(t.f1)}  ${t.found}`);
	}
	lines.push(`F1 ${r.f1.toFixed(2)}`);
	return lines.join('\n') + '\n';
}
