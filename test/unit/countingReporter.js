// Mocha's spec reporter plus the plain "N passed, N failed" summary line CI logs are read by.
'use strict';
const Mocha = require('mocha');

class CountingReporter extends Mocha.reporters.Spec {
	constructor(runner, options) {
		super(runner, options);
		let passed = 0;
		let failed = 0;
		let skipped = 0;
		runner.on(Mocha.Runner.constants.EVENT_TEST_PASS, () => passed++);
		runner.on(Mocha.Runner.constants.EVENT_TEST_FAIL, () => failed++);
		runner.on(Mocha.Runner.constants.EVENT_TEST_PENDING, () => skipped++);
		runner.once(Mocha.Runner.constants.EVENT_RUN_END, () => {
			console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
		});
	}
}

module.exports = CountingReporter;
