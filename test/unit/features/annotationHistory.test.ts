import * as assert from 'assert';
import { AnnotationHistory, type HistorySnapshot } from '../../../src/features/annotations/annotationHistory';

function at(key: string, version = 1): HistorySnapshot<number> {
	return { text: `text ${key}`, key, live: new Map([[key, version]]), version };
}

describe('annotation history (undo and redo)', () => {
	it('undoes and redoes steps in order, and a new change forgets the redo stack', () => {
		const h = new AnnotationHistory<number>();
		assert.strictEqual(h.record(at('a'), at('b')), true);
		assert.strictEqual(h.record(at('b'), at('c')), true);
		assert.deepStrictEqual(h.take('undo', at('c')), { target: at('b') });
		assert.deepStrictEqual(h.take('undo', at('b')), { target: at('a') });
		assert.strictEqual(h.take('undo', at('a')), undefined, 'nothing left to undo');
		assert.deepStrictEqual(h.take('redo', at('a')), { target: at('b') });
		assert.strictEqual(h.record(at('b'), at('d')), true);
		assert.strictEqual(h.take('redo', at('d')), undefined, 'a new change clears redo');
		assert.deepStrictEqual(h.take('undo', at('d')), { target: at('b') });
	});

	it('records nothing for a change that changed nothing', () => {
		const h = new AnnotationHistory<number>();
		assert.strictEqual(h.record(at('a'), at('a')), false);
		assert.strictEqual(h.take('undo', at('a')), undefined);
	});

	it('refuses a step when the annotations or the article changed since, and forgets that stack', () => {
		const h = new AnnotationHistory<number>();
		h.record(at('a'), at('b'));
		assert.deepStrictEqual(h.take('undo', at('x')), { stale: 'annotations' });
		assert.strictEqual(h.take('undo', at('b')), undefined, 'the refused stack is gone');
		h.record(at('a'), at('b'));
		assert.deepStrictEqual(h.take('undo', at('b', 2)), { stale: 'article' });
	});

	it('keeps at most `depth` steps, dropping the oldest', () => {
		const h = new AnnotationHistory<number>(2);
		h.record(at('a'), at('b'));
		h.record(at('b'), at('c'));
		h.record(at('c'), at('d'));
		assert.deepStrictEqual(h.take('undo', at('d')), { target: at('c') });
		assert.deepStrictEqual(h.take('undo', at('c')), { target: at('b') });
		assert.strictEqual(h.take('undo', at('b')), undefined);
	});

	it('clear forgets both stacks', () => {
		const h = new AnnotationHistory<number>();
		h.record(at('a'), at('b'));
		h.take('undo', at('b'));
		h.clear();
		assert.strictEqual(h.take('redo', at('a')), undefined);
		assert.strictEqual(h.take('undo', at('a')), undefined);
	});
});
