import { randomUUID } from 'node:crypto'
import type { JoinGroupResponseJoinGroupResponseMember } from '@kafkit/protocol'
import { CONSUMER_PROTOCOL_TYPE, subscribedTopics } from './consumer-subscription.js'
import { ErrorCode } from './error-codes.js'
import { GroupMember, type MemberProtocol } from './group-member.js'
import { joinError, syncError } from './group-responses.js'

export type GroupStateName = 'Empty' | 'PreparingRebalance' | 'CompletingRebalance' | 'Stable' | 'Dead'

/** The states each state may be entered from, as in Kafka's ClassicGroupState. */
const VALID_PREVIOUS: Record<GroupStateName, readonly GroupStateName[]> = {
  Empty: ['PreparingRebalance'],
  PreparingRebalance: ['Stable', 'CompletingRebalance', 'Empty'],
  CompletingRebalance: ['PreparingRebalance'],
  Stable: ['CompletingRebalance'],
  Dead: ['Stable', 'PreparingRebalance', 'CompletingRebalance', 'Empty', 'Dead'],
}

/**
 * A classic consumer group (JoinGroup/SyncGroup protocol): its members, state,
 * generation, leader and selected protocol. This class keeps the group's
 * bookkeeping consistent; the rebalance decisions live in rebalance.ts and the
 * request handlers, as Kafka splits ClassicGroup from GroupMetadataManager.
 */
export class ClassicGroup {
  state: GroupStateName = 'Empty'
  previousState: GroupStateName = 'Empty'
  generationId = 0
  /** Null for a "simple" group, created by an offset commit outside group management. */
  protocolType: string | null = null
  protocolName: string | null = null
  leaderId: string | null = null
  readonly members = new Map<string, GroupMember>()
  /** Member id of each static member, by group instance id. */
  readonly staticMembers = new Map<string, string>()
  /** Member ids handed out with MEMBER_ID_REQUIRED that have not joined with them yet. */
  readonly pendingJoinMembers = new Set<string>()
  /** Members that got their JoinGroup answer and have not sent SyncGroup yet. */
  readonly pendingSyncMembers = new Set<string>()
  /** A member joined during the initial rebalance delay, so the delay is extended. */
  newMemberAdded = false
  /** Topics the members subscribe to (consumer protocol), undefined when unknown. */
  subscribedTopics: ReadonlySet<string> | undefined
  private readonly protocolVotes = new Map<string, number>()

  constructor(readonly groupId: string) {}

  is(state: GroupStateName): boolean {
    return this.state === state
  }

  get canRebalance(): boolean {
    return VALID_PREVIOUS.PreparingRebalance.includes(this.state)
  }

  transitionTo(state: GroupStateName): void {
    if (!VALID_PREVIOUS[state].includes(this.state)) {
      throw new Error(`group ${this.groupId} cannot go from ${this.state} to ${state}`)
    }
    this.previousState = this.state
    this.state = state
  }

  member(memberId: string): GroupMember | undefined {
    return this.members.get(memberId)
  }

  isLeader(memberId: string): boolean {
    return this.leaderId === memberId
  }

  staticMemberId(groupInstanceId: string): string | undefined {
    return this.staticMembers.get(groupInstanceId)
  }

  /**
   * Whether a request may act for this member: a static member must use the
   * member id its instance id maps to (another one was fenced by a restart).
   */
  validateMember(memberId: string, groupInstanceId: string | null): number {
    if (groupInstanceId !== null) {
      const current = this.staticMembers.get(groupInstanceId)
      if (current === undefined) return ErrorCode.UNKNOWN_MEMBER_ID
      if (current !== memberId) return ErrorCode.FENCED_INSTANCE_ID
    }
    return this.members.has(memberId) ? ErrorCode.NONE : ErrorCode.UNKNOWN_MEMBER_ID
  }

  generateMemberId(clientId: string, groupInstanceId: string | null): string {
    return `${groupInstanceId ?? clientId}-${randomUUID()}`
  }

  add(member: GroupMember): void {
    if (member.groupInstanceId !== null) this.staticMembers.set(member.groupInstanceId, member.memberId)
    if (this.members.size === 0) this.protocolType = member.protocolType
    if (this.leaderId === null) this.leaderId = member.memberId
    this.members.set(member.memberId, member)
    this.countVotes(member.protocols, 1)
    this.pendingJoinMembers.delete(member.memberId)
  }

  remove(memberId: string): void {
    const removed = this.members.get(memberId)
    if (removed) {
      this.members.delete(memberId)
      this.countVotes(removed.protocols, -1)
      if (removed.groupInstanceId !== null) this.staticMembers.delete(removed.groupInstanceId)
    }
    if (this.isLeader(memberId)) this.leaderId = this.members.keys().next().value ?? null
    this.pendingJoinMembers.delete(memberId)
    this.pendingSyncMembers.delete(memberId)
  }

