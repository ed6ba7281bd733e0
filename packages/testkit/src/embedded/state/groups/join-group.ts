/**
 * JoinGroup on a classic group, as Kafka's GroupMetadataManager decides it:
 * new dynamic members get a member id to come back with (MEMBER_ID_REQUIRED,
 * v4+), static members take over the place of their group instance id, known
 * members rejoin, and the join either answers at once or waits, through
 * `respond`, for the rebalance to complete.
 */
import type { JoinGroupResponse } from '@kafkit/protocol'
import type { ClassicGroup } from './classic-group.js'
import { ErrorCode } from './error-codes.js'
import { NEW_MEMBER_JOIN_TIMEOUT_MS } from './group-config.js'
import type { GroupCoordinatorState } from './group-coordinator.js'
import { GroupMember, type MemberProtocol } from './group-member.js'
import { joinAnswer, joinError } from './group-responses.js'
import { heartbeatKey } from './group-timers.js'
import {
  maybeCompleteJoinPhase,
  maybePrepareRebalanceOrCompleteJoin,
  prepareRebalance,
  rescheduleHeartbeat,
  schedulePendingMemberExpiry,
} from './rebalance.js'

export interface JoinRequest {
  groupId: string
  /** '' for a member joining for the first time. */
  memberId: string
  groupInstanceId: string | null
  protocolType: string
  protocols: MemberProtocol[]
  sessionTimeoutMs: number
  rebalanceTimeoutMs: number
  clientId: string
  clientHost: string
  /** The JoinGroup version: v4+ must come back with a member id, v9+ lets a static leader skip assignment. */
  version: number
}

type Respond = (response: JoinGroupResponse) => void
/** An answer to send at once, or undefined when the member waits (its `respond` is kept for later). */
type Answer = JoinGroupResponse | undefined
type Coordinator = GroupCoordinatorState

export function joinGroup(coordinator: Coordinator, request: JoinRequest, respond: Respond): void {
  const answer = join(coordinator, request, respond)
  if (answer) respond(answer)
}

function join(coordinator: Coordinator, request: JoinRequest, respond: Respond): Answer {
  const unknownMember = request.memberId === ''
  let group = coordinator.group(request.groupId)
  if (!group) {
    // Only a first join creates a group; a member id for a group that is gone is stale.
    if (!unknownMember) return joinError(request.memberId, ErrorCode.UNKNOWN_MEMBER_ID)
    group = coordinator.getOrCreate(request.groupId)
  }
  if (!acceptJoiningMember(coordinator, group, request.memberId)) {
    group.remove(request.memberId)
    return joinError('', ErrorCode.GROUP_MAX_SIZE_REACHED)
  }
  return unknownMember
    ? joinNewMember(coordinator, group, request, respond)
    : joinExistingMember(coordinator, group, request, respond)
}

/** group.max.size: while rebalancing, members already rejoined count; otherwise the members. */
function acceptJoiningMember(coordinator: Coordinator, group: ClassicGroup, memberId: string): boolean {
  const maxSize = coordinator.config.maxSize
  switch (group.state) {
    case 'Empty':
    case 'Dead':
      return true
    case 'PreparingRebalance':
      return group.member(memberId)?.awaitingJoin !== undefined || group.awaitingJoinCount < maxSize
    default:
      return group.members.has(memberId) || group.members.size < maxSize
  }
}

function joinNewMember(coordinator: Coordinator, group: ClassicGroup, request: JoinRequest, respond: Respond): Answer {
  if (group.is('Dead')) return joinError('', ErrorCode.COORDINATOR_NOT_AVAILABLE)
  if (!group.supportsProtocols(request.protocolType, request.protocols)) {
    return joinError('', ErrorCode.INCONSISTENT_GROUP_PROTOCOL)
  }
  const newMemberId = group.generateMemberId(request.clientId, request.groupInstanceId)
  if (request.groupInstanceId !== null) {
    const existing = group.staticMemberId(request.groupInstanceId)
    if (existing !== undefined) return replaceStaticMember(coordinator, group, existing, newMemberId, request, respond)
    return addMember(coordinator, group, newMemberId, request, respond)
  }
  if (request.version >= 4) {
    // The client must come back with this id, so a client that retries a lost answer does not add a second member.
    group.pendingJoinMembers.add(newMemberId)
    schedulePendingMemberExpiry(coordinator, group, newMemberId, request.sessionTimeoutMs)
    return joinError(newMemberId, ErrorCode.MEMBER_ID_REQUIRED)
  }
  return addMember(coordinator, group, newMemberId, request, respond)
}

