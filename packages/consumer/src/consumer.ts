import type { KafkaClient } from '@kafkit/client'
import { InvalidMessageError, type MetadataResponse } from '@kafkit/protocol'
import type { TopicPartition } from './assignors/types.js'
import { ConsumerClosedError } from './errors.js'
import type { PartitionRecords } from './fetch/completed-fetch.js'
import { Fetcher } from './fetch/fetcher.js'
import type { GroupMembership, GroupMetadata } from './group/group-membership.js'
import { createMembership } from './group/membership-factory.js'
import { type CommittedOffset, CommittedOffsets, type OffsetToCommit } from './offsets/committed-offsets.js'
import { PositionInitializer } from './offsets/positions.js'
import {
  type AutoOffsetReset,
  type ConsumerOptions,
  type ResolvedConsumerOptions,
  resolveConsumerOptions,
} from './options.js'
import { assignmentListener, type ConsumerRebalanceListener, processedOffsets } from './rebalance-listener.js'
import { type FetchPosition, partitionKey, SubscriptionState } from './subscription-state.js'

export interface PollOptions {
  /** Longest wait for records. Default 1000. */
  timeoutMs?: number
  signal?: AbortSignal
}

export interface ConsumerHooks {
  /** Awaited before revoked partitions are committed: the umbrella waits for its running handlers here. */
  beforeRevoke?(partitions: readonly TopicPartition[]): Promise<void>
  /** The reset policy of a topic, when it differs from autoOffsetReset (kafkajs's per-subscription fromBeginning). */
  resetPolicyFor?(topic: string): AutoOffsetReset | undefined
  /** Creates the membership (tests inject a fake); the registered implementation of groupProtocol by default. */
  createMembership?(consumer: {
    client: KafkaClient
    options: ResolvedConsumerOptions & { groupId: string }
  }): GroupMembership
}

/** How often a regex subscription looks for new matching topics (Java: metadata.max.age.ms). */
const PATTERN_REFRESH_MS = 300_000

/**
 * A poll-based consumer with the semantics of Java's KafkaConsumer: subscribe()
 * (a group) or assign() (no group), poll() for records grouped by partition,
 * seek / pause / resume / position per partition, commits of the NEXT offset
 * to read. Work is delegated: positions to PositionInitializer, fetching to
 * Fetcher, commits to CommittedOffsets, the group to a GroupMembership.
 *
 * Delivery: a record returned by poll() counts as processed when poll() is
 * called again (or when `markProcessed` says so sooner); auto commit commits
 * processed offsets every autoCommitIntervalMs (checked in poll), on revoke
 * and on close. At least once: a crash replays what was not committed.
 */
export class Consumer {
  readonly options: ResolvedConsumerOptions
  readonly #client: KafkaClient
  readonly #subscriptions = new SubscriptionState()
  readonly #fetcher: Fetcher
  readonly #committed: CommittedOffsets
  readonly #positions: PositionInitializer
  readonly #hooks: ConsumerHooks
  readonly #closing = new AbortController()
  #membership: GroupMembership | undefined
  #listener: ConsumerRebalanceListener | undefined
  #pattern: RegExp | undefined
  #patternTimer: NodeJS.Timeout | undefined
  #mode: 'none' | 'assign' | 'subscribe' = 'none'
  /** Positions handed out by the last poll: processed once poll is called again. */
  #delivered = new Map<string, { epoch: number; position: FetchPosition }>()
  /** Offsets last committed per partition, so auto commit sends only what moved. */
  readonly #lastCommitted = new Map<string, bigint>()
  #nextAutoCommit = 0
  /**
   * Settles when the last commit started has: commits go out one after another,
   * so an older commit retried after a coordinator error never lands after a
   * newer one and moves the group's offsets backwards.
   */
  #commitTail: Promise<void> = Promise.resolve()
  /** An auto commit is queued or in flight: the next one waits for it to settle (Java skips the same way). */
  #autoCommitPending = false
  #closed: Promise<void> | undefined

