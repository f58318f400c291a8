/** An error meant for the analyst: its message is shown as is, with optional actions that fix the problem. */
export class UserError extends Error {
	constructor(
		message: string,
		readonly actions: readonly UserErrorAction[] = [],
	) {
		super(message);
	}
}

export interface UserErrorAction {
	readonly title: string;
	run(): unknown;
}

/** Thrown (or returned) when the analyst dismissed a prompt: commands end silently. */
export class CancelledError extends Error {
	constructor() {
		super('cancelled');
	}
}
