/**
 * Heartbeat (key 12), versions 0-4, classic groups. Restarts the member's
 * session timer and tells it how the group is doing: NONE when Stable or
 * CompletingRebalance, REBALANCE_IN_PROGRESS while the group waits for members
 * to rejoin, ILLEGAL_GENERATION for another generation, UNKNOWN_MEMBER_ID for a
 * member the group dropped (or an empty or missing group), FENCED_INSTANCE_ID
 * for a static member's replaced id.
 */
import { Apis, createHeartbeatResponse } from '@kafkit/protocol'
import { defineHandler } from '../handler.js'
import { ErrorCode } from '../state/groups/error-codes.js'
import { groupsOf } from '../state/groups/group-coordinator.js'
import { rescheduleHeartbeat } from '../state/groups/rebalance.js'
import { coordinatorError } from './group-request.js'

export const heartbeatHandler = defineHandler({
  api: 'Heartbeat',
  minVersion: Apis.Heartbeat.minVersion,
  maxVersion: Apis.Heartbeat.maxVersion,
  handle(request, context) {
    const answer = (errorCode: number) => createHeartbeatResponse({ errorCode })
    const rejected =
      (request.groupId === '' ? ErrorCode.INVALID_GROUP_ID : ErrorCode.NONE) ||
      coordinatorError(context, request.groupId)
    if (rejected) return answer(rejected)
    const coordinator = groupsOf(context.cluster)
    const group = coordinator.group(request.groupId)
    if (!group) return answer(ErrorCode.UNKNOWN_MEMBER_ID)
    if (group.is('Dead')) return answer(ErrorCode.COORDINATOR_NOT_AVAILABLE)
    const invalid = group.validateMember(request.memberId, request.groupInstanceId)
    const member = group.member(request.memberId)
    if (invalid || !member) return answer(invalid || ErrorCode.UNKNOWN_MEMBER_ID)
    if (request.generationId !== group.generationId) return answer(ErrorCode.ILLEGAL_GENERATION)
    switch (group.state) {
      case 'PreparingRebalance':
        rescheduleHeartbeat(coordinator, group, member)
        return answer(ErrorCode.REBALANCE_IN_PROGRESS)
      case 'CompletingRebalance':
      case 'Stable':
        // Members may heartbeat between their JoinGroup answer and SyncGroup: that keeps them alive too.
        rescheduleHeartbeat(coordinator, group, member)
        return answer(ErrorCode.NONE)
      default:
        return answer(ErrorCode.UNKNOWN_MEMBER_ID)
    }
  },
})
