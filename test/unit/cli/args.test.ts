import * as assert from 'assert';
import { integerOption, parseArgs } from '../../../src/cli/args';
import { CliError } from '../../../src/cli/cliTypes';

function integer(value: string): number | undefined {
	return integerOption(parseArgs(['--start', value], ['start']), 'start');
}

describe('integerOption', () => {
	it('reads decimal whole numbers', () => {
		assert.deepStrictEqual(['0', '7', '16', '1000', '-3', '9007199254740991'].map(integer), [0, 7, 16, 1000, -3, 9007199254740991]);
		assert.strictEqual(integerOption(parseArgs([], ['start']), 'start'), undefined);
		assert.strictEqual(integerOption(parseArgs(['--start=42'], ['start']), 'start'), 42);
	});

	it('refuses everything else Number() would accept, naming the option and the value', () => {
		const refused = ['', ' ', '0x10', '0o7', '0b1', '1e3', '-0', ' 5', '5 ', '+5', '1.0', '1.5', '010', '00', 'Infinity', 'NaN', '٣', '5\n', '--end'];
		const accepted: string[] = [];
		for (const value of refused) {
			try {
				integer(value);
				accepted.push(JSON.stringify(value));
			} catch (error) {
				assert.ok(error instanceof CliError);
				assert.match(error.message, /^option --start must be a whole number in decimal digits/);
				assert.ok(error.message.endsWith(`got ${JSON.stringify(value)}`), error.message);
			}
		}
		assert.deepStrictEqual(accepted, [], `${accepted.length} of ${refused.length} bad values accepted`);
	});

	it('refuses numbers too large to hold exactly', () => {
		assert.throws(() => integer('9007199254740993'), /option --start is too large: 9007199254740993/);
	});
});
