import { AbortedError, type KafkaClient } from '@kafkit/client'
import { errorFromCode, type JoinGroupResponse } from '@kafkit/protocol'
import { CONSUMER_PROTOCOL_TYPE, decodeAssignment, encodeSubscription } from '../../assignors/consumer-protocol.js'
import type { MemberHistory, RebalanceProtocol, TopicPartition } from '../../assignors/types.js'
import type { AssignmentListener, GroupMembership, GroupMetadata } from '../group-membership.js'
import {
  type ClassicMembershipOptions,
  checkClassicOptions,
  rebalanceProtocolOf,
} from './classic-membership-options.js'
import { actionFor, MEMBER_ID_REQUIRED } from './group-errors.js'
import { Heartbeat } from './heartbeat.js'
import { assignAsLeader, partitionCounts } from './leader-assignment.js'
import { difference, sameTopics } from './partition-sets.js'
import { StableWaiters } from './stable-waiters.js'

/** Java's MemberState: UNJOINED, PREPARING_REBALANCE (JoinGroup), COMPLETING_REBALANCE (SyncGroup), STABLE. */
export type ClassicMemberState = 'unjoined' | 'preparing' | 'completing' | 'stable'

// Java's JOIN_GROUP_TIMEOUT_LAPSE: the coordinator may hold JoinGroup for the whole rebalance timeout.
const JOIN_GROUP_TIMEOUT_LAPSE_MS = 5000
// Coordinator requests get their own socket: a JoinGroup the broker parks for a whole
// rebalance must not hold up metadata or fetch requests queued behind it.
const PURPOSE = 'group'

/**
 * A member of a classic consumer group (JoinGroup / SyncGroup / Heartbeat /
 * LeaveGroup), behaving as Java's ConsumerCoordinator and AbstractCoordinator
 * 4.1.1: eager or cooperative (KIP-429) rebalancing, static membership (KIP-345),
 * member id required on first join (KIP-394). A background loop joins and
 * rejoins; heartbeats run on their own timer and never wait for the application,
 * which only has to call recordPoll() within maxPollIntervalMs.
 */
export class ClassicMembership implements GroupMembership {
  readonly protocol = 'classic'
  readonly rebalanceProtocol: RebalanceProtocol
  private state: ClassicMemberState = 'unjoined'
  private memberId = ''
  private generationId = -1
  private topics: readonly string[] = []
  private joinedTopics: readonly string[] = []
  private listener: AssignmentListener | undefined
  private owned: readonly TopicPartition[] = []
  private history: MemberHistory | undefined
  private needsRejoin = true
  private needsJoinPrepare = true
  private rejoinReason = 'joining the group'
  private pollExpired = false
  /** As leader: partitions per topic of the last assignment, to rebalance when a topic grows. */
  private assignedCounts: ReadonlyMap<string, number> | undefined
  private fatal: Error | undefined
  private loop: Promise<void> | undefined
  private wakeLoop: (() => void) | undefined
  private pollTimer: NodeJS.Timeout | undefined
  private leaving: Promise<void> | undefined
  private readonly closing = new AbortController()
  private readonly heartbeat: Heartbeat
  private readonly waiters = new StableWaiters()

  constructor(
    private readonly client: KafkaClient,
    private readonly options: ClassicMembershipOptions,
  ) {
    checkClassicOptions(options)
    this.rebalanceProtocol = rebalanceProtocolOf(options.assignors)
    this.heartbeat = new Heartbeat(client.cluster, options, {
      identity: () => ({ generationId: this.generationId, memberId: this.memberId }),
      isStable: () => this.state === 'stable',
      onRejoinNeeded: (reason) => this.requestRejoin(reason),
      onGenerationLost: (reason, resetMemberId) => this.loseGeneration(reason, resetMemberId),
      onFatal: (error) => this.fail(error),
      onBeat: () => this.checkMetadata(),
    })
  }

