import { errorFromCode, InvalidMessageError, KafkaError } from '@kafkit/protocol'
import type { AdminRouter } from '../admin-router.js'
import { requireInteger, requireName, requireNonEmptyArray, requireOptions } from '../arguments.js'
import { type EntryOutcome, type SettledEntries, settleEntries } from '../entry-outcomes.js'

export interface PartitionEntry {
  readonly topic: string
  readonly partition: number
}

const UNKNOWN_TOPIC_OR_PARTITION = 3
const LEADER_NOT_AVAILABLE = 5

/** How failures name a partition: `orders-0`. */
export function partitionName({ topic, partition }: PartitionEntry): string {
  return `${topic}-${partition}`
}

/**
 * Checks a call's list of partitions (`{ topic, partition, <field> }`, each
 * partition once) and adds what `rest` makes of the other field.
 */
export function checkPartitions<I extends PartitionEntry, R>(
  operation: string,
  given: readonly I[],
  example: string,
  field: Exclude<keyof I, keyof PartitionEntry> & string,
  rest: (entry: I, what: string) => R,
): (PartitionEntry & R)[] {
  const seen = new Set<string>()
  return requireNonEmptyArray(given, `${operation} partitions`, example).map((entry, i) => {
    const what = `${operation} partitions[${i}]`
    requireOptions(entry, what, ['topic', 'partition', field])
    const topic = requireName(entry.topic, `${what}.topic`)
    const partition = requireInteger(entry.partition, `${what}.partition`, 0)
    const name = partitionName({ topic, partition })
    if (seen.has(name)) {
      // One answer per partition per request, as Kafka's ListOffsets and DeleteRecords allow.
      const instead = operation === 'listOffsets' ? ' (for both ends of a topic, use fetchTopicOffsets)' : ''
      throw new InvalidMessageError(
        `${operation} names partition ${name} twice: give each partition once per call, in separate calls for several ${field}s${instead}`,
      )
    }
    seen.add(name)
    return { ...rest(entry, what), topic, partition }
  })
}

/**
 * Sends partition requests (ListOffsets, DeleteRecords) to each partition's
 * leader, one request per leader, as Java's admin client does. A partition
 * whose leader moved or is unknown is looked up again (metadata refresh) and
 * re-sent until the deadline; one of a topic that does not exist fails at once.
 */
export function sendToLeaders<E extends PartitionEntry, R>(
  router: AdminRouter,
  entries: readonly E[],
  send: (leader: number, entries: readonly E[]) => Promise<Map<E, EntryOutcome<R>>>,
): Promise<SettledEntries<E, R>> {
  const cluster = router.client.cluster
  const refresh = (pending: readonly E[]) =>
    cluster.refreshMetadata({ topics: [...new Set(pending.map((e) => e.topic))] }).catch(() => {})
  return settleEntries(
    router,
    entries,
    partitionName,
    async (pending) => {
      const leaderOf = (e: E) => cluster.metadata.partition(e.topic, e.partition)?.leader ?? -1
      if (pending.some((e) => leaderOf(e) < 0)) await refresh(pending)
      const outcomes = new Map<E, EntryOutcome<R>>()
      const byLeader = new Map<number, E[]>()
      for (const entry of pending) {
        const leader = leaderOf(entry)
        if (leader >= 0) {
          byLeader.set(leader, [...(byLeader.get(leader) ?? []), entry])
          continue
        }
        const topic = cluster.metadata.topic(entry.topic)
        const known = topic !== undefined && topic.errorCode === 0 && topic.partitions[entry.partition] !== undefined
        const code = known ? LEADER_NOT_AVAILABLE : topic?.errorCode || UNKNOWN_TOPIC_OR_PARTITION
        const error = errorFromCode(code, { entity: partitionName(entry), detail: known ? null : missing(entry) })!
        // A missing topic or partition is final, as in Java; a missing leader is waited for.
        outcomes.set(entry, { error, retry: known })
      }
      await Promise.all(
        [...byLeader].map(async ([leader, list]) => {
          try {
            for (const [entry, outcome] of await send(leader, list)) outcomes.set(entry, outcome)
          } catch (error) {
            if (!(error instanceof KafkaError)) throw error
            for (const entry of list) outcomes.set(entry, { error, retry: error.retriable })
          }
        }),
      )
      return outcomes
    },
    // Whatever failed retriably (a moved leader, a lost connection) needs fresh metadata.
    async () => refresh(entries),
  )
}

function missing({ topic, partition }: PartitionEntry): string {
  return `topic ${topic} or its partition ${partition} does not exist`
}
