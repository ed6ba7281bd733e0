import { randomUUID } from 'node:crypto'
import { AbortedError, backoffMs, type KafkaClient } from '@kafkit/client'
import { type ConsumerGroupHeartbeatResponse, errorFromCode } from '@kafkit/protocol'
import type { TopicPartition } from '../../assignors/types.js'
import { StableWaiters } from '../classic/stable-waiters.js'
import type { AssignmentListener, GroupMembership, GroupMetadata } from '../group-membership.js'
import { type ConsumerProtocolMembershipOptions, checkConsumerProtocolOptions } from './consumer-protocol-options.js'
import { heartbeatErrorAction } from './heartbeat-errors.js'
import { HeartbeatFields, type MemberState } from './heartbeat-fields.js'
import { byTopicId, type OwnedPartition, plain, without } from './owned-partitions.js'
import { resolveTopicIds } from './topic-ids.js'

const LEAVE_GROUP_MEMBER_EPOCH = -1
const LEAVE_GROUP_STATIC_MEMBER_EPOCH = -2
// Heartbeats get their own socket, like the classic coordinator's requests.
const PURPOSE = 'group'

/** Where the member stands, as Java's MemberState (JOINING, RECONCILING, STABLE, STALE, FATAL, LEAVING...). */
export type ConsumerProtocolMemberState = 'unjoined' | 'joining' | 'reconciling' | 'stable' | 'stale' | 'fatal' | 'left'

/**
 * A member of a KIP-848 consumer group, behaving as Java's
 * ConsumerMembershipManager and ConsumerHeartbeatRequestManager 4.1.1: one
 * ConsumerGroupHeartbeat loop at the interval the coordinator gives (sooner
 * to acknowledge a reconciliation), full requests when joining and after
 * errors, partial ones otherwise. Assignments are reconciled in order:
 * partitions leaving are revoked first (the listener commits), new ones
 * assigned, and the result acknowledged with the next heartbeat — the
 * coordinator hands a revoked partition to its next owner only after that.
 * Fenced or forgotten members lose their partitions and rejoin at epoch 0;
 * a member the application stops polling leaves and rejoins on its next poll.
 */
export class ConsumerProtocolMembership implements GroupMembership {
  readonly protocol = 'consumer'
  private memberId: string = randomUUID()
  private memberEpoch = 0
  private state: ConsumerProtocolMemberState = 'unjoined'
  private topics: readonly string[] = []
  private listener: AssignmentListener | undefined
  private owned: OwnedPartition[] = []
  /** The latest assignment from the coordinator (topic id → partitions), not yet fully reconciled when it differs from `owned`. */
  private target: Map<string, number[]> | undefined
  private reconciling: Promise<void> | undefined
  private reconcileAgain = false
  /** Bumped when the member loses its partitions, so a reconciliation in flight stops applying an outdated target. */
  private incarnation = 0
  private heartbeatIntervalMs = 0
  private nextHeartbeatAt = 0
  private attempt = 0
  private coordinator: number | undefined
  private readonly fields = new HeartbeatFields()
  private pollExpired = false
  private pollTimer: NodeJS.Timeout | undefined
  private fatal: Error | undefined
  private loop: Promise<void> | undefined
  private wakeLoop: (() => void) | undefined
  private leaving: Promise<void> | undefined
  private readonly closing = new AbortController()
  private readonly waiters = new StableWaiters()

  constructor(
    private readonly client: KafkaClient,
    private readonly options: ConsumerProtocolMembershipOptions,
  ) {
    checkConsumerProtocolOptions(options)
  }

  get groupMetadata(): GroupMetadata {
    const inGroup = this.memberEpoch > 0
    return {
      groupId: this.options.groupId,
      generationId: inGroup ? this.memberEpoch : -1,
      memberId: inGroup ? this.memberId : '',
      groupInstanceId: this.options.groupInstanceId,
    }
  }

  get assignment(): readonly TopicPartition[] {
    return plain(this.owned)
  }

  /** Java's MemberState, for tests and diagnostics. */
  get memberState(): ConsumerProtocolMemberState {
    return this.state
  }