  get groupMetadata(): GroupMetadata {
    return {
      groupId: this.options.groupId,
      generationId: this.generationId,
      memberId: this.memberId,
      groupInstanceId: this.options.groupInstanceId,
    }
  }

  get assignment(): readonly TopicPartition[] {
    return this.owned
  }

  /** Where the member is in the rebalance protocol (for tests and diagnostics). */
  get memberState(): ClassicMemberState {
    return this.state
  }

  start(topics: readonly string[], listener: AssignmentListener): void {
    if (this.loop !== undefined) throw new Error('the membership is already started: call updateSubscription() instead')
    if (this.leaving !== undefined) throw new Error('the membership has left its group: create a new one')
    this.topics = [...topics]
    this.listener = listener
    this.armPollTimer()
    this.loop = this.run()
  }

  updateSubscription(topics: readonly string[]): void {
    if (sameTopics(topics, this.topics)) return
    this.topics = [...topics]
    this.requestRejoin('the subscription changed')
  }

  recordPoll(): void {
    if (this.loop === undefined || this.leaving !== undefined) return
    this.armPollTimer()
    if (this.pollExpired) {
      this.pollExpired = false
      this.wake()
    }
  }

  whenStable(signal?: AbortSignal): Promise<void> {
    if (this.fatal) return Promise.reject(this.fatal)
    if (this.isStable()) return Promise.resolve()
    return this.waiters.wait(signal)
  }

  leave(): Promise<void> {
    this.leaving ??= this.leaveGroup()
    return this.leaving
  }

  private isStable(): boolean {
    return this.state === 'stable' && !this.needsRejoin && !this.pollExpired
  }

  private async run(): Promise<void> {
    let attempt = 0
    while (!this.closing.signal.aborted && this.fatal === undefined) {
      if (!this.needsRejoin || this.pollExpired) {
        await new Promise<void>((resolve) => {
          this.wakeLoop = resolve
        })
        continue
      }
      try {
        await this.rebalance()
        attempt = 0
      } catch (error) {
        if (this.closing.signal.aborted) break
        const action = actionFor(error)
        this.options.logger.info('classic group join failed', {
          groupId: this.options.groupId,
          error: (error as Error).message,
          action,
        })
        if (action === 'fatal') {
          this.fail(error as Error)
          break
        }
        if (action === 'resetGeneration' || action === 'resetMember') {
          this.loseGeneration(`${(error as Error).message}`, action === 'resetMember')
          continue
        }
        if (action === 'rejoin') continue
        if (action === 'findCoordinator') this.client.cluster.invalidateCoordinator('group', this.options.groupId)
        await this.sleep(this.backoff(attempt++))
      }
    }
  }

