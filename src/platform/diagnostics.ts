import * as vscode from 'vscode';
import type { TextProblem } from '../core/text/textProblem';

/** Where a problem in one of our YAML files is: 1-based line and column, as the core reports it. */
export interface FilePosition extends TextProblem {
	readonly code?: string;
}

/** An error diagnostic one character wide at a core position, attributed to the extension. */
export function positionDiagnostic(problem: FilePosition): vscode.Diagnostic {
	const pos = new vscode.Position(Math.max(0, problem.line - 1), Math.max(0, problem.column - 1));
	const diagnostic = new vscode.Diagnostic(new vscode.Range(pos, pos.translate(0, 1)), problem.message, vscode.DiagnosticSeverity.Error);
	diagnostic.source = 'Corpus Annotator';
	if (problem.code) {
		diagnostic.code = problem.code;
	}
	return diagnostic;
}
