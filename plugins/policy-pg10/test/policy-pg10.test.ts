import { describeVersionPolicy } from '@pgshift/conformance';
import plugin from '../src/index.js';

// 10 uses the EXPORT_SNAPSHOT keyword, 17 the (SNAPSHOT 'export') option list: both are run.
describeVersionPolicy(plugin, { majors: [10, 17], strict: true });
