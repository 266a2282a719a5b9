// Child process for the kill-and-resume test: copies with the given snapshot, and after three chunks
// are committed parks every worker that finishes streaming a chunk (its rows sit uncommitted in the
// target transaction), then says READY and waits to be killed.
import { openClient } from '@pgshift/pg';
import { copyDatabase } from '../src/index.js';

const [sourceJson, targetJson, database, snapshot] = process.argv.slice(2) as [
  string,
  string,
  string,
  string,
];
let committed = 0;
let announced = false;
const never = new Promise<void>(() => {});
setInterval(() => {}, 60_000); // keep the event loop alive while parked

await copyDatabase({
  openSource: () => openClient(JSON.parse(sourceJson)),
  openTarget: () => openClient(JSON.parse(targetJson)),
  database,
  snapshot,
  jobs: 2,
  splitTableBytes: 64 * 1024,
  onLostSnapshot: 'fail',
  hooks: {
    chunkCommitted() {
      committed++;
    },
    async chunkCopied() {
      if (committed < 3) return;
      if (!announced) {
        announced = true;
        process.stdout.write('READY\n');
      }
      await never;
    },
  },
});
process.stdout.write('FINISHED\n');
process.exit(0);