  start(topics: readonly string[], listener: AssignmentListener): void {
    if (this.loop) throw new Error('the membership is already started')
    this.topics = [...topics]
    this.listener = listener
    this.state = 'joining'
    this.restartPollTimer()
    this.loop = this.run()
  }

  updateSubscription(topics: readonly string[]): void {
    if (this.options.subscribedTopicRegex !== null) return
    const next = new Set(topics)
    if (next.size === this.topics.length && this.topics.every((t) => next.has(t))) return
    this.topics = [...topics]
    this.heartbeatNow()
  }

  recordPoll(): void {
    if (this.leaving) return
    this.restartPollTimer()
    if (!this.pollExpired) return
    this.pollExpired = false
    if (this.state === 'stale') {
      this.options.logger.info('consumer polled again after leaving on poll timeout: rejoining the group', {
        groupId: this.options.groupId,
      })
      this.state = 'joining'
      this.heartbeatNow()
    }
  }

  whenStable(signal?: AbortSignal): Promise<void> {
    if (this.fatal) return Promise.reject(this.fatal)
    if (this.state === 'left') return Promise.reject(new AbortedError('the consumer left the group'))
    if (this.state === 'stable') return Promise.resolve()
    return this.waiters.wait(signal)
  }

  leave(): Promise<void> {
    this.leaving ??= this.doLeave()
    return this.leaving
  }

  private async doLeave(): Promise<void> {
    clearTimeout(this.pollTimer)
    this.closing.abort(new AbortedError('the consumer left the group'))
    this.wakeLoop?.()
    await this.loop?.catch(() => {})
    await this.reconciling?.catch(() => {})
    const wasMember = this.memberEpoch > 0
    if (this.owned.length > 0) {
      const revoked = this.owned
      this.owned = []
      await this.callListener('onRevoked', plain(revoked))
    }
    if (wasMember) await this.sendLeave()
    this.memberEpoch = 0
    this.state = 'left'
    this.waiters.rejectAll(new AbortedError('the consumer left the group'))
  }

  private async sendLeave(): Promise<void> {
    const epoch = this.options.groupInstanceId === null ? LEAVE_GROUP_MEMBER_EPOCH : LEAVE_GROUP_STATIC_MEMBER_EPOCH
    try {
      const coordinator = this.coordinator ?? (await this.client.cluster.findCoordinator('group', this.options.groupId))
      const response = await this.client.cluster.request(
        coordinator,
        'ConsumerGroupHeartbeat',
        {
          groupId: this.options.groupId,
          memberId: this.memberId,
          memberEpoch: epoch,
          instanceId: this.options.groupInstanceId,
          rackId: null,
          rebalanceTimeoutMs: -1,
          subscribedTopicNames: null,
          subscribedTopicRegex: null,
          serverAssignor: null,
          topicPartitions: null,
        },
        { purpose: PURPOSE, timeoutMs: this.options.requestTimeoutMs },
      )
      if (response.errorCode !== 0) {
        this.options.logger.warn('leaving the consumer group failed', {
          groupId: this.options.groupId,
          error: errorFromCode(response.errorCode)?.message,
        })
      }
    } catch (error) {
      // The session timeout removes the member anyway.
      this.options.logger.warn('leaving the consumer group failed', {
        groupId: this.options.groupId,
        error: (error as Error).message,
      })
    }
  }

