/** Walks every JSON engine case under test/policy-cases/** (each names its AWS source). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { accessDeniedMessage, evaluate, s3AccessDeniedMessage } from '../../src/policy/index.js';
import { loadCases } from './case-runner.js';

const cases = loadCases();

describe('policy engine cases (test/policy-cases)', () => {
  it('has at least 200 cases, each naming its source', () => {
    assert.ok(cases.length >= 200, `only ${cases.length} cases`);
    for (const c of cases) assert.ok(c.source && c.source.length > 3, `${c.file}: ${c.name} has no source`);
  });

  for (const c of cases) {
    it(`${c.file}: ${c.name} [${c.source}]`, () => {
      const decision = evaluate(c.request, c.policies);
      assert.equal(decision.decision, c.expect.decision, `decision (reason ${JSON.stringify(decision.reason)})`);
      assert.equal(decision.reason.kind, c.expect.reason, 'reason kind');
      if (c.expect.policyType) assert.equal(decision.reason.policyType, c.expect.policyType, 'policy type');
      if (c.expect.sid) assert.equal(decision.reason.statementSid, c.expect.sid, 'statement sid');
      if (c.expect.message !== undefined) assert.equal(accessDeniedMessage(c.request, decision), c.expect.message);
      if (c.expect.s3Message !== undefined) assert.equal(s3AccessDeniedMessage(c.request, decision), c.expect.s3Message);
    });
  }
});
