import { lsnToBigInt } from '@pgshift/pg';
import { Capability, definePlugin, PLUGIN_API_VERSION, REPLICATOR } from '@pgshift/plugin-api';
import { LogicalReplicator, ReplicationStream } from '@pgshift/replicator-logical';

/**
 * DELIBERATELY BROKEN. The first-party replicator, except that every message is acknowledged to
 * the source as soon as it is received — before it is applied, the fault of a client left with
 * automatic acknowledgement. After a crash the source no longer holds what was lost in flight.
 * The conformance suite must fail it on "acknowledges only what it applied".
 */
const start = ReplicationStream.prototype.start;
ReplicationStream.prototype.start = function (this: ReplicationStream, slot, from, options, handlers) {
  return start.call(this, slot, from, options, {
    ...handlers,
    data: (payload: Buffer, lsn: () => string) => {
      void this.sendStatus(lsnToBigInt(lsn()) + 1n).catch(() => {});
      return handlers.data(payload, lsn);
    },
  });
};

export default definePlugin({
  meta: {
    name: 'reference-replicator-acks-early',
    version: '0.0.0',
    kind: 'replicator',
    apiVersion: PLUGIN_API_VERSION,
    description: 'Deliberately broken: acknowledges received changes before applying them.',
  },
  capabilities: [
    Capability.replicator.pgoutput,
    Capability.replicator.testDecoding,
    Capability.replicator.resume,
  ],
  register(r) {
    r.value(REPLICATOR, new LogicalReplicator({ ...r.options }));
  },
});
