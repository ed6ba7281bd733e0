import { KafkaError } from '@kafkit/protocol'
import type { AdminEntryFailure } from './admin-error.js'
import type { AdminRouter } from './admin-router.js'

export interface EntryResults<K, R> {
  /** Results of the entries that succeeded, in the order the entries were given. */
  succeeded: Map<K, R>
  failures: AdminEntryFailure[]
}

/**
 * Runs one request chain per entry (a group, a transactional id, a broker) at
 * once and sorts the outcomes: each chain retries its own retriable errors
 * through the router, so what reaches here is a result or a final, typed
 * failure for that entry alone. Anything that is not a KafkaError is a bug and
 * is rethrown.
 */
export async function perEntry<K, R>(
  entries: readonly K[],
  nameOf: (entry: K) => string,
  run: (entry: K) => Promise<R>,
): Promise<EntryResults<K, R>> {
  const settled = await Promise.allSettled(entries.map((entry) => run(entry)))
  const succeeded = new Map<K, R>()
  const failures: AdminEntryFailure[] = []
  settled.forEach((outcome, index) => {
    const entry = entries[index] as K
    if (outcome.status === 'fulfilled') succeeded.set(entry, outcome.value)
    else if (outcome.reason instanceof KafkaError) failures.push({ entry: nameOf(entry), error: outcome.reason })
    else throw outcome.reason
  })
  return { succeeded, failures }
}

/** Entries given twice are sent once (Java's admin client keys its futures the same way). */
export function distinct<T>(values: readonly T[]): T[] {
  return [...new Set(values)]
}

/**
 * Runs `run` for every broker of the cluster (freshly read from the metadata),
 * for APIs each broker answers for its own share: ListGroups, ListTransactions.
 * Failures are named `BROKER:<id>`.
 */
export async function perBroker<R>(
  router: AdminRouter,
  run: (nodeId: number) => Promise<R>,
): Promise<EntryResults<number, R>> {
  await router.client.cluster.refreshMetadata({ topics: [] })
  const brokers = router.client.cluster.metadata.brokers.map((b) => b.nodeId).sort((a, b) => a - b)
  return perEntry(brokers, (nodeId) => `BROKER:${nodeId}`, run)
}
