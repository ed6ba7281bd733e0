/**
 * LeaveGroup (key 13), versions 0-5, classic groups. v0-2 remove one member by
 * id; v3+ remove a batch, each by member id or, for an administrator removing
 * static members, by group instance id alone (an empty member id), with an
 * error per member. A member still parked in JoinGroup is answered
 * UNKNOWN_MEMBER_ID. The others rebalance without the leavers (v0-2 report the
 * first member error at the top level).
 */
import {
  Apis,
  createLeaveGroupResponse,
  type LeaveGroupResponse,
  type LeaveGroupResponseMemberResponse,
} from '@kafkit/protocol'
import { defineHandler } from '../handler.js'
import type { ClassicGroup } from '../state/groups/classic-group.js'
import { ErrorCode } from '../state/groups/error-codes.js'
import { type GroupCoordinatorState, groupsOf } from '../state/groups/group-coordinator.js'
import { joinError } from '../state/groups/group-responses.js'
import { heartbeatKey } from '../state/groups/group-timers.js'
import { maybeCompleteJoinPhase, maybePrepareRebalanceOrCompleteJoin } from '../state/groups/rebalance.js'
import { coordinatorError } from './group-request.js'

function removeMember(coordinator: GroupCoordinatorState, group: ClassicGroup, memberId: string): void {
  coordinator.timers.cancel(heartbeatKey(group.groupId, memberId))
  group.member(memberId)?.completeJoin(joinError('', ErrorCode.UNKNOWN_MEMBER_ID))
  group.remove(memberId)
}

/** Removes one leaving member, returning the error for it. */
function leave(
  coordinator: GroupCoordinatorState,
  group: ClassicGroup,
  memberId: string,
  groupInstanceId: string | null,
): number {
  if (memberId === '') {
    const staticMemberId = groupInstanceId === null ? undefined : group.staticMemberId(groupInstanceId)
    if (staticMemberId === undefined) return ErrorCode.UNKNOWN_MEMBER_ID
    removeMember(coordinator, group, staticMemberId)
    return ErrorCode.NONE
  }
  if (group.pendingJoinMembers.has(memberId)) {
    group.remove(memberId)
    coordinator.timers.cancel(heartbeatKey(group.groupId, memberId))
    return ErrorCode.NONE
  }
  const invalid = group.validateMember(memberId, groupInstanceId)
  if (invalid) return invalid
  removeMember(coordinator, group, memberId)
  return ErrorCode.NONE
}

export const leaveGroupHandler = defineHandler({
  api: 'LeaveGroup',
  minVersion: Apis.LeaveGroup.minVersion,
  maxVersion: Apis.LeaveGroup.maxVersion,
  handle(request, context): LeaveGroupResponse {
    const batched = context.version >= 3
    const leaving = batched ? request.members : [{ memberId: request.memberId, groupInstanceId: null }]
    const answer = (errorCode: number, members: LeaveGroupResponseMemberResponse[]) =>
      batched
        ? createLeaveGroupResponse({ errorCode, members })
        : createLeaveGroupResponse({ errorCode: errorCode || members.find((m) => m.errorCode)?.errorCode || 0 })
    const each = (errorOf: (memberId: string, groupInstanceId: string | null) => number) =>
      leaving.map(({ memberId, groupInstanceId }) => ({
        memberId,
        groupInstanceId,
        errorCode: errorOf(memberId, groupInstanceId),
      }))
    const rejected =
      (request.groupId === '' ? ErrorCode.INVALID_GROUP_ID : ErrorCode.NONE) ||
      coordinatorError(context, request.groupId)
    if (rejected) return answer(rejected, [])
    const coordinator = groupsOf(context.cluster)
    const group = coordinator.group(request.groupId)
    if (!group)
      return answer(
        ErrorCode.NONE,
        each(() => ErrorCode.UNKNOWN_MEMBER_ID),
      )
    if (group.is('Dead')) return answer(ErrorCode.COORDINATOR_NOT_AVAILABLE, [])
    const results = each((memberId, groupInstanceId) => leave(coordinator, group, memberId, groupInstanceId))
    if (results.some((r) => r.errorCode === ErrorCode.NONE)) {
      if (group.is('Stable') || group.is('CompletingRebalance')) maybePrepareRebalanceOrCompleteJoin(coordinator, group)
      else if (group.is('PreparingRebalance')) maybeCompleteJoinPhase(coordinator, group)
    }
    return answer(ErrorCode.NONE, results)
  },
})