  private async run(): Promise<void> {
    const signal = this.closing.signal
    while (!signal.aborted) {
      if (this.state === 'fatal') return
      if (this.pollExpired && this.state !== 'stale') {
        await this.leaveOnPollTimeout()
        continue
      }
      const wait = this.state === 'stale' ? Number.POSITIVE_INFINITY : this.nextHeartbeatAt - Date.now()
      if (wait > 0) {
        await this.sleep(wait)
        continue
      }
      await this.heartbeat()
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = Number.isFinite(ms) ? setTimeout(done, ms) : undefined
      function done() {
        clearTimeout(timer)
        resolve()
      }
      this.wakeLoop = done
    })
  }

  private heartbeatNow(): void {
    this.nextHeartbeatAt = 0
    this.wakeLoop?.()
  }

  private memberFields(): MemberState {
    const regex = this.options.subscribedTopicRegex
    return {
      instanceId: this.options.groupInstanceId,
      rackId: this.options.clientRack,
      rebalanceTimeoutMs: this.options.rebalanceTimeoutMs,
      serverAssignor: this.options.serverAssignor,
      subscribedTopicNames: regex === null ? [...this.topics] : null,
      subscribedTopicRegex: regex,
      owned: byTopicId(this.owned),
    }
  }

  private async heartbeat(): Promise<void> {
    const joining = this.memberEpoch === 0
    const state = this.memberFields()
    const request = {
      groupId: this.options.groupId,
      memberId: this.memberId,
      memberEpoch: this.memberEpoch,
      ...this.fields.build(state, joining),
    }
    let response: ConsumerGroupHeartbeatResponse
    try {
      this.coordinator ??= await this.client.cluster.findCoordinator('group', this.options.groupId, {
        signal: this.closing.signal,
      })
      response = await this.client.cluster.request(this.coordinator, 'ConsumerGroupHeartbeat', request, {
        purpose: PURPOSE,
        signal: this.closing.signal,
        timeoutMs: this.options.requestTimeoutMs,
      })
    } catch (error) {
      if (this.closing.signal.aborted) return
      this.options.logger.warn('consumer group heartbeat failed; retrying', {
        groupId: this.options.groupId,
        error: (error as Error).message,
      })
      this.coordinatorLost()
      this.retryLater()
      return
    }
    if (this.closing.signal.aborted) return
    if (response.errorCode !== 0) {
      await this.onHeartbeatError(response)
      return
    }
    this.attempt = 0
    this.fields.commit(state)
    if (response.memberId) this.memberId = response.memberId
    this.memberEpoch = response.memberEpoch
    this.heartbeatIntervalMs = response.heartbeatIntervalMs
    this.nextHeartbeatAt = Date.now() + this.heartbeatIntervalMs
    if (response.assignment) {
      this.target = new Map(
        response.assignment.topicPartitions.map(({ topicId, partitions }) => [
          topicId,
          [...partitions].sort((a, b) => a - b),
        ]),
      )
    }
    if (this.reconciled()) this.markStable()
    else this.maybeReconcile()
  }

  private async onHeartbeatError(response: ConsumerGroupHeartbeatResponse): Promise<void> {
    const error = errorFromCode(response.errorCode, {
      api: 'ConsumerGroupHeartbeat',
      entity: this.options.groupId,
      ...(response.errorMessage ? { detail: response.errorMessage } : {}),
    })
    const message = error?.message ?? `error ${response.errorCode}`
    switch (heartbeatErrorAction(response.errorCode)) {
      case 'coordinator':
        this.options.logger.info('group coordinator moved; looking it up again', { groupId: this.options.groupId })
        this.coordinatorLost()
        this.retryLater()
        return
      case 'retry':
        this.fields.reset()
        this.retryLater()
        return
      case 'fenced':
        this.options.logger.warn('member lost its place in the consumer group; rejoining', {
          groupId: this.options.groupId,
          memberId: this.memberId,
          memberEpoch: this.memberEpoch,
          error: message,
        })
        await this.loseAssignment()
        this.state = 'joining'
        this.heartbeatNow()
        return
      case 'fatal':
        this.options.logger.error('consumer group heartbeat failed for good', {
          groupId: this.options.groupId,
          error: message,
        })
        this.fatal = error ?? new Error(message)
        this.state = 'fatal'
        this.waiters.rejectAll(this.fatal)
        return
    }
  }

  private coordinatorLost(): void {
    this.client.cluster.invalidateCoordinator('group', this.options.groupId)
    this.coordinator = undefined
    this.fields.reset()
  }

  private retryLater(): void {
    this.nextHeartbeatAt = Date.now() + backoffMs(this.attempt++, this.options)
  }

  /** Fenced, forgotten or stale: the partitions already belong to someone else, so nothing is committed for them. */
  private async loseAssignment(): Promise<void> {
    this.incarnation++
    const lost = this.owned
    this.owned = []
    this.target = undefined
    this.memberEpoch = 0
    this.fields.reset()
    if (lost.length > 0) await this.callListener('onLost', plain(lost))
  }

  private async leaveOnPollTimeout(): Promise<void> {
    this.options.logger.warn(
      'consumer poll timeout has expired: the application spent more than maxPollIntervalMs between polls; leaving the group',
      { groupId: this.options.groupId, maxPollIntervalMs: this.options.maxPollIntervalMs },
    )
    if (this.memberEpoch > 0) await this.sendLeave()
    await this.loseAssignment()
    this.state = 'stale'
  }

  private restartPollTimer(): void {
    clearTimeout(this.pollTimer)
    this.pollTimer = setTimeout(() => {
      this.pollExpired = true
      this.wakeLoop?.()
    }, this.options.maxPollIntervalMs)
    this.pollTimer.unref()
  }

  /** Whether the member owns exactly its latest assignment. */
  private reconciled(): boolean {
    if (this.target === undefined) return false
    const owned = byTopicId(this.owned)
    const target = [...this.target].filter(([, partitions]) => partitions.length > 0)
    if (owned.size !== target.length) return false
    return target.every(([topicId, partitions]) => {
      const mine = owned.get(topicId)
      return mine !== undefined && mine.length === partitions.length && partitions.every((p, i) => mine[i] === p)
    })
  }

  private markStable(): void {
    if (this.memberEpoch <= 0 || this.reconciling) return
    if (this.state !== 'stable') {
      this.options.logger.debug('member is stable in the consumer group', {
        groupId: this.options.groupId,
        memberEpoch: this.memberEpoch,
        partitions: this.owned.length,
      })
    }
    this.state = 'stable'
    this.waiters.resolveAll()
  }

  private maybeReconcile(): void {
    if (this.reconciling) {
      this.reconcileAgain = true
      return
    }
    this.state = 'reconciling'
    this.reconciling = this.reconcile()
      .catch((error: Error) => {
        this.options.logger.warn('reconciling the assignment failed; retrying on the next heartbeat', {
          groupId: this.options.groupId,
          error: error.message,
        })
      })
      .finally(() => {
        this.reconciling = undefined
        if (this.closing.signal.aborted || this.state === 'fatal') return
        if (this.reconcileAgain) {
          this.reconcileAgain = false
          this.maybeReconcile()
        } else if (this.reconciled()) {
          this.markStable()
        }
      })
  }

  private async reconcile(): Promise<void> {
    const target = this.target
    if (!target) return
    const incarnation = this.incarnation
    const names = await resolveTopicIds(this.client, target.keys(), this.closing.signal)
    if (incarnation !== this.incarnation) return
    const wanted: OwnedPartition[] = []
    for (const [topicId, partitions] of target) {
      const topic = names.get(topicId)
      // An id the metadata does not know yet waits for a later heartbeat, as Java's reconciliation does.
      if (topic === undefined) continue
      for (const partition of partitions) wanted.push({ topic, topicId, partition })
    }
    const revoked = without(this.owned, wanted)
    const added = without(wanted, this.owned)
    if (revoked.length > 0) {
      // Revocation first: the listener commits what was processed while the member still owns the partitions.
      await this.callListener('onRevoked', plain(revoked))
      if (incarnation !== this.incarnation) return
      this.owned = without(this.owned, revoked)
    }
    if (added.length > 0) {
      this.owned = [...this.owned, ...added]
      await this.callListener('onAssigned', plain(added))
      if (incarnation !== this.incarnation) return
    }
    // Acknowledge at once: the coordinator moves revoked partitions on only when a heartbeat says they are gone.
    if (revoked.length > 0 || added.length > 0) this.heartbeatNow()
  }

  private async callListener(method: keyof AssignmentListener, partitions: TopicPartition[]): Promise<void> {
    if (!this.listener) return
    try {
      await this.listener[method](partitions)
    } catch (error) {
      this.options.logger.error(`the rebalance listener's ${method} failed`, {
        groupId: this.options.groupId,
        error: (error as Error).message,
      })
    }
  }
}
