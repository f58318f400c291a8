import * as assert from 'assert';

type UserErrorModule = typeof import('../../../src/platform/userError');

/** A fresh copy of the module, as a second bundle (dist/lazy-features.js) holds one. */
function freshCopy(): UserErrorModule {
	const id = require.resolve('../../../src/platform/userError');
	delete require.cache[id];
	// eslint-disable-next-line @typescript-eslint/no-require-imports -- a second module instance is the point
	return require(id) as UserErrorModule;
}

describe('UserError and CancelledError across bundles', () => {
	const a = freshCopy();
	const b = freshCopy();

	it('are two module copies with their own classes', () => {
		assert.notStrictEqual(a.UserError, b.UserError);
	});

	it('recognise an error made by the other copy', () => {
		assert.ok(new a.UserError('x') instanceof b.UserError);
		assert.ok(new b.CancelledError() instanceof a.CancelledError);
	});

	it('recognise nothing else', () => {
		assert.ok(!(new Error('x') instanceof a.UserError));
		assert.ok(!(new a.CancelledError() instanceof b.UserError));
		assert.ok(!(new b.UserError('x') instanceof a.CancelledError));
		assert.ok(!a.UserError[Symbol.hasInstance](undefined));
	});

	it('stay Errors with their message and actions', () => {
		const error = new a.UserError('Open a folder.', [{ title: 'Open', run: () => undefined }]);
		assert.ok(error instanceof Error);
		assert.strictEqual(error.message, 'Open a folder.');
		assert.strictEqual(error.actions[0].title, 'Open');
	});
});
