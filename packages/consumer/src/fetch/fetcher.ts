import type { KafkaClient } from '@kafkit/client'
import { CorruptRecordError, errorFromCode, type FetchResponse, KafkaError, ZERO_UUID } from '@kafkit/protocol'
import { OffsetOutOfRangeError } from '../errors.js'
import type { ResolvedConsumerOptions } from '../options.js'
import type { PartitionState, SubscriptionState } from '../subscription-state.js'
import { CompletedFetch, type PartitionRecords } from './completed-fetch.js'
import { FetchSession, type SessionPartition, type SessionRequest } from './fetch-session.js'

/** Errors after which the partition's leader (or replica) is looked up again (Java's Fetcher does the same). */
const REFRESH_METADATA_CODES = new Set([3, 6, 9, 56, 74, 75, 78, 100, 103])
const OFFSET_OUT_OF_RANGE = 1
/** How long a preferred read replica is followed before asking the leader again (Java: metadata.max.age.ms). */
const PREFERRED_REPLICA_TTL_MS = 300_000

/**
 * Fetches the assigned partitions from the brokers: at most one Fetch in
 * flight per broker, each carrying every fetchable partition that broker
 * serves and that has no unread data buffered, so the next Fetch is already on
 * its way while the application works on the previous one. Data waits in a
 * buffer bounded by `maxBufferedBytes`: past it, no Fetch is sent until poll
 * drains some (backpressure). Each broker gets a KIP-227 fetch session.
 */
export class Fetcher {
  readonly #client: KafkaClient
  readonly #subscriptions: SubscriptionState
  readonly #options: ResolvedConsumerOptions
  readonly #sessions = new Map<number, FetchSession>()
  readonly #inFlightNodes = new Set<number>()
  readonly #inFlightPartitions = new Set<string>()
  readonly #backoffUntil = new Map<number, number>()
  readonly #buffer: CompletedFetch[] = []
  readonly #abort = new AbortController()
  #bufferedBytes = 0
  #error: KafkaError | undefined
  #timer: NodeJS.Timeout | undefined
  readonly #waiters = new Set<(force: boolean) => void>()
  #closed = false
  #scheduled = false
  /** Largest amount of fetched data held at once, for tests and tuning. */
  peakBufferedBytes = 0

  constructor(client: KafkaClient, subscriptions: SubscriptionState, options: ResolvedConsumerOptions) {
    this.#client = client
    this.#subscriptions = subscriptions
    this.#options = options
  }

  get bufferedBytes(): number {
    return this.#bufferedBytes
  }

  /** The fetch session with a broker, for tests and metrics. */
  session(nodeId: number): FetchSession | undefined {
    return this.#sessions.get(nodeId)
  }

