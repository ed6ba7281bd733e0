/**
 * The rebalance state machine of classic groups, after Kafka's
 * GroupMetadataManager: PreparingRebalance waits until every member has
 * rejoined (or the longest rebalance timeout passes, dropping dynamic members
 * that did not), CompletingRebalance answers the joins and waits for the
 * leader's SyncGroup, Stable hands out assignments. Session timers drop members
 * that stop heartbeating. Everything runs synchronously, from a request or a
 * timer, so no two steps interleave.
 */
import type { ClassicGroup } from './classic-group.js'
import { ErrorCode } from './error-codes.js'
import type { GroupCoordinatorState } from './group-coordinator.js'
import { EMPTY_ASSIGNMENT, type GroupMember } from './group-member.js'
import { joinAnswer, joinError, syncAnswer, syncError } from './group-responses.js'
import { heartbeatKey, joinKey, syncKey } from './group-timers.js'

type Coordinator = GroupCoordinatorState

/** Restarts the member's session: it is dropped unless it heartbeats (or is parked in a rebalance) within `timeoutMs`. */
export function rescheduleHeartbeat(
  coordinator: Coordinator,
  group: ClassicGroup,
  member: GroupMember,
  timeoutMs = member.sessionTimeoutMs,
): void {
  const { groupId } = group
  const { memberId } = member
  coordinator.timers.schedule(heartbeatKey(groupId, memberId), timeoutMs, () =>
    expireHeartbeat(coordinator, groupId, memberId),
  )
}

/** A member id handed out with MEMBER_ID_REQUIRED is forgotten if the client does not join with it within its session. */
export function schedulePendingMemberExpiry(
  coordinator: Coordinator,
  group: ClassicGroup,
  memberId: string,
  sessionTimeoutMs: number,
): void {
  const { groupId } = group
  coordinator.timers.schedule(heartbeatKey(groupId, memberId), sessionTimeoutMs, () =>
    expireHeartbeat(coordinator, groupId, memberId),
  )
}

function expireHeartbeat(coordinator: Coordinator, groupId: string, memberId: string): void {
  const group = coordinator.group(groupId)
  if (!group || group.is('Dead')) return
  if (group.pendingJoinMembers.has(memberId)) {
    group.remove(memberId)
    if (group.is('PreparingRebalance') && group.hasAllMembersJoined()) completeJoin(coordinator, group)
    return
  }
  const member = group.member(memberId)
  if (member && !member.hasSatisfiedHeartbeat()) removeMemberAndUpdateGroup(coordinator, group, member)
}

/**
 * Drops a member (session expired): a JoinGroup it still has parked gets
 * UNKNOWN_MEMBER_ID so a live client rejoins, and the others rebalance.
 */
export function removeMemberAndUpdateGroup(coordinator: Coordinator, group: ClassicGroup, member: GroupMember): void {
  member.completeJoin(joinError('', ErrorCode.UNKNOWN_MEMBER_ID))
  group.remove(member.memberId)
  coordinator.timers.cancel(heartbeatKey(group.groupId, member.memberId))
  if (group.is('Stable') || group.is('CompletingRebalance')) {
    maybePrepareRebalanceOrCompleteJoin(coordinator, group)
  } else if (group.is('PreparingRebalance') && group.hasAllMembersJoined()) {
    completeJoin(coordinator, group)
  }
}

export function maybePrepareRebalanceOrCompleteJoin(coordinator: Coordinator, group: ClassicGroup): void {
  if (group.canRebalance) prepareRebalance(coordinator, group)
  else maybeCompleteJoinPhase(coordinator, group)
}

/**
 * Completes the join phase if every member has rejoined, except during the
 * initial rebalance of an empty group, which its delay timer completes.
 */
export function maybeCompleteJoinPhase(coordinator: Coordinator, group: ClassicGroup): void {
  if (!group.is('PreparingRebalance') || group.previousState === 'Empty') return
  if (group.hasAllMembersJoined()) completeJoin(coordinator, group)
}

/** Starts a rebalance: members waiting in SyncGroup are told REBALANCE_IN_PROGRESS so they rejoin. */
export function prepareRebalance(coordinator: Coordinator, group: ClassicGroup): void {
  if (group.is('CompletingRebalance')) resetAndPropagateAssignment(coordinator, group, ErrorCode.REBALANCE_IN_PROGRESS)
  removeSyncExpiration(coordinator, group)
  const initial = group.is('Empty')
  if (initial) {
    // A new group waits group.initial.rebalance.delay.ms for more members, extended while they keep coming.
    const delayMs = coordinator.config.initialRebalanceDelayMs
    const remainingMs = Math.max(group.rebalanceTimeoutMs - delayMs, 0)
    scheduleInitialRebalance(coordinator, group.groupId, delayMs, remainingMs)
  }
  group.transitionTo('PreparingRebalance')
  if (initial) return
  if (group.hasAllMembersJoined()) {
    completeJoin(coordinator, group)
  } else {
    const { groupId } = group
    coordinator.timers.schedule(joinKey(groupId), group.rebalanceTimeoutMs, () => completeJoinOf(coordinator, groupId))
  }
}

