/**
 * Scoring of tagged character spans against gold spans (articles with gold sidecars): strict
 * match of both boundaries and type, per type, micro over PER/LOC/ORG (the figure the modern
 * news targets use), over all four types, and span-only (boundaries right, type ignored).
 */
import { ENTITY_TYPES, type EntityType } from '../entities/entityTypes';

export interface ScoredSpan {
	start: number;
	end: number;
	type: EntityType;
}

export interface PrfCounts {
	gold: number;
	found: number;
	correct: number;
	precision: number;
	recall: number;
	f1: number;
}

export interface SpanEvalResult {
	documents: number;
	/** Strict PER/LOC/ORG: MISC spans are left out on both sides. */
	perLocOrg: PrfCounts;
	/** Strict over all four types. */
	all: PrfCounts;
	/** Boundaries only, all four types, type ignored. */
	spanOnly: PrfCounts;
	byType: Record<EntityType, PrfCounts>;
}

function prf(correct: number, found: number, gold: number): PrfCounts {
	const precision = found === 0 ? 0 : correct / found;
	const recall = gold === 0 ? 0 : correct / gold;
	const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
	return { gold, found, correct, precision, recall, f1 };
}

interface Tally {
	gold: number;
	found: number;
	correct: number;
}

const zero = (): Tally => ({ gold: 0, found: 0, correct: 0 });

/** Accumulates documents of gold and predicted spans (offsets in any unit, the same on both sides). */
export class SpanEvaluator {
	private documents = 0;
	private readonly perType = new Map<EntityType, Tally>(ENTITY_TYPES.map((t) => [t, zero()]));
	private readonly spanOnly = zero();

	add(gold: readonly ScoredSpan[], predicted: readonly ScoredSpan[]): void {
		this.documents++;
		const strict = new Set(gold.map((s) => `${s.start}:${s.end}:${s.type}`));
		const bounds = new Map<string, number>();
		for (const s of gold) {
			this.perType.get(s.type)!.gold++;
			const k = `${s.start}:${s.end}`;
			bounds.set(k, (bounds.get(k) ?? 0) + 1);
		}
		this.spanOnly.gold += gold.length;
		this.spanOnly.found += predicted.length;
		for (const s of predicted) {
			const t = this.perType.get(s.type)!;
			t.found++;
			if (strict.has(`${s.start}:${s.end}:${s.type}`)) {
				t.correct++;
			}
			const k = `${s.start}:${s.end}`;
			const left = bounds.get(k) ?? 0;
			if (left > 0) {
				this.spanOnly.correct++;
				bounds.set(k, left - 1);
			}
		}
	}

	result(): SpanEvalResult {
		const sum = (types: readonly EntityType[]): Tally =>
			types.reduce((a, t) => {
				const x = this.perType.get(t)!;
				return { gold: a.gold + x.gold, found: a.found + x.found, correct: a.correct + x.correct };
			}, zero());
		const toPrf = (t: Tally): PrfCounts => prf(t.correct, t.found, t.gold);
		const byType = Object.fromEntries(ENTITY_TYPES.map((t) => [t, toPrf(this.perType.get(t)!)])) as Record<EntityType, PrfCounts>;
		return {
			documents: this.documents,
			perLocOrg: toPrf(sum(['PER', 'LOC', 'ORG'])),
			all: toPrf(sum(ENTITY_TYPES)),
			spanOnly: toPrf(this.spanOnly),
			byType,
		};
	}
}

/** A report table; its last line is `F1 PER/LOC/ORG <f1 as a fraction with 4 decimals>`. */
export function formatSpanReport(r: SpanEvalResult): string {
	const row = (name: string, c: PrfCounts): string =>
		`${name.padEnd(22)} P ${c.precision.toFixed(4)}  R ${c.recall.toFixed(4)}  F1 ${c.f1.toFixed(4)}  (gold ${c.gold}, found ${c.found}, correct ${c.correct})`;
	const lines = [
		`${r.documents} documents`,
		row('strict PER/LOC/ORG', r.perLocOrg),
		...ENTITY_TYPES.map((t) => row(`  ${t}`, r.byType[t])),
		row('strict, all 4 types', r.all),
		row('span only (any type)', r.spanOnly),
		`F1 PER/LOC/ORG ${r.perLocOrg.f1.toFixed(4)}`,
	];
	return lines.join('\n') + '\n';
}

/** Entity type of a gold annotation label (`per`, `PER`, `Person`…), or undefined for other labels. */
export function entityTypeOfLabel(label: string): EntityType | undefined {
	const l = label.trim().toLowerCase();
	if (l === 'per' || l === 'person') {
		return 'PER';
	}
	if (l === 'loc' || l === 'place' || l === 'location') {
		return 'LOC';
	}
	if (l === 'org' || l === 'organisation' || l === 'organization') {
		return 'ORG';
	}
	if (l === 'misc' || l === 'other') {
		return 'MISC';
	}
	return undefined;
}
