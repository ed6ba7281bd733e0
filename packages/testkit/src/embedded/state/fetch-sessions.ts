import { randomInt } from 'node:crypto'
import { ErrorCode } from './data-errors.js'

/**
 * Fetch sessions (KIP-227), as Kafka's FetchSessionCache keeps them: a full
 * fetch (epoch 0) opens a session holding every partition and what its last
 * answer said; incremental fetches (epoch + 1) name only the partitions whose
 * request changed and get only the partitions whose answer changed.
 */

const INITIAL_EPOCH = 0
const FINAL_EPOCH = -1
const INT32_MAX = 0x7fffffff
/** Kafka's max.incremental.fetch.session.cache.slots and min.incremental.fetch.session.eviction.ms. */
const DEFAULT_MAX_SLOTS = 1000
const DEFAULT_EVICTION_MS = 120_000

/** One partition of a fetch: what the client asked for, and what the session last told it. */
export interface FetchPartition {
  /** Topic id (v13+) or name, then the partition: the session's key for it. */
  key: string
  /** Topic name, '' when a v13+ topic id is unknown. */
  topic: string
  topicId: string
  partition: number
  fetchOffset: bigint
  partitionMaxBytes: number
  currentLeaderEpoch: number
  lastFetchedEpoch: number
  /** The high watermark and log start offset last sent (-1: never, or after an error). */
  sentHighWatermark: bigint
  sentLogStartOffset: bigint
}

/** What reading a partition produced, as far as a session cares. */
export interface PartitionOutcome {
  errorCode: number
  highWatermark: bigint
  logStartOffset: bigint
  recordBytes: number
  diverging: boolean
}

export interface FetchSession {
  readonly id: number
  /** The epoch the next incremental request must carry. */
  epoch: number
  readonly usesTopicIds: boolean
  /** In fetch order; a partition that returned data moves to the end, so all get their turn. */
  readonly partitions: Map<string, FetchPartition>
  readonly createdAt: number
  lastUsedAt: number
}

export type FetchContext =
  | { kind: 'error'; errorCode: number }
  | { kind: 'sessionless'; partitions: FetchPartition[] }
  | { kind: 'full'; partitions: FetchPartition[]; usesTopicIds: boolean }
  | { kind: 'incremental'; session: FetchSession; partitions: FetchPartition[] }

export interface FetchRequestMetadata {
  sessionId: number
  sessionEpoch: number
  usesTopicIds: boolean
  partitions: FetchPartition[]
  forgotten: string[]
}

function nextEpoch(epoch: number): number {
  return epoch === INT32_MAX ? 1 : epoch + 1
}

export class FetchSessionCache {
  private readonly sessions = new Map<number, FetchSession>()

  constructor(
    readonly maxSlots = DEFAULT_MAX_SLOTS,
    readonly evictionMs = DEFAULT_EVICTION_MS,
  ) {}

  get size(): number {
    return this.sessions.size
  }

  clear(): void {
    this.sessions.clear()
  }

  /** Decides how a fetch is served: sessionless, a new full session, an incremental step, or an error. */
  newContext(request: FetchRequestMetadata, now: number): FetchContext {
    const { sessionId, sessionEpoch, usesTopicIds } = request
    if (sessionEpoch === INITIAL_EPOCH || sessionEpoch === FINAL_EPOCH) {
      // A full request closes the session it names, if any.
      if (sessionId !== 0) this.sessions.delete(sessionId)
      if (sessionEpoch === FINAL_EPOCH) return { kind: 'sessionless', partitions: request.partitions }
      return { kind: 'full', partitions: request.partitions, usesTopicIds }
    }
    const session = this.sessions.get(sessionId)
    if (!session) return { kind: 'error', errorCode: ErrorCode.FETCH_SESSION_ID_NOT_FOUND }
    if (session.epoch !== sessionEpoch) return { kind: 'error', errorCode: ErrorCode.INVALID_FETCH_SESSION_EPOCH }
    if (session.usesTopicIds !== usesTopicIds)
      return { kind: 'error', errorCode: ErrorCode.FETCH_SESSION_TOPIC_ID_ERROR }
    for (const partition of request.partitions) {
      const cached = session.partitions.get(partition.key)
      if (cached) {
        cached.fetchOffset = partition.fetchOffset
        cached.partitionMaxBytes = partition.partitionMaxBytes
        cached.currentLeaderEpoch = partition.currentLeaderEpoch
        cached.lastFetchedEpoch = partition.lastFetchedEpoch
      } else {
        session.partitions.set(partition.key, partition)
      }
    }
    for (const key of request.forgotten) session.partitions.delete(key)
    if (session.partitions.size === 0) {
      this.sessions.delete(session.id)
      return { kind: 'sessionless', partitions: [] }
    }
    session.lastUsedAt = now
    session.epoch = nextEpoch(session.epoch)
    return { kind: 'incremental', session, partitions: [...session.partitions.values()] }
  }