function scheduleInitialRebalance(coordinator: Coordinator, groupId: string, delayMs: number, remainingMs: number) {
  coordinator.timers.schedule(joinKey(groupId), delayMs, () => {
    const group = coordinator.group(groupId)
    if (!group) return
    if (group.newMemberAdded && remainingMs !== 0) {
      group.newMemberAdded = false
      const nextDelayMs = Math.min(coordinator.config.initialRebalanceDelayMs, remainingMs)
      scheduleInitialRebalance(coordinator, groupId, nextDelayMs, Math.max(remainingMs - delayMs, 0))
    } else {
      completeJoin(coordinator, group)
    }
  })
}

function completeJoinOf(coordinator: Coordinator, groupId: string): void {
  const group = coordinator.group(groupId)
  if (group) completeJoin(coordinator, group)
}

/**
 * Ends the join phase: dynamic members that did not rejoin are dropped, the
 * generation advances, every parked JoinGroup is answered (the leader's with
 * the members' metadata), and the group waits for SyncGroup.
 */
export function completeJoin(coordinator: Coordinator, group: ClassicGroup): void {
  const { groupId } = group
  coordinator.timers.cancel(joinKey(groupId))
  if (!group.is('PreparingRebalance')) return
  for (const member of [...group.members.values()]) {
    if (member.awaitingJoin || member.isStatic) continue
    group.remove(member.memberId)
    coordinator.timers.cancel(heartbeatKey(groupId, member.memberId))
  }
  if (!group.maybeElectNewJoinedLeader() && group.members.size > 0) {
    // Nobody rejoined: wait another round, until sessions expire the silent members.
    coordinator.timers.schedule(joinKey(groupId), group.rebalanceTimeoutMs, () => completeJoinOf(coordinator, groupId))
    return
  }
  group.initNextGeneration()
  if (group.is('Empty')) return
  for (const member of group.members.values()) {
    member.completeJoin(joinAnswer(group, member.memberId, { withMembers: group.isLeader(member.memberId) }))
    rescheduleHeartbeat(coordinator, group, member)
    member.isNew = false
    group.pendingSyncMembers.add(member.memberId)
  }
  const generationId = group.generationId
  coordinator.timers.schedule(syncKey(groupId), group.rebalanceTimeoutMs, () =>
    expirePendingSync(coordinator, groupId, generationId),
  )
}

/** Members that got their JoinGroup answer but never sent SyncGroup are dropped, and the group rebalances without them. */
function expirePendingSync(coordinator: Coordinator, groupId: string, generationId: number): void {
  const group = coordinator.group(groupId)
  if (!group || group.generationId !== generationId) return
  if (!group.is('CompletingRebalance') && !group.is('Stable')) return
  if (group.pendingSyncMembers.size === 0) return
  for (const memberId of [...group.pendingSyncMembers]) {
    group.remove(memberId)
    coordinator.timers.cancel(heartbeatKey(groupId, memberId))
  }
  prepareRebalance(coordinator, group)
}

function removeSyncExpiration(coordinator: Coordinator, group: ClassicGroup): void {
  group.pendingSyncMembers.clear()
  coordinator.timers.cancel(syncKey(group.groupId))
}

/** A member sent SyncGroup: once all have, the pending-sync deadline is off. */
export function removePendingSyncMember(coordinator: Coordinator, group: ClassicGroup, memberId: string): void {
  group.pendingSyncMembers.delete(memberId)
  const waiting = group.is('CompletingRebalance') || group.is('Stable')
  if (!waiting || group.pendingSyncMembers.size === 0) coordinator.timers.cancel(syncKey(group.groupId))
}

/** Stores the leader's assignments (an empty one for members it left out) and answers every parked SyncGroup. */
export function setAndPropagateAssignment(
  coordinator: Coordinator,
  group: ClassicGroup,
  assignments: ReadonlyMap<string, Buffer>,
): void {
  for (const member of group.members.values()) member.assignment = assignments.get(member.memberId) ?? EMPTY_ASSIGNMENT
  propagateAssignment(coordinator, group, ErrorCode.NONE)
}

function resetAndPropagateAssignment(coordinator: Coordinator, group: ClassicGroup, errorCode: number): void {
  for (const member of group.members.values()) member.assignment = EMPTY_ASSIGNMENT
  propagateAssignment(coordinator, group, errorCode)
}

function propagateAssignment(coordinator: Coordinator, group: ClassicGroup, errorCode: number): void {
  for (const member of group.members.values()) {
    const response = errorCode === ErrorCode.NONE ? syncAnswer(group, member.assignment) : syncError(errorCode)
    // The session restarts when the answer goes out: expiries while it was parked were ignored.
    if (member.completeSync(response)) rescheduleHeartbeat(coordinator, group, member)
  }
}
