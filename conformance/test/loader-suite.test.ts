import loaderNative from '@pgshift/loader-native';
import { describe } from 'vitest';
import { describeLoader } from '../src/index.js';

// The first-party loader is the good reference: it must pass every loader test.
describe('loader-native', () => {
  describeLoader(loaderNative, { majors: [17] });
});