  constructor(client: KafkaClient, options: ConsumerOptions = {}, hooks: ConsumerHooks = {}) {
    this.options = resolveConsumerOptions(options)
    this.#client = client
    this.#hooks = hooks
    this.#fetcher = new Fetcher(client, this.#subscriptions, this.options)
    this.#subscriptions.onChange = () => {
      this.#fetcher.schedule()
      this.#fetcher.wake()
    }
    this.#committed = new CommittedOffsets(client, { ...this.options, signal: this.#closing.signal })
    this.#positions = new PositionInitializer(client, this.#subscriptions, this.#committed, this.options, {
      member: () => ({
        memberId: this.#membership?.protocol === 'consumer' ? this.#membership.groupMetadata.memberId : null,
        memberEpoch: this.#membership?.protocol === 'consumer' ? this.#membership.groupMetadata.generationId : -1,
      }),
      resetPolicyFor: (topic) => hooks.resetPolicyFor?.(topic) ?? this.options.autoOffsetReset,
    })
    this.#nextAutoCommit = Date.now() + this.options.autoCommitIntervalMs
  }

  /** Who this consumer is in its group (generation -1 and member '' outside one), for commits and transactional producers. */
  get groupMetadata(): GroupMetadata {
    return (
      this.#membership?.groupMetadata ?? {
        groupId: this.options.groupId ?? '',
        generationId: -1,
        memberId: '',
        groupInstanceId: null,
      }
    )
  }

  /** The membership of a subscribed consumer, for tests and diagnostics. */
  get membership(): GroupMembership | undefined {
    return this.#membership
  }

  /** The fetcher, for tests and metrics (buffered bytes, fetch sessions). */
  get fetcher(): Fetcher {
    return this.#fetcher
  }

  /**
   * Joins the group (groupId needed) for these topics, or the topics matching a
   * RegExp; calling it again replaces the subscription. The listener is awaited
   * during each rebalance.
   */
  subscribe(topics: readonly string[] | RegExp, listener?: ConsumerRebalanceListener): void {
    this.#checkOpen()
    if (this.#mode === 'assign') throw new InvalidMessageError('subscribe() after assign(): call unsubscribe() first')
    const groupId = this.options.groupId
    if (groupId === undefined) {
      throw new InvalidMessageError(
        'subscribe() needs a groupId in the consumer options; use assign() to read without a group',
      )
    }
    if (listener !== undefined) this.#listener = listener
    this.#mode = 'subscribe'
    if (topics instanceof RegExp) {
      this.#pattern = topics
      void this.#refreshPattern()
      return
    }
    if (!Array.isArray(topics) || topics.length === 0 || topics.some((t) => typeof t !== 'string' || t === '')) {
      throw new InvalidMessageError('subscribe() needs a non-empty list of topic names or a RegExp')
    }
    this.#pattern = undefined
    this.#setTopics(topics)
  }

  #setTopics(topics: readonly string[]): void {
    void this.#client.cluster.refreshMetadata({ topics }).catch(() => {})
    if (this.#membership) {
      this.#membership.updateSubscription(topics)
      return
    }
    const options = { ...this.options, groupId: this.options.groupId! }
    this.#membership =
      this.#hooks.createMembership?.({ client: this.#client, options }) ??
      createMembership({ client: this.#client, options })
    this.#membership.start(
      topics,
      assignmentListener({
        subscriptions: this.#subscriptions,
        listener: { ...this.#listener },
        beforeRevoke: (partitions) => this.#hooks.beforeRevoke?.(partitions) ?? Promise.resolve(),
        commitProcessed: (partitions) =>
          this.options.autoCommit ? this.#commitQuietly(partitions) : Promise.resolve(),
        changed: () => this.#fetcher.schedule(),
      }),
    )
  }

  async #refreshPattern(): Promise<void> {
    const pattern = this.#pattern
    if (!pattern || this.#closing.signal.aborted) return
    try {
      const response = (await this.#client.cluster.requestAny('Metadata', {
        topics: null,
        allowAutoTopicCreation: false,
        includeClusterAuthorizedOperations: false,
        includeTopicAuthorizedOperations: false,
      })) as MetadataResponse
      const topics = response.topics
        .filter((t) => t.name !== null && !t.isInternal && pattern.test(t.name))
        .map((t) => t.name as string)
        .sort()
      if (this.#pattern === pattern) this.#setTopics(topics)
    } catch (error) {
      this.#client.logger.warn('listing topics for a regex subscription failed', { error: (error as Error).message })
    }
    clearTimeout(this.#patternTimer)
    this.#patternTimer = setTimeout(() => void this.#refreshPattern(), PATTERN_REFRESH_MS)
    this.#patternTimer.unref()
  }

  /** Reads these partitions without a group (no rebalancing); replaces a previous assign(). */
  assign(partitions: readonly TopicPartition[]): void {
    this.#checkOpen()
    if (this.#mode === 'subscribe')
      throw new InvalidMessageError('assign() after subscribe(): call unsubscribe() first')
    for (const tp of partitions) checkPartition(tp, 'assign()')
    this.#mode = partitions.length === 0 ? 'none' : 'assign'
    this.#subscriptions.set(partitions)
    void this.#client.cluster.refreshMetadata({ topics: [...new Set(partitions.map((p) => p.topic))] }).catch(() => {})
  }

  /** Leaves the group (or drops the assignment), committing processed offsets first when autoCommit is on. */
  async unsubscribe(): Promise<void> {
    this.#pattern = undefined
    clearTimeout(this.#patternTimer)
    const membership = this.#membership
    this.#membership = undefined
    if (membership) await membership.leave()
    else if (this.options.autoCommit && this.options.groupId) await this.#commitQuietly()
    this.#subscriptions.set([])
    this.#mode = 'none'
  }

  /** Partitions assigned now. */
  assignment(): TopicPartition[] {
    return this.#subscriptions.assigned.map(({ topic, partition }) => ({ topic, partition }))
  }

  /** The next poll reads this partition from `offset` (Java's seek); data already fetched for it is dropped. */
  seek(tp: TopicPartition, offset: bigint, leaderEpoch = -1): void {
    if (typeof offset !== 'bigint' || offset < 0n) {
      throw new InvalidMessageError(`seek offset must be a bigint >= 0n; got ${String(offset)}`)
    }
    this.#subscriptions.seek(this.#state(tp, 'seek()'), { offset, leaderEpoch })
  }

  /** Moves these partitions (all assigned when absent) to their first offset, found at the next poll. */
  seekToBeginning(partitions?: readonly TopicPartition[]): void {
    for (const state of this.#states(partitions, 'seekToBeginning()'))
      this.#subscriptions.requestReset(state, 'earliest')
  }

  /** Moves these partitions (all assigned when absent) to their end (the last stable offset with read_committed). */
  seekToEnd(partitions?: readonly TopicPartition[]): void {
    for (const state of this.#states(partitions, 'seekToEnd()')) this.#subscriptions.requestReset(state, 'latest')
  }

  /** Stops returning records of these partitions until resume(); their position and fetched data are kept. */
  pause(partitions: readonly TopicPartition[]): void {
    for (const state of this.#states(partitions, 'pause()')) state.paused = true
  }

  resume(partitions: readonly TopicPartition[]): void {
    for (const state of this.#states(partitions, 'resume()')) state.paused = false
    this.#fetcher.schedule()
  }

  paused(): TopicPartition[] {
    return this.#subscriptions.assigned.filter((s) => s.paused).map(({ topic, partition }) => ({ topic, partition }))
  }

  /** The offset of the next record poll returns for this partition, looking it up (committed offset or reset) if needed. */
  async position(tp: TopicPartition): Promise<bigint> {
    const state = this.#state(tp, 'position()')
    while (state.position === undefined) {
      this.#checkOpen()
      await this.#positions.update(this.#closing.signal)
      if (state.position === undefined) await new Promise((r) => setTimeout(r, this.options.retryBackoffMs))
    }
    return state.position.offset
  }

  /** The group's committed offsets (the next offset to read) of these partitions; absent ones have none. */
  committed(partitions: readonly TopicPartition[]): Promise<Map<string, CommittedOffset>> {
    const groupId = this.#groupIdFor('committed()')
    for (const tp of partitions) checkPartition(tp, 'committed()')
    return this.#committed.fetch(groupId, partitions)
  }

  /**
   * Commits offsets: the given ones (each the NEXT offset to read, last
   * processed + 1), or what was processed of every assigned partition.
   */
  async commitOffsets(offsets?: readonly OffsetToCommit[]): Promise<void> {
    this.#groupIdFor('commitOffsets()')
    this.#applyDelivered()
    for (const o of offsets ?? []) {
      checkPartition(o, 'commitOffsets()')
      if (typeof o.offset !== 'bigint' || o.offset < 0n) {
        throw new InvalidMessageError(`commitOffsets offset must be a bigint >= 0n; got ${String(o.offset)}`)
      }
    }
    const list = offsets ?? processedOffsets(this.#subscriptions)
    await this.#inOrder(async () => {
      await this.#committed.commit(this.groupMetadata, list)
      for (const o of list) this.#lastCommitted.set(partitionKey(o.topic, o.partition), o.offset)
    })
  }

  /** Marks records of a partition processed up to (not including) `nextOffset`, for the next commit. */
  markProcessed(tp: TopicPartition, nextOffset: bigint, leaderEpoch = -1): void {
    const state = this.#subscriptions.get(tp.topic, tp.partition)
    if (state) state.processed = { offset: nextOffset, leaderEpoch }
  }

  /**
   * `markProcessed` for one partition, its state looked up once: for loops
   * that mark every record of a batch (a key string and a map lookup per
   * record showed in the consumer's profile). Once the partition is
   * revoked it marks a state the consumer no longer holds, i.e. nothing,
   * even if the partition is assigned again later.
   */
  processedMarker(tp: TopicPartition): (nextOffset: bigint, leaderEpoch?: number) => void {
    const state = this.#subscriptions.get(tp.topic, tp.partition)
    return (nextOffset, leaderEpoch = -1) => {
      if (state) state.processed = { offset: nextOffset, leaderEpoch }
    }
  }

  /**
   * Records of the partitions assigned and not paused, up to maxPollRecords,
   * waiting up to `timeoutMs` for some. Everything returned by the previous
   * poll counts as processed now.
   */
  async poll(options: PollOptions = {}): Promise<PartitionRecords[]> {
    this.#checkOpen()
    const timeoutMs = options.timeoutMs ?? 1000
    const deadline = Date.now() + timeoutMs
    this.#membership?.recordPoll()
    this.#applyDelivered()
    this.#maybeAutoCommit()
    for (;;) {
      await this.#positions.update(options.signal)
      this.#fetcher.schedule()
      const batches = await this.#fetcher.collect(this.options.maxPollRecords)
      if (batches.length > 0) {
        for (const b of batches) {
          const state = this.#subscriptions.get(b.topic, b.partition)
          if (state?.position) this.#delivered.set(state.key, { epoch: state.epoch, position: state.position })
        }
        return batches
      }
      const left = deadline - Date.now()
      if (left <= 0 || options.signal?.aborted || this.#closed) return []
      const waitMs =
        this.#subscriptions.needingPosition().length > 0 ? Math.min(left, this.options.retryBackoffMs) : left
      await this.#fetcher.waitForData(waitMs, options.signal)
    }
  }

  /** Commits processed offsets (autoCommit), leaves the group, stops fetching. Idempotent. */
  close(): Promise<void> {
    this.#closed ??= (async () => {
      this.#pattern = undefined
      clearTimeout(this.#patternTimer)
      this.#applyDelivered()
      try {
        if (this.#membership) await this.#membership.leave()
        else if (this.options.autoCommit && this.options.groupId && this.#mode === 'assign') await this.#commitQuietly()
      } finally {
        this.#closing.abort()
        this.#fetcher.close()
      }
    })()
    return this.#closed
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close()
  }

  #applyDelivered(): void {
    for (const [key, { epoch, position }] of this.#delivered) {
      const state = this.#subscriptions.assigned.find((s) => s.key === key)
      if (state && state.epoch === epoch && (!state.processed || state.processed.offset < position.offset)) {
        state.processed = position
      }
    }
    this.#delivered.clear()
  }

  #maybeAutoCommit(): void {
    if (!this.options.autoCommit || !this.options.groupId || Date.now() < this.#nextAutoCommit) return
    if (this.#autoCommitPending) return
    this.#nextAutoCommit = Date.now() + this.options.autoCommitIntervalMs
    this.#autoCommitPending = true
    void this.#commitQuietly().finally(() => {
      this.#autoCommitPending = false
    })
  }

  /** Runs `commit` once every commit started before it has settled. */
  #inOrder(commit: () => Promise<void>): Promise<void> {
    const run = this.#commitTail.then(commit)
    this.#commitTail = run.catch(() => {})
    return run
  }

  /** Auto commit: only offsets that moved; failures are logged (the next commit covers them), as Java's async commits. */
  async #commitQuietly(partitions?: readonly TopicPartition[]): Promise<void> {
    this.#applyDelivered()
    try {
      // The offsets are read when the commit goes out, after those before it: the newest processed ones.
      await this.#inOrder(async () => {
        const list = processedOffsets(this.#subscriptions, partitions).filter(
          (o) => this.#lastCommitted.get(partitionKey(o.topic, o.partition)) !== o.offset,
        )
        if (list.length === 0) return
        await this.#committed.commit(this.groupMetadata, list)
        for (const o of list) this.#lastCommitted.set(partitionKey(o.topic, o.partition), o.offset)
      })
    } catch (error) {
      this.#client.logger.warn('offset commit failed', { error: (error as Error).message })
    }
  }

  #groupIdFor(call: string): string {
    const groupId = this.options.groupId
    if (groupId === undefined) throw new InvalidMessageError(`${call} needs a groupId in the consumer options`)
    return groupId
  }

  #checkOpen(): void {
    if (this.#closed) throw new ConsumerClosedError('the consumer is closed: create a new one')
  }

  #state(tp: TopicPartition, call: string) {
    checkPartition(tp, call)
    const state = this.#subscriptions.get(tp.topic, tp.partition)
    if (!state) {
      throw new InvalidMessageError(`${call}: ${tp.topic}-${tp.partition} is not assigned to this consumer`)
    }
    return state
  }

  #states(partitions: readonly TopicPartition[] | undefined, call: string) {
    return partitions === undefined ? this.#subscriptions.assigned : partitions.map((tp) => this.#state(tp, call))
  }
}

function checkPartition(tp: TopicPartition, call: string): void {
  if (tp === null || typeof tp !== 'object' || typeof tp.topic !== 'string' || tp.topic === '') {
    throw new InvalidMessageError(`${call} needs { topic, partition } with a topic name; got ${JSON.stringify(tp)}`)
  }
  if (!Number.isInteger(tp.partition) || tp.partition < 0) {
    throw new InvalidMessageError(
      `${call}: partition of ${tp.topic} must be an integer >= 0; got ${String(tp.partition)}`,
    )
  }
}
