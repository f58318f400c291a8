// Where the project is, and where its throw-away test installs and profiles go.

import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const VSCODE_TEST_DIR = path.join(PROJECT_ROOT, '.vscode-test');