  /**
   * Sends a Fetch to every broker that has fetchable partitions and none in
   * flight. Deferred to a microtask so that a burst of changes (positions set
   * one after another) goes out as one request.
   */
  schedule(): void {
    if (this.#scheduled || this.#closed) return
    this.#scheduled = true
    queueMicrotask(() => {
      this.#scheduled = false
      this.#scheduleNow()
    })
  }

  #scheduleNow(): void {
    if (this.#closed) return
    this.#notify()
    if (this.#bufferedBytes >= this.#options.maxBufferedBytes) return
    const buffered = new Set(this.#buffer.map((f) => f.state.key))
    const byNode = new Map<number, PartitionState[]>()
    const now = Date.now()
    let soonest = Number.POSITIVE_INFINITY
    for (const state of this.#subscriptions.fetchable()) {
      if (buffered.has(state.key) || this.#inFlightPartitions.has(state.key)) continue
      const node = this.#nodeFor(state, now)
      if (node === undefined) continue
      const until = this.#backoffUntil.get(node) ?? 0
      if (until > now) {
        soonest = Math.min(soonest, until)
        continue
      }
      if (this.#inFlightNodes.has(node)) continue
      const list = byNode.get(node)
      if (list) list.push(state)
      else byNode.set(node, [state])
    }
    for (const [node, states] of byNode) void this.#fetch(node, states)
    if (soonest < Number.POSITIVE_INFINITY && this.#timer === undefined) {
      this.#timer = setTimeout(() => {
        this.#timer = undefined
        this.schedule()
      }, soonest - now)
      this.#timer.unref()
    }
  }

  /**
   * Up to `maxRecords` records from the buffer, grouped by partition, moving
   * each partition's position past what it returns. Throws a stored error
   * (OffsetOutOfRangeError with autoOffsetReset 'none', a corrupt batch) once.
   */
  async collect(maxRecords: number): Promise<PartitionRecords[]> {
    if (this.#error) {
      const error = this.#error
      this.#error = undefined
      throw error
    }
    const out: PartitionRecords[] = []
    let remaining = maxRecords
    while (remaining > 0 && this.#buffer.length > 0) {
      const fetch = this.#buffer[0]!
      const state = fetch.state
      const current = this.#subscriptions.get(state.topic, state.partition)
      if (current !== state || state.epoch !== fetch.seekEpoch || state.paused) {
        // Stale (seeked, revoked) data is dropped; a paused partition's data is kept for resume, as Java.
        if (state.paused && current === state && state.epoch === fetch.seekEpoch) {
          this.#buffer.push(this.#buffer.shift()!)
          if (this.#buffer.every((f) => f.state.paused)) break
          continue
        }
        this.#drop(0)
        continue
      }
      let records: Awaited<ReturnType<CompletedFetch['take']>>
      try {
        records = await fetch.take(remaining)
      } catch (error) {
        this.#drop(0)
        if (error instanceof CorruptRecordError) throw error
        throw error instanceof KafkaError ? error : new CorruptRecordError(`${state.key}: ${(error as Error).message}`)
      }
      // The application may have seeked while a batch was being decompressed.
      if (state.epoch === fetch.seekEpoch) {
        state.position = { offset: fetch.nextOffset, leaderEpoch: fetch.lastEpoch }
        if (records.length > 0) {
          remaining -= records.length
          out.push({
            topic: state.topic,
            partition: state.partition,
            records,
            lastLeaderEpoch: fetch.lastEpoch,
            highWatermark: state.highWatermark,
            lastStableOffset: state.lastStableOffset,
          })
        }
      }
      if (fetch.done) this.#drop(0)
    }
    if (out.length > 0 || this.#buffer.length === 0) this.schedule()
    return out
  }

  /** Resolves when data (or an error) is buffered, `signal` aborts, or `timeoutMs` passes. */
  async waitForData(timeoutMs: number, signal?: AbortSignal): Promise<void> {
    if (this.hasData() || timeoutMs <= 0) return
    await new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer)
        signal?.removeEventListener('abort', done)
        this.#waiters.delete(check)
        resolve()
      }
      const check = (force: boolean) => {
        if (force || this.hasData() || this.#closed) done()
      }
      const timer = setTimeout(done, timeoutMs)
      signal?.addEventListener('abort', done, { once: true })
      this.#waiters.add(check)
    })
  }

  /** Wakes a poll waiting for data (data arrived, a partition was resumed, the fetcher closed). */
  #notify(): void {
    for (const check of [...this.#waiters]) check(false)
  }

  /**
   * Wakes a waiting poll even with no data: the assignment or a position
   * changed, so the poll must look up positions and fetch now. Without this a
   * poll that began before the group join finished slept out its whole
   * timeout (1 s in run()) before fetching anything, as Java's poll does not.
   */
  wake(): void {
    for (const check of [...this.#waiters]) check(true)
  }

  /** Polls waiting for data now (tests use it to act while a poll waits). */
  get waitingPolls(): number {
    return this.#waiters.size
  }

  hasData(): boolean {
    return this.#error !== undefined || this.#buffer.some((f) => !f.state.paused)
  }

  close(): void {
    this.#closed = true
    clearTimeout(this.#timer)
    this.#abort.abort()
    this.#buffer.length = 0
    this.#bufferedBytes = 0
    this.#notify()
  }

  #drop(index: number): void {
    const [fetch] = this.#buffer.splice(index, 1)
    if (fetch) this.#bufferedBytes -= fetch.bytes
  }

  #nodeFor(state: PartitionState, now: number): number | undefined {
    if (state.preferredReadReplica !== undefined) {
      if (
        state.preferredReadReplicaExpiresAt > now &&
        this.#client.cluster.metadata.broker(state.preferredReadReplica)
      ) {
        return state.preferredReadReplica
      }
      state.preferredReadReplica = undefined
    }
    const leader = this.#client.cluster.metadata.partition(state.topic, state.partition)?.leader ?? -1
    if (leader >= 0) return leader
    this.#refreshMetadata(state.topic)
    return undefined
  }

  #refreshMetadata(topic: string): void {
    this.#client.cluster
      .refreshMetadata({ topics: [topic] })
      .catch(() => {})
      .finally(() => {
        if (!this.#closed) setTimeout(() => this.schedule(), this.#options.retryBackoffMs).unref()
      })
  }

  async #fetch(node: number, states: PartitionState[]): Promise<void> {
    let session = this.#sessions.get(node)
    if (!session) {
      session = new FetchSession()
      this.#sessions.set(node, session)
    }
    const metadata = this.#client.cluster.metadata
    const wanted: SessionPartition[] = states.map((s) => ({
      topic: s.topic,
      topicId: metadata.topic(s.topic)?.topicId ?? ZERO_UUID,
      partition: s.partition,
      fetchOffset: s.position!.offset,
      currentLeaderEpoch: metadata.partition(s.topic, s.partition)?.leaderEpoch ?? -1,
      lastFetchedEpoch: -1,
      partitionMaxBytes: this.#options.maxPartitionFetchBytes,
    }))
    const sent = new Map(states.map((s) => [s.key, { state: s, seekEpoch: s.epoch, offset: s.position!.offset }]))
    this.#inFlightNodes.add(node)
    for (const s of states) this.#inFlightPartitions.add(s.key)
    let request: SessionRequest | undefined
    const options = this.#options
    try {
      const response = await this.#client.cluster.request(
        node,
        'Fetch',
        (version) => {
          request = session.build(wanted, version >= 13)
          return {
            clusterId: null,
            replicaId: -1,
            replicaState: { replicaId: -1, replicaEpoch: -1n },
            maxWaitMs: options.maxWaitMs,
            minBytes: options.minBytes,
            maxBytes: options.maxBytes,
            isolationLevel: options.isolationLevel === 'read_committed' ? 1 : 0,
            sessionId: request.sessionId,
            sessionEpoch: request.sessionEpoch,
            topics: request.topics,
            forgottenTopicsData: request.forgottenTopicsData,
            rackId: options.clientRack,
          }
        },
        { purpose: 'fetch', signal: this.#abort.signal, timeoutMs: options.requestTimeoutMs + options.maxWaitMs },
      )
      if (this.#closed || !request) return
      if (!session.handleResponse(request, response)) {
        this.#client.logger.debug('fetch session error: next fetch is full', {
          broker: node,
          errorCode: response.errorCode,
        })
      } else if (response.errorCode !== 0) {
        this.#backOff(node)
      } else this.#handle(node, request, response, sent)
    } catch (error) {
      if (this.#closed) return
      session.reset()
      this.#client.logger.debug('fetch failed', { broker: node, error: (error as Error).message })
      // A request that can never succeed (a version the broker lacks) reaches the application.
      if (error instanceof KafkaError && !error.retriable) this.#error ??= error
      for (const s of states) s.preferredReadReplica = undefined
      this.#backOff(node)
      void this.#client.cluster.refreshMetadata().catch(() => {})
    } finally {
      this.#inFlightNodes.delete(node)
      for (const s of states) this.#inFlightPartitions.delete(s.key)
      this.schedule()
    }
  }

  #backOff(node: number): void {
    this.#backoffUntil.set(node, Date.now() + this.#options.retryBackoffMs)
  }

  #handle(
    node: number,
    request: SessionRequest,
    response: FetchResponse,
    sent: Map<string, { state: PartitionState; seekEpoch: number; offset: bigint }>,
  ): void {
    const names = new Map([...request.partitions.values()].map((p) => [p.topicId, p.topic]))
    const outOfRange = new Map<string, bigint>()
    const readCommitted = this.#options.isolationLevel === 'read_committed'
    for (const topic of response.responses) {
      const name = topic.topic || names.get(topic.topicId) || ''
      for (const data of topic.partitions) {
        const entry = sent.get(`${name}-${data.partitionIndex}`)
        if (!entry) continue
        const { state, seekEpoch, offset } = entry
        // Seeked, paused or revoked while the Fetch was out: its data no longer applies.
        if (this.#subscriptions.get(state.topic, state.partition) !== state || state.epoch !== seekEpoch) continue
        if (data.errorCode === 0) {
          if (data.highWatermark >= 0n) state.highWatermark = data.highWatermark
          if (data.lastStableOffset >= 0n) state.lastStableOffset = data.lastStableOffset
          if (data.logStartOffset >= 0n) state.logStartOffset = data.logStartOffset
          if (data.preferredReadReplica >= 0 && data.preferredReadReplica !== node) {
            state.preferredReadReplica = data.preferredReadReplica
            state.preferredReadReplicaExpiresAt = Date.now() + PREFERRED_REPLICA_TTL_MS
          }
          if (data.records && data.records.length > 0) {
            const fetch = new CompletedFetch(
              state,
              offset,
              data.records,
              data.abortedTransactions,
              readCommitted,
              state.position?.leaderEpoch ?? -1,
            )
            this.#buffer.push(fetch)
            this.#bufferedBytes += fetch.bytes
            this.peakBufferedBytes = Math.max(this.peakBufferedBytes, this.#bufferedBytes)
          }
          continue
        }
        if (REFRESH_METADATA_CODES.has(data.errorCode)) {
          state.preferredReadReplica = undefined
          this.#refreshMetadata(state.topic)
          this.#backOff(node)
          continue
        }
        if (data.errorCode === OFFSET_OUT_OF_RANGE) {
          if (state.preferredReadReplica !== undefined) {
            // A follower may lag the leader: ask the leader before resetting (Java does the same).
            state.preferredReadReplica = undefined
            continue
          }
          if (this.#options.autoOffsetReset === 'none') {
            // Thrown by every poll until the application seeks, as Java's; the backoff keeps the broker from being hammered.
            outOfRange.set(state.key, offset)
            this.#backOff(node)
          } else this.#subscriptions.requestReset(state, this.#options.autoOffsetReset)
          continue
        }
        const error = errorFromCode(data.errorCode, {
          api: 'Fetch',
          entity: state.key,
          broker: String(node),
        })
        if (error?.retriable) this.#backOff(node)
        else if (error) this.#error ??= error
      }
    }
    if (outOfRange.size > 0) this.#error ??= new OffsetOutOfRangeError(outOfRange)
  }
}