  /** One JoinGroup + SyncGroup round; throws the errors `run` decides on. */
  private async rebalance(): Promise<void> {
    if (this.needsJoinPrepare || (this.generationId === -1 && this.owned.length > 0)) {
      await this.prepareJoin()
      this.needsJoinPrepare = false
    }
    const signal = this.closing.signal
    const coordinator = await this.client.cluster.findCoordinator('group', this.options.groupId, { signal })
    this.state = 'preparing'
    this.heartbeat.stop()
    const joined = await this.joinGroup(coordinator)
    this.memberId = joined.memberId
    this.generationId = joined.generationId
    if (await this.abandonedAfterPollTimeout()) return
    this.state = 'completing'
    this.heartbeat.start()
    const assignor = this.options.assignors.find((a) => a.name === joined.protocolName)
    if (assignor === undefined)
      throw new Error(`the coordinator chose protocol ${joined.protocolName}, which no assignor here names`)
    // A static leader that rejoined a stable group keeps the current assignment (skipAssignment, KIP-814).
    const leader =
      joined.leader === joined.memberId && !joined.skipAssignment
        ? await assignAsLeader(this.client.cluster, assignor, joined.members, {
            signal,
            logger: this.options.logger,
            cooperative: this.rebalanceProtocol === 'COOPERATIVE',
          })
        : undefined
    this.assignedCounts = leader?.partitionCounts
    const assignments = leader?.assignments ?? []
    const synced = await this.client.cluster.request(
      coordinator,
      'SyncGroup',
      {
        groupId: this.options.groupId,
        generationId: joined.generationId,
        memberId: joined.memberId,
        groupInstanceId: this.options.groupInstanceId,
        protocolType: CONSUMER_PROTOCOL_TYPE,
        protocolName: joined.protocolName,
        assignments,
      },
      { purpose: PURPOSE, signal, timeoutMs: this.joinTimeoutMs() },
    )
    const error = errorFromCode(synced.errorCode, { api: 'SyncGroup', entity: this.options.groupId })
    if (error) {
      if (actionFor(error) === 'rejoin') this.requestRejoin('the group rebalanced during SyncGroup')
      throw error
    }
    if (await this.abandonedAfterPollTimeout()) return
    this.state = 'stable'
    this.needsRejoin = false
    this.rejoinReason = ''
    this.options.logger.info('joined classic group', {
      groupId: this.options.groupId,
      memberId: this.memberId,
      generationId: this.generationId,
      protocol: joined.protocolName,
    })
    await this.completeJoin(decodeAssignment(synced.assignment).partitions, joined.generationId)
    this.needsJoinPrepare = true
    if (this.isStable()) this.waiters.resolveAll()
  }

  /** JoinGroup, answering MEMBER_ID_REQUIRED (KIP-394) by joining again with the id handed out. */
  private async joinGroup(coordinator: number): Promise<JoinGroupResponse & { protocolName: string }> {
    this.joinedTopics = this.topics
    const protocols = this.options.assignors.map((assignor) => ({
      name: assignor.name,
      metadata: encodeSubscription({
        topics: this.joinedTopics,
        userData: assignor.subscriptionUserData(this.history),
        ownedPartitions: this.owned,
        generationId: this.generationId,
        rackId: this.options.clientRack,
      }),
    }))
    for (;;) {
      const response = await this.client.cluster.request(
        coordinator,
        'JoinGroup',
        {
          groupId: this.options.groupId,
          sessionTimeoutMs: this.options.sessionTimeoutMs,
          rebalanceTimeoutMs: this.options.rebalanceTimeoutMs,
          memberId: this.memberId,
          groupInstanceId: this.options.groupInstanceId,
          protocolType: CONSUMER_PROTOCOL_TYPE,
          protocols,
          reason: this.rejoinReason,
        },
        { purpose: PURPOSE, signal: this.closing.signal, timeoutMs: this.joinTimeoutMs() },
      )
      if (response.errorCode === MEMBER_ID_REQUIRED) {
        this.memberId = response.memberId
        continue
      }
      const error = errorFromCode(response.errorCode, { api: 'JoinGroup', entity: this.options.groupId })
      if (error) throw error
      if (response.protocolName === null) throw new Error('JoinGroup answered without a protocol name')
      return { ...response, protocolName: response.protocolName }
    }
  }

  /**
   * Before joining (Java's onJoinPrepare): partitions of a lost generation are lost;
   * eager members revoke everything; cooperative members keep what they own and revoke
   * only partitions of topics no longer subscribed.
   */
  private async prepareJoin(): Promise<void> {
    const listener = this.listener
    if (listener === undefined || this.owned.length === 0) return
    if (this.generationId === -1 || this.memberId === '') {
      const lost = this.owned
      this.owned = []
      await this.callListener('onLost', () => listener.onLost(lost))
    } else if (this.rebalanceProtocol === 'EAGER') {
      const revoked = this.owned
      await this.callListener('onRevoked', () => listener.onRevoked(revoked))
      this.owned = []
    } else {
      const subscribed = new Set(this.topics)
      const revoked = this.owned.filter((tp) => !subscribed.has(tp.topic))
      if (revoked.length > 0) {
        await this.callListener('onRevoked', () => listener.onRevoked(revoked))
        this.owned = difference(this.owned, revoked)
      }
    }
  }

