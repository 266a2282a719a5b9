/**
 * User triggers and rules of the target that fire in replica role (ENABLE ALWAYS or ENABLE
 * REPLICA). They could watch the order rows change in, so their presence keeps apply in source
 * order. Internal triggers (foreign keys) do not fire in replica role.
 */
export const REPLICA_FIRING_TRIGGERS = `
  SELECT format('%s on %s', t.tgname, t.tgrelid::regclass) AS name
    FROM pg_trigger t
   WHERE NOT t.tgisinternal AND t.tgenabled IN ('A', 'R')
   UNION ALL
  SELECT format('rule %s on %s', r.rulename, r.ev_class::regclass)
    FROM pg_rewrite r
   WHERE r.rulename <> '_RETURN' AND r.ev_enabled IN ('A', 'R')
   LIMIT 5`;
