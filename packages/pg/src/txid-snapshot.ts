/**
 * A snapshot as `txid_current_snapshot()` prints it (`xmin:xmax:xip,...`, transaction ids with
 * their epoch, so 64-bit), and which transactions it sees. Logical decoding names a transaction
 * by its 32-bit xid; it is placed in the snapshot's epoch by the nearest distance, as PostgreSQL
 * compares xids (any transaction still streamed lies within 2^31 of a snapshot taken during the
 * same migration).
 */
export interface TxidSnapshot {
  xmin: bigint;
  xmax: bigint;
  inProgress: Set<bigint>;
}

const FORMAT = /^(\d+):(\d+):([\d,]*)$/;

export function parseTxidSnapshot(text: string): TxidSnapshot {
  const match = FORMAT.exec(text.trim());
  if (!match) throw new Error(`${JSON.stringify(text)} is not a txid snapshot (xmin:xmax:xip,...)`);
  const [, xmin, xmax, xip] = match;
  return {
    xmin: BigInt(xmin!),
    xmax: BigInt(xmax!),
    inProgress: new Set(xip ? xip.split(',').map((x) => BigInt(x)) : []),
  };
}

const EPOCH = 1n << 32n;
const HALF = 1n << 31n;

/** The 64-bit txid of a 32-bit xid, in the epoch nearest to `near`. */
export function widenXid(xid: number, near: bigint): bigint {
  let wide = (near / EPOCH) * EPOCH + BigInt(xid);
  if (wide > near + HALF) wide -= EPOCH;
  else if (wide < near - HALF) wide += EPOCH;
  return wide;
}

/** Whether the snapshot sees the committed transaction `xid`: it committed before the snapshot. */
export function snapshotSees(snapshot: TxidSnapshot, xid: number): boolean {
  const wide = widenXid(xid, snapshot.xmin);
  if (wide < snapshot.xmin) return true;
  if (wide >= snapshot.xmax) return false;
  return !snapshot.inProgress.has(wide);
}