  /**
   * After SyncGroup (Java's onJoinComplete): a cooperative member first revokes what
   * moved away and then rejoins so it can be handed to its new owner; assigned
   * partitions are announced incrementally.
   */
  private async completeJoin(assigned: readonly TopicPartition[], generationId: number): Promise<void> {
    const listener = this.listener
    if (listener === undefined) return
    this.history = { partitions: assigned, generationId }
    const revoked = difference(this.owned, assigned)
    const added = difference(assigned, this.owned)
    if (revoked.length > 0) {
      await this.callListener('onRevoked', () => listener.onRevoked(revoked))
      this.owned = difference(this.owned, revoked)
      if (this.rebalanceProtocol === 'COOPERATIVE')
        this.requestRejoin('partitions were revoked: rejoining to hand them over')
    }
    this.owned = assigned
    await this.callListener('onAssigned', () => listener.onAssigned(added))
    const subscribed = new Set(this.topics)
    if (!sameTopics(this.joinedTopics, this.topics) || assigned.some((tp) => !subscribed.has(tp.topic))) {
      this.requestRejoin('the subscription changed during the rebalance')
    }
  }

  private async callListener(name: string, call: () => Promise<void>): Promise<void> {
    try {
      await call()
    } catch (error) {
      // As in Java, a failing rebalance listener does not stop the rebalance.
      this.options.logger.error(`rebalance listener ${name} failed`, {
        groupId: this.options.groupId,
        error: (error as Error).message,
      })
    }
  }

  /**
   * The leader rebalances when a topic of the group gained partitions (or appeared)
   * since its assignment, as Java's leader compares its assignment snapshot with the
   * metadata; the consumer's periodic metadata refresh brings the news.
   */
  private checkMetadata(): void {
    const assigned = this.assignedCounts
    if (assigned === undefined || !this.isStable()) return
    const now = partitionCounts(this.client.cluster, assigned.keys())
    for (const [topic, count] of now) {
      if (count !== assigned.get(topic)) {
        this.assignedCounts = undefined
        this.requestRejoin(`the partitions of ${topic} changed`)
        return
      }
    }
  }

  private requestRejoin(reason: string): void {
    if (this.leaving !== undefined || this.fatal) return
    if (!this.needsRejoin)
      this.options.logger.info('rejoining classic group', { groupId: this.options.groupId, reason })
    this.needsRejoin = true
    this.rejoinReason = reason
    this.wake()
  }

  /** ILLEGAL_GENERATION / UNKNOWN_MEMBER_ID: the partitions are someone else's now; join as new. */
  private loseGeneration(reason: string, resetMemberId: boolean): void {
    this.generationId = -1
    if (resetMemberId) this.memberId = ''
    this.state = 'unjoined'
    this.heartbeat.stop()
    this.requestRejoin(reason)
  }

  private fail(error: Error): void {
    if (this.fatal) return
    this.options.logger.error('classic group membership failed', {
      groupId: this.options.groupId,
      error: error.message,
    })
    this.fatal = error
    this.state = 'unjoined'
    this.heartbeat.stop()
    clearTimeout(this.pollTimer)
    this.waiters.rejectAll(error)
    this.wake()
  }

  private armPollTimer(): void {
    clearTimeout(this.pollTimer)
    this.pollTimer = setTimeout(() => this.onPollTimeout(), this.options.maxPollIntervalMs)
  }

