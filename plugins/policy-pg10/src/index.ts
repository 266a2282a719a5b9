import { defineVersionPolicy } from '@pgshift/plugin-api';
import { Pg10Policy } from './policy.js';

export default defineVersionPolicy({
  name: 'policy-pg10',
  version: '0.1.0',
  description: 'PostgreSQL 10 and later: incremental sync through pgoutput with a publication',
  incremental: true,
  policy: () => new Pg10Policy(),
});
