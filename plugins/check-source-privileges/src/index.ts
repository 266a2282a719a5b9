import { defineChecker } from '@pgshift/plugin-api';
import { SourcePrivilegesChecker } from './check.js';
import { DdlCaptureChecker } from './ddl-capture-check.js';

export default defineChecker({
  name: 'check-source-privileges',
  version: '0.1.0',
  description:
    'Precheck: the source role can read the selected tables and sequences, may replicate when following, and may capture schema changes as options.ddl asks.',
  checkers: () => [new SourcePrivilegesChecker(), new DdlCaptureChecker()],
});
