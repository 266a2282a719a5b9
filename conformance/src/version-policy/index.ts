export {
  changesQuery,
  type DecodedChange,
  parsePgoutput,
  parseTestDecoding,
  parseTestDecodingColumns,
  parseWal2json,
} from './decoding.js';
export {
  describeVersionPolicy,
  describeVersionPolicyCoverage,
  describeVersionPolicyOnMajor,
  VERSION_POLICY_TESTS,
  type VersionPolicyFactory,
  type VersionPolicySubject,
} from './describe-version-policy.js';