  /**
   * Hands a static member's place, assignment and leadership to a new member
   * id (the instance restarted); a request still parked under the old id is
   * answered FENCED_INSTANCE_ID.
   */
  replaceStaticMember(groupInstanceId: string, oldMemberId: string, newMemberId: string): GroupMember {
    const old = this.members.get(oldMemberId)
    if (!old) throw new Error(`group ${this.groupId} has no member ${oldMemberId} to replace`)
    this.members.delete(oldMemberId)
    old.completeJoin(joinError(oldMemberId, ErrorCode.FENCED_INSTANCE_ID))
    old.completeSync(syncError(ErrorCode.FENCED_INSTANCE_ID))
    const replacement = new GroupMember(
      newMemberId,
      old.groupInstanceId,
      old.clientId,
      old.clientHost,
      old.rebalanceTimeoutMs,
      old.sessionTimeoutMs,
      old.protocolType,
      old.protocols,
    )
    replacement.assignment = old.assignment
    this.members.set(newMemberId, replacement)
    if (this.isLeader(oldMemberId)) this.leaderId = newMemberId
    this.staticMembers.set(groupInstanceId, newMemberId)
    return replacement
  }

  /** Replaces a member's protocols (a rejoin), keeping the counts of supported protocols right. */
  updateProtocols(member: GroupMember, protocols: MemberProtocol[]): void {
    this.countVotes(member.protocols, -1)
    member.protocols = protocols
    this.countVotes(protocols, 1)
  }

  private countVotes(protocols: readonly MemberProtocol[], delta: number): void {
    for (const p of protocols) this.protocolVotes.set(p.name, (this.protocolVotes.get(p.name) ?? 0) + delta)
  }

  /** Protocols every member supports. */
  private candidateProtocols(): Set<string> {
    const size = this.members.size
    return new Set([...this.protocolVotes].filter(([, count]) => count === size).map(([name]) => name))
  }

  /**
   * Whether a member with this protocol type and these protocols may join: any
   * non-empty choice for an empty group, else the group's type and at least one
   * protocol every current member supports.
   */
  supportsProtocols(protocolType: string, protocols: readonly { name: string }[]): boolean {
    if (this.is('Empty')) return protocolType !== '' && protocols.length > 0
    const size = this.members.size
    return this.protocolType === protocolType && protocols.some((p) => (this.protocolVotes.get(p.name) ?? 0) === size)
  }

  /** Each member votes for its most preferred common protocol; the most votes win (the first voted on a tie). */
  selectProtocol(): string | null {
    const candidates = this.candidateProtocols()
    const votes = new Map<string, number>()
    for (const member of this.members.values()) {
      const choice = member.vote(candidates)
      if (choice !== undefined) votes.set(choice, (votes.get(choice) ?? 0) + 1)
    }
    let best: string | null = null
    let bestVotes = 0
    for (const [name, count] of votes) {
      if (count > bestVotes) [best, bestVotes] = [name, count]
    }
    return best
  }

  get awaitingJoinCount(): number {
    let count = 0
    for (const member of this.members.values()) if (member.awaitingJoin) count++
    return count
  }

  hasAllMembersJoined(): boolean {
    return this.awaitingJoinCount === this.members.size && this.pendingJoinMembers.size === 0
  }

  /** The longest rebalance timeout of the members: how long a rebalance waits for them. */
  get rebalanceTimeoutMs(): number {
    let longest = 0
    for (const member of this.members.values()) longest = Math.max(longest, member.rebalanceTimeoutMs)
    return longest
  }

  /**
   * Keeps a leader that rejoined, or hands leadership to a member that did.
   * False when nobody rejoined, so the generation cannot move on.
   */
  maybeElectNewJoinedLeader(): boolean {
    if (this.leaderId === null) return false
    if (this.members.get(this.leaderId)?.awaitingJoin) return true
    for (const member of this.members.values()) {
      if (member.awaitingJoin) {
        this.leaderId = member.memberId
        return true
      }
    }
    return false
  }

  /** Starts the next generation: CompletingRebalance with a selected protocol, or Empty without members. */
  initNextGeneration(): void {
    this.generationId++
    if (this.members.size > 0) {
      this.protocolName = this.selectProtocol()
      this.subscribedTopics = this.computeSubscribedTopics()
      this.transitionTo('CompletingRebalance')
    } else {
      this.protocolName = null
      this.subscribedTopics = this.computeSubscribedTopics()
      this.transitionTo('Empty')
    }
    this.pendingSyncMembers.clear()
  }

  /** The members with their metadata for the selected protocol: what the leader assigns from. */
  joinedMembers(): JoinGroupResponseJoinGroupResponseMember[] {
    return [...this.members.values()].map((member) => ({
      memberId: member.memberId,
      groupInstanceId: member.groupInstanceId,
      metadata: member.metadataFor(this.protocolName ?? ''),
    }))
  }

  get usesConsumerProtocol(): boolean {
    return this.protocolType === CONSUMER_PROTOCOL_TYPE
  }

  /** Whether offsets of this topic are in use: unknown subscriptions of a consumer group count as subscribed. */
  isSubscribedTo(topic: string): boolean {
    return this.subscribedTopics === undefined ? this.usesConsumerProtocol : this.subscribedTopics.has(topic)
  }

  private computeSubscribedTopics(): ReadonlySet<string> | undefined {
    if (!this.usesConsumerProtocol) return undefined
    if (this.members.size === 0) return new Set()
    if (this.protocolName === null) return undefined
    const topics = new Set<string>()
    for (const member of this.members.values()) {
      const subscribed = subscribedTopics(member.metadataFor(this.protocolName))
      if (subscribed === undefined) return undefined
      for (const topic of subscribed) topics.add(topic)
    }
    return topics
  }
}