function joinExistingMember(
  coordinator: Coordinator,
  group: ClassicGroup,
  request: JoinRequest,
  respond: Respond,
): Answer {
  const { memberId } = request
  if (group.is('Dead')) return joinError(memberId, ErrorCode.COORDINATOR_NOT_AVAILABLE)
  if (!group.supportsProtocols(request.protocolType, request.protocols)) {
    return joinError(memberId, ErrorCode.INCONSISTENT_GROUP_PROTOCOL)
  }
  if (group.pendingJoinMembers.has(memberId)) {
    // Pending ids are only handed to dynamic members; Kafka fails such a request with an internal error.
    if (request.groupInstanceId !== null) return joinError(memberId, ErrorCode.UNKNOWN_SERVER_ERROR)
    return addMember(coordinator, group, memberId, request, respond)
  }
  const error = group.validateMember(memberId, request.groupInstanceId)
  const member = group.member(memberId)
  if (error !== ErrorCode.NONE || !member) return joinError(memberId, error || ErrorCode.UNKNOWN_MEMBER_ID)
  const isLeader = group.isLeader(memberId)
  switch (group.state) {
    case 'PreparingRebalance':
      return updateMember(coordinator, group, member, request, respond)
    case 'CompletingRebalance':
      // Same metadata: the member missed its JoinGroup answer, so it gets it again.
      if (member.matches(request.protocols)) return joinAnswer(group, memberId, { withMembers: isLeader })
      return updateMember(coordinator, group, member, request, respond)
    case 'Stable':
      // The leader rejoins to trigger a rebalance (topic metadata changed, say); a follower only if its metadata did.
      if (isLeader || !member.matches(request.protocols))
        return updateMember(coordinator, group, member, request, respond)
      return joinAnswer(group, memberId, { withMembers: false })
    default:
      return joinError(memberId, ErrorCode.UNKNOWN_MEMBER_ID)
  }
}

function addMember(
  coordinator: Coordinator,
  group: ClassicGroup,
  memberId: string,
  request: JoinRequest,
  respond: Respond,
): Answer {
  const member = new GroupMember(
    memberId,
    request.groupInstanceId,
    request.clientId,
    request.clientHost,
    request.rebalanceTimeoutMs,
    request.sessionTimeoutMs,
    request.protocolType,
    request.protocols,
  )
  member.isNew = true
  if (group.is('PreparingRebalance') && group.previousState === 'Empty') group.newMemberAdded = true
  group.add(member)
  member.awaitingJoin = respond
  // A parked new member cannot heartbeat and may have gone away: drop it if the rebalance outlasts this.
  rescheduleHeartbeat(coordinator, group, member, NEW_MEMBER_JOIN_TIMEOUT_MS)
  maybePrepareRebalanceOrCompleteJoin(coordinator, group)
  return undefined
}

function updateMember(
  coordinator: Coordinator,
  group: ClassicGroup,
  member: GroupMember,
  request: JoinRequest,
  respond: Respond,
): Answer {
  applyJoin(group, member, request, respond)
  maybePrepareRebalanceOrCompleteJoin(coordinator, group)
  return undefined
}

function applyJoin(group: ClassicGroup, member: GroupMember, request: JoinRequest, respond: Respond): void {
  group.updateProtocols(member, request.protocols)
  member.rebalanceTimeoutMs = request.rebalanceTimeoutMs
  member.sessionTimeoutMs = request.sessionTimeoutMs
  member.awaitingJoin = respond
}

/**
 * A static member rejoined without its member id (its process restarted): the
 * new id takes the old one's place. In a Stable group whose protocol does not
 * change that needs no rebalance: the member gets the current generation back.
 */
function replaceStaticMember(
  coordinator: Coordinator,
  group: ClassicGroup,
  oldMemberId: string,
  newMemberId: string,
  request: JoinRequest,
  respond: Respond,
): Answer {
  const previousLeader = group.leaderId
  const member = group.replaceStaticMember(request.groupInstanceId ?? '', oldMemberId, newMemberId)
  coordinator.timers.cancel(heartbeatKey(group.groupId, oldMemberId))
  rescheduleHeartbeat(coordinator, group, member)
  applyJoin(group, member, request, respond)
  if (group.is('Stable') && (group.protocolName ?? '') === group.selectProtocol()) {
    if (request.version >= 9) {
      // The leader gets the members but keeps its assignment (KIP-814).
      const isLeader = group.isLeader(newMemberId)
      member.completeJoin(joinAnswer(group, newMemberId, { withMembers: isLeader, skipAssignment: isLeader }))
    } else {
      // Older clients would reassign if told they lead, so they are told the leader before the restart.
      member.completeJoin(joinAnswer(group, newMemberId, { withMembers: false, leader: previousLeader }))
    }
  } else if (group.is('CompletingRebalance')) {
    // The leader may be assigning to the old member id: start over so the new id gets an assignment.
    prepareRebalance(coordinator, group)
  } else if (group.is('Stable')) {
    maybePrepareRebalanceOrCompleteJoin(coordinator, group)
  } else {
    maybeCompleteJoinPhase(coordinator, group)
  }
  return undefined
}
