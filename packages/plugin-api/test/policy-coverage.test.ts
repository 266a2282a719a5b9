import { describe, expect, it } from 'vitest';
import {
  modeRefusedProblem,
  policyCovering,
  uncoveredSourceProblem,
  type VersionCapabilities,
  type VersionPolicy,
} from '../src/version-policy.js';

const full: VersionCapabilities = { fullCopy: true, incremental: false, slotSnapshotSyntax: 'implicit' };
const following: VersionCapabilities = { ...full, incremental: true };
const pg93: VersionPolicy = {
  name: 'policy-pg93',
  covers: { min: 90300, max: 90400 },
  capabilities: () => ({ ...full, incrementalUnavailableReason: '9.3 has no logical decoding' }),
};
const pg10: VersionPolicy = { name: 'policy-pg10', covers: { min: 100000 }, capabilities: () => following };
const v = (num: number, text: string) => ({ num, text });

describe('policy coverage', () => {
  it('picks the policy whose range holds the version, min inclusive and max exclusive', () => {
    expect(policyCovering([pg93, pg10], 90300)?.name).toBe('policy-pg93');
    expect(policyCovering([pg93, pg10], 90400)).toBeUndefined();
    expect(policyCovering([pg93, pg10], 170004)?.name).toBe('policy-pg10');
  });

  it('names what the loaded policies cover when none covers the source', () => {
    const problem = uncoveredSourceProblem(v(90400, '9.4.26'), [pg93, pg10]);
    expect(problem.message).toBe(
      "no version policy covers the source's PostgreSQL 9.4.26 (server_version_num 90400)",
    );
    expect(problem.remedy).toContain('policy-pg93 (90300..90400), policy-pg10 (100000..)');
    expect(uncoveredSourceProblem(v(90400, '9.4.26'), []).remedy).toContain(
      'no version-policy plugin is loaded',
    );
  });

  it('refuses following where the policy rules it out, with its reason, and nothing else', () => {
    const refused = modeRefusedProblem(pg93, v(90304, '9.3.4'), pg93.capabilities(90304), 'full+incremental');
    expect(refused?.message).toBe(
      'PostgreSQL 9.3.4 cannot be followed incrementally: 9.3 has no logical decoding',
    );
    expect(refused?.remedy).toContain('mode: full');
    expect(modeRefusedProblem(pg93, v(90304, '9.3.4'), pg93.capabilities(90304), 'full')).toBeUndefined();
    expect(modeRefusedProblem(pg10, v(170004, '17.4'), following, 'full+incremental')).toBeUndefined();
  });
});
