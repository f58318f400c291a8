import type { SidecarDocument } from '../../core/annotations/sidecarCodec';

/** Which way a step of the history is taken. */
export type HistoryDirection = 'undo' | 'redo';

/** The in-memory annotations of an article at one moment, for exact undo and redo. */
export interface HistorySnapshot<Live> {
	/** Sidecar text of that moment; undefined when there was no sidecar. */
	readonly text: string | undefined;
	/** The annotations and relations as data (order and every field), to recognise that moment again. */
	readonly key: string;
	/** Editor positions of that moment, by annotation id. */
	readonly live: ReadonlyMap<string, Live>;
	/** `document.version` of the article: offsets belong to that text only. */
	readonly version: number;
}

/** Why a step cannot be taken: the present is not the moment the step left. */
export type StaleReason = 'article' | 'annotations';

/** What {@link AnnotationHistory.take} found. */
export type TakeResult<Live> = { readonly target: HistorySnapshot<Live> } | { readonly stale: StaleReason } | undefined;

interface Step<Live> {
	readonly before: HistorySnapshot<Live>;
	readonly after: HistorySnapshot<Live>;
}

const UNDO_DEPTH = 100;

/**
 * The annotation undo and redo stacks of one article. A step is taken only when the present is
 * exactly the moment it left (same annotations and relations, same article text): anything else
 * changed them since, and the step would lose that change.
 */
export class AnnotationHistory<Live> {
	private undoStack: Step<Live>[] = [];
	private redoStack: Step<Live>[] = [];

	constructor(private readonly depth = UNDO_DEPTH) {}

	/** Records a change from `before` to `after`; false (nothing recorded) when it changed nothing. */
	record(before: HistorySnapshot<Live>, after: HistorySnapshot<Live>): boolean {
		if (before.key === after.key) {
			return false;
		}
		this.undoStack.push({ before, after });
		this.undoStack.splice(0, Math.max(0, this.undoStack.length - this.depth));
		this.redoStack = [];
		return true;
	}

	/** Forgets every step (the sidecar or the article was re-read: the snapshots are of another file). */
	clear(): void {
		this.undoStack = [];
		this.redoStack = [];
	}

	/**
	 * Takes the last step in `direction` if `now` is the moment it left: returns the snapshot to
	 * restore and moves the step to the other stack. Returns why not (and forgets that stack) when
	 * something changed since; undefined when there is nothing to take.
	 */
	take(direction: HistoryDirection, now: Pick<HistorySnapshot<Live>, 'key' | 'version'>): TakeResult<Live> {
		const [from, to] = direction === 'undo' ? [this.undoStack, this.redoStack] : [this.redoStack, this.undoStack];
		const step = from.at(-1);
		if (!step) {
			return undefined;
		}
		const [expected, target] = direction === 'undo' ? [step.after, step.before] : [step.before, step.after];
		if (now.key !== expected.key || now.version !== expected.version) {
			from.length = 0;
			return { stale: now.version !== expected.version ? 'article' : 'annotations' };
		}
		from.pop();
		to.push(step);
		return { target };
	}
}

/**
 * The annotations and relations of `doc` as one comparable string ('none' without a sidecar).
 * Keys sorted: an item made in memory and the same one read back from the file are equal.
 */
export function historyKey(doc: SidecarDocument | undefined): string {
	if (!doc) {
		return 'none';
	}
	const sorted = (item: object): object => Object.fromEntries(Object.entries(item).sort(([x], [y]) => (x < y ? -1 : 1)));
	const { annotations, relations } = doc.data;
	return JSON.stringify({ annotations: annotations.map(sorted), relations: (relations ?? []).map(sorted) });
}
