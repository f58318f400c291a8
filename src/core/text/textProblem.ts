/** A problem in one of the corpus' text files, where an editor would show it: 1-based line and column. */
export interface TextProblem {
	readonly message: string;
	readonly line: number;
	readonly column: number;
}