  /**
   * The application went longer than maxPollIntervalMs without asking for records:
   * as Java, leave the group (a dynamic member says so with LeaveGroup; a static one
   * lets its session expire) so others take its partitions, and rejoin on the next poll.
   */
  private onPollTimeout(): void {
    if (this.leaving !== undefined || this.fatal) return
    this.options.logger.warn(
      'consumer poll timeout has expired: the application spent more than maxPollIntervalMs between polls; leaving the group',
      { groupId: this.options.groupId, maxPollIntervalMs: this.options.maxPollIntervalMs },
    )
    this.pollExpired = true
    if (this.memberId !== '' && this.state !== 'unjoined') {
      void this.sendLeaveGroup('consumer poll timeout has expired')
    }
    this.loseGeneration('consumer poll timeout has expired', true)
  }

  /**
   * The poll timeout expired while a JoinGroup or SyncGroup was out: the answer made this
   * member part of the group again, so it leaves again instead of heartbeating on behalf of
   * an application that is not polling.
   */
  private async abandonedAfterPollTimeout(): Promise<boolean> {
    if (!this.pollExpired) return false
    await this.sendLeaveGroup('consumer poll timeout has expired')
    this.loseGeneration('consumer poll timeout has expired', true)
    return true
  }

  private async leaveGroup(): Promise<void> {
    clearTimeout(this.pollTimer)
    this.closing.abort(new Error('the member is leaving the group'))
    this.wake()
    await this.loop?.catch(() => {})
    this.heartbeat.stop()
    await this.heartbeat.idle()
    const listener = this.listener
    const owned = this.owned
    this.owned = []
    if (listener !== undefined && owned.length > 0) {
      if (this.fatal || this.generationId === -1) await this.callListener('onLost', () => listener.onLost(owned))
      else await this.callListener('onRevoked', () => listener.onRevoked(owned))
    }
    if (this.fatal === undefined && this.memberId !== '' && this.state !== 'unjoined') {
      await this.sendLeaveGroup('the consumer is being closed')
    }
    this.generationId = -1
    this.memberId = ''
    this.state = 'unjoined'
    this.waiters.rejectAll(new AbortedError(new Error('the member left the group')))
  }

  /** LeaveGroup for a dynamic member; a static member stays until its session expires (Java's default close). */
  private async sendLeaveGroup(reason: string): Promise<void> {
    if (this.options.groupInstanceId !== null) return
    const memberId = this.memberId
    try {
      const coordinator = await this.client.cluster.findCoordinator('group', this.options.groupId, {
        deadlineMs: this.options.requestTimeoutMs,
      })
      const response = await this.client.cluster.request(
        coordinator,
        'LeaveGroup',
        (version) => ({
          groupId: this.options.groupId,
          memberId: version < 3 ? memberId : '',
          members: version >= 3 ? [{ memberId, groupInstanceId: null, reason }] : [],
        }),
        { purpose: PURPOSE, timeoutMs: this.options.requestTimeoutMs },
      )
      const code = response.errorCode || (response.members[0]?.errorCode ?? 0)
      if (code !== 0) this.options.logger.info('LeaveGroup failed', { groupId: this.options.groupId, errorCode: code })
    } catch (error) {
      // Leaving is best effort: the session timeout removes the member anyway.
      this.options.logger.info('LeaveGroup failed', { groupId: this.options.groupId, error: (error as Error).message })
    }
  }

  private joinTimeoutMs(): number {
    return Math.max(this.options.requestTimeoutMs, this.options.rebalanceTimeoutMs + JOIN_GROUP_TIMEOUT_LAPSE_MS)
  }

  private backoff(attempt: number): number {
    const base = Math.min(this.options.retryBackoffMaxMs, this.options.retryBackoffMs * 2 ** attempt)
    return base * (0.8 + Math.random() * 0.4)
  }

  private wake(): void {
    const wake = this.wakeLoop
    this.wakeLoop = undefined
    wake?.()
  }

  /** Waits, waking early on leave() or a rejoin request. */
  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms)
      function done(): void {
        clearTimeout(timer)
        resolve()
      }
      this.wakeLoop = done
    })
  }
}