  /**
   * After the partitions were read: opens the session of a full fetch (when
   * the cache has room) and, for an incremental one, keeps only the
   * partitions whose answer the client has not seen. Returns the session id
   * to answer with and the partitions to include.
   */
  complete(
    context: Exclude<FetchContext, { kind: 'error' }>,
    outcomes: Map<string, PartitionOutcome>,
    now: number,
  ): { sessionId: number; include: FetchPartition[] } {
    if (context.kind === 'sessionless') return { sessionId: 0, include: context.partitions }
    if (context.kind === 'full') {
      for (const partition of context.partitions) remember(partition, outcomes.get(partition.key))
      const sessionId = this.create(context.partitions, context.usesTopicIds, now)
      return { sessionId, include: context.partitions }
    }
    const include: FetchPartition[] = []
    for (const partition of context.partitions) {
      const outcome = outcomes.get(partition.key)
      if (!outcome || !mustRespond(partition, outcome)) continue
      remember(partition, outcome)
      include.push(partition)
      if (outcome.recordBytes > 0) {
        context.session.partitions.delete(partition.key)
        context.session.partitions.set(partition.key, partition)
      }
    }
    return { sessionId: context.session.id, include }
  }

  private create(partitions: FetchPartition[], usesTopicIds: boolean, now: number): number {
    if (this.sessions.size >= this.maxSlots && !this.evictFor(partitions.length, now)) return 0
    let id = randomInt(1, INT32_MAX)
    while (this.sessions.has(id)) id = randomInt(1, INT32_MAX)
    const map = new Map(partitions.map((p) => [p.key, p]))
    this.sessions.set(id, {
      id,
      epoch: nextEpoch(INITIAL_EPOCH),
      usesTopicIds,
      partitions: map,
      createdAt: now,
      lastUsedAt: now,
    })
    return id
  }

  /**
   * Kafka's eviction: a session unused for evictionMs goes first; otherwise
   * the smallest session older than evictionMs, if the new one is larger.
   */
  private evictFor(size: number, now: number): boolean {
    let leastRecent: FetchSession | undefined
    let smallest: FetchSession | undefined
    for (const session of this.sessions.values()) {
      if (!leastRecent || session.lastUsedAt < leastRecent.lastUsedAt) leastRecent = session
      const evictable = now - session.createdAt > this.evictionMs
      if (evictable && (!smallest || session.partitions.size < smallest.partitions.size)) smallest = session
    }
    const victim =
      leastRecent && now - leastRecent.lastUsedAt > this.evictionMs
        ? leastRecent
        : smallest && size > smallest.partitions.size
          ? smallest
          : undefined
    if (!victim) return false
    this.sessions.delete(victim.id)
    return true
  }
}

/** Kafka's CachedPartition.maybeUpdateResponseData: data, a new high watermark or log start, an error or a divergence. */
function mustRespond(partition: FetchPartition, outcome: PartitionOutcome): boolean {
  return (
    outcome.recordBytes > 0 ||
    outcome.errorCode !== ErrorCode.NONE ||
    outcome.diverging ||
    outcome.highWatermark !== partition.sentHighWatermark ||
    outcome.logStartOffset !== partition.sentLogStartOffset
  )
}

/** After an error the cached high watermark is reset, so the partition is sent again once the error clears. */
function remember(partition: FetchPartition, outcome: PartitionOutcome | undefined): void {
  if (!outcome) return
  partition.sentHighWatermark = outcome.errorCode === ErrorCode.NONE ? outcome.highWatermark : -1n
  partition.sentLogStartOffset = outcome.logStartOffset
}

const caches = new WeakMap<object, FetchSessionCache>()

/** The session cache of one broker (sessions are per broker in Kafka too). */
export function fetchSessionsOf(broker: object): FetchSessionCache {
  let cache = caches.get(broker)
  if (!cache) {
    cache = new FetchSessionCache()
    caches.set(broker, cache)
  }
  return cache
}
