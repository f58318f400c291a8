/**
 * Brands that make `instanceof` hold across bundles: dist/extension.js and dist/lazy-features.js
 * each hold a copy of this module, and an error thrown by code of one is caught by the command
 * wrapper (platform/commandRegistry.ts) of the other.
 */
const USER_ERROR: unique symbol = Symbol.for('corpusAnnotator.UserError');
const CANCELLED_ERROR: unique symbol = Symbol.for('corpusAnnotator.CancelledError');

const hasBrand = (value: unknown, brand: symbol): boolean => typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[brand] === true;

/** An error meant for the analyst: its message is shown as is, with optional actions that fix the problem. */
export class UserError extends Error {
	readonly [USER_ERROR] = true;

	constructor(
		message: string,
		readonly actions: readonly UserErrorAction[] = [],
	) {
		super(message);
	}

	static [Symbol.hasInstance](value: unknown): boolean {
		return hasBrand(value, USER_ERROR);
	}
}

export interface UserErrorAction {
	readonly title: string;
	run(): unknown;
}

/** Thrown (or returned) when the analyst dismissed a prompt: commands end silently. */
export class CancelledError extends Error {
	readonly [CANCELLED_ERROR] = true;

	constructor() {
		super('cancelled');
	}

	static [Symbol.hasInstance](value: unknown): boolean {
		return hasBrand(value, CANCELLED_ERROR);
	}
}
