/**
 * SyncGroup (key 14), versions 0-5, classic groups. The leader's request
 * carries every member's assignment; the coordinator stores them and answers
 * each member's SyncGroup with its own (members waiting for the leader stay
 * parked until it comes, or until the connection closes). Afterwards the group
 * is Stable and a SyncGroup gets the stored assignment at once. Errors:
 * UNKNOWN_MEMBER_ID, FENCED_INSTANCE_ID (a static member's old id),
 * ILLEGAL_GENERATION, REBALANCE_IN_PROGRESS while members rejoin, and from v5
 * INCONSISTENT_GROUP_PROTOCOL when the protocol type or name differs.
 */
import { Apis, type SyncGroupResponse } from '@kafkit/protocol'
import { defineHandler } from '../handler.js'
import { ErrorCode } from '../state/groups/error-codes.js'
import { groupsOf } from '../state/groups/group-coordinator.js'
import { syncAnswer, syncError } from '../state/groups/group-responses.js'
import { removePendingSyncMember, setAndPropagateAssignment } from '../state/groups/rebalance.js'
import { coordinatorError, untilAnswered } from './group-request.js'

/** A protocol type or name the client sent (v5+) that is not the group's. */
function inconsistent(requested: string | null, current: string | null): boolean {
  return requested !== null && current !== null && requested !== current
}

export const syncGroupHandler = defineHandler({
  api: 'SyncGroup',
  minVersion: Apis.SyncGroup.minVersion,
  maxVersion: Apis.SyncGroup.maxVersion,
  async handle(request, context): Promise<SyncGroupResponse | null> {
    const coordinator = groupsOf(context.cluster)
    const rejected =
      // KIP-559: from v5 the client must say which protocol it assigned for.
      (context.version >= 5 && (request.protocolType === null || request.protocolName === null)
        ? ErrorCode.INCONSISTENT_GROUP_PROTOCOL
        : ErrorCode.NONE) ||
      (request.groupId === '' ? ErrorCode.INVALID_GROUP_ID : ErrorCode.NONE) ||
      coordinatorError(context, request.groupId)
    if (rejected) return syncError(rejected)
    const group = coordinator.group(request.groupId)
    if (!group || group.is('Empty')) return syncError(ErrorCode.UNKNOWN_MEMBER_ID)
    if (group.is('Dead')) return syncError(ErrorCode.COORDINATOR_NOT_AVAILABLE)
    const invalid = group.validateMember(request.memberId, request.groupInstanceId)
    const member = group.member(request.memberId)
    if (invalid || !member) return syncError(invalid || ErrorCode.UNKNOWN_MEMBER_ID)
    if (request.generationId !== group.generationId) return syncError(ErrorCode.ILLEGAL_GENERATION)
    if (
      inconsistent(request.protocolType, group.protocolType) ||
      inconsistent(request.protocolName, group.protocolName)
    ) {
      return syncError(ErrorCode.INCONSISTENT_GROUP_PROTOCOL)
    }
    if (group.is('PreparingRebalance')) return syncError(ErrorCode.REBALANCE_IN_PROGRESS)
    if (group.is('Stable')) {
      removePendingSyncMember(coordinator, group, member.memberId)
      return syncAnswer(group, member.assignment)
    }
    // CompletingRebalance: wait for the leader's assignments (the leader's own request brings them).
    return untilAnswered<SyncGroupResponse>(context.signal, (respond) => {
      member.awaitingSync = respond
      removePendingSyncMember(coordinator, group, member.memberId)
      if (!group.isLeader(member.memberId)) return
      const assignments = new Map(request.assignments.map((a) => [a.memberId, Buffer.from(a.assignment)]))
      setAndPropagateAssignment(coordinator, group, assignments)
      group.transitionTo('Stable')
    })
  },
})
