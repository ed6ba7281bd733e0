import type { TransactionCoordinatorState, TransactionEntry, TransactionStatus } from './transaction-state.js'

/** TRANSACTIONAL_ID_NOT_FOUND: DescribeTransactions of an id the coordinator has never seen. */
export const TRANSACTIONAL_ID_NOT_FOUND = 105
/** INVALID_REGULAR_EXPRESSION: a ListTransactions v2 pattern that does not compile. */
export const INVALID_REGULAR_EXPRESSION = 128

/** Every state name Kafka's TransactionState.fromName knows, including the ones the embedded coordinator never enters. */
const KNOWN_STATES: ReadonlySet<string> = new Set<TransactionStatus | 'Dead' | 'PrepareEpochFence'>([
  'Empty',
  'Ongoing',
  'PrepareCommit',
  'PrepareAbort',
  'CompleteCommit',
  'CompleteAbort',
  'Dead',
  'PrepareEpochFence',
])

/** What DescribeTransactions reports of one transactional id. */
export interface TransactionDescription {
  state: TransactionStatus
  producerId: bigint
  producerEpoch: number
  timeoutMs: number
  /** -1 until the first partition or group joins a transaction after InitProducerId. */
  startTimeMs: number
  /** The partitions of the ongoing transaction, by topic (empty once it completes). */
  topics: { topic: string; partitions: number[] }[]
}

/** The coordinator's view of a transactional id, or undefined when it does not know it. */
export function describeTransaction(
  state: TransactionCoordinatorState,
  transactionalId: string,
): TransactionDescription | undefined {
  const entry = state.get(transactionalId)
  if (!entry) return undefined
  return {
    state: entry.status,
    producerId: entry.producerId,
    producerEpoch: entry.epoch,
    timeoutMs: entry.timeoutMs,
    startTimeMs: entry.startedAt,
    topics: [...entry.partitions].map(([topic, partitions]) => ({
      topic,
      partitions: [...partitions].sort((a, b) => a - b),
    })),
  }
}

export interface ListFilters {
  stateFilters: string[]
  producerIdFilters: bigint[]
  /** Only transactions started more than this many ms ago; negative for all. */
  durationFilterMs: number
  /** Only transactional ids this pattern matches in full; null or empty for all. */
  transactionalIdPattern: string | null
}

export interface ListedTransactions {
  errorCode: number
  unknownStateFilters: string[]
  transactions: TransactionEntry[]
}

/**
 * A Java-style `matches()`: the whole id must match, not a substring. No `u`
 * flag, which would refuse escapes such as `\_` that Java accepts.
 */
function compilePattern(pattern: string | null): RegExp | null | undefined {
  if (pattern === null || pattern === '') return null
  try {
    return new RegExp(`^(?:${pattern})$`)
  } catch {
    return undefined
  }
}

/**
 * ListTransactions as Kafka's TransactionStateManager filters it: state names
 * it does not know are echoed back (and, being filters, match nothing), an
 * empty filter list matches everything, and the duration filter keeps
 * transactions whose start is more than that long ago, so an Empty id (start
 * -1) passes it as in Kafka. `coordinates` says which ids this broker owns.
 */
export function listTransactions(
  state: TransactionCoordinatorState,
  filters: ListFilters,
  coordinates: (transactionalId: string) => boolean,
  now: number,
): ListedTransactions {
  const pattern = compilePattern(filters.transactionalIdPattern)
  // Kafka refuses the pattern before it looks at the state filters (measured against 4.1.1).
  if (pattern === undefined) return { errorCode: INVALID_REGULAR_EXPRESSION, unknownStateFilters: [], transactions: [] }
  const unknownStateFilters = filters.stateFilters.filter((name) => !KNOWN_STATES.has(name))
  const states = new Set(filters.stateFilters)
  const producerIds = new Set(filters.producerIdFilters)
  const transactions = [...state.transactions.values()].filter(
    (entry) =>
      coordinates(entry.transactionalId) &&
      (producerIds.size === 0 || producerIds.has(entry.producerId)) &&
      (states.size === 0 || states.has(entry.status)) &&
      (filters.durationFilterMs < 0 || now - entry.startedAt > filters.durationFilterMs) &&
      (pattern === null || pattern.test(entry.transactionalId)),
  )
  return { errorCode: 0, unknownStateFilters, transactions }
}
