import { defineVersionPolicy } from '@pgshift/plugin-api';
import { Pg93Policy } from './policy.js';

export default defineVersionPolicy({
  name: 'policy-pg93',
  version: '0.1.0',
  description: 'PostgreSQL before 9.4: full copy only',
  incremental: false,
  policy: () => new Pg93Policy(),
});
