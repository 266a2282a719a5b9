/** How a run rides out lost connections: how often it tries again, and how long it waits at most. */
export interface ReconnectPolicy {
  /** Consecutive failed attempts after which the run fails; 0 fails at the first loss. */
  attempts: number;
  firstDelayMs: number;
  maxDelayMs: number;
}

export function reconnectPolicy(options: {
  reconnectAttempts: number;
  reconnectMaxDelaySeconds: number;
}): ReconnectPolicy {
  const maxDelayMs = options.reconnectMaxDelaySeconds * 1000;
  return {
    attempts: options.reconnectAttempts,
    firstDelayMs: Math.min(FIRST_DELAY_MS, maxDelayMs),
    maxDelayMs,
  };
}

/**
 * A cut socket or a killed walsender is back at once, a restarted server within seconds: the
 * first waits are short and grow gently (the soak benchmark measured doubling from one second
 * costing seconds per restart), the later ones long.
 */
const FIRST_DELAY_MS = 250;
const GROWTH = 1.6;

/**
 * The wait before attempt `attempt` (1-based): growing from the first delay up to the cap, then
 * jittered into its upper half, so that several pgshift processes cut off by the same outage do
 * not all knock at the same moment.
 */
export function backoffDelay(
  attempt: number,
  policy: ReconnectPolicy,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.firstDelayMs * GROWTH ** (attempt - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}
