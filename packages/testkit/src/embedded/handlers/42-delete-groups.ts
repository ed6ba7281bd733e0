/**
 * DeleteGroups (key 42), versions 0-2. Deletes each empty group with its
 * committed offsets. Errors per group: NOT_COORDINATOR on another broker,
 * GROUP_ID_NOT_FOUND for an unknown group, NON_EMPTY_GROUP while it has members
 * (classic or KIP-848 consumer groups alike).
 */
import { Apis, createDeleteGroupsResponse } from '@kafkit/protocol'
import { defineHandler, type RequestContext } from '../handler.js'
import { ErrorCode } from '../state/groups/error-codes.js'
import { groupsOf } from '../state/groups/group-coordinator.js'
import { coordinatorError } from './group-request.js'

function deleteGroup(context: RequestContext, groupId: string): number {
  const notCoordinator = coordinatorError(context, groupId)
  if (notCoordinator) return notCoordinator
  const coordinator = groupsOf(context.cluster)
  const consumerGroup = coordinator.consumerGroups.get(groupId)
  if (consumerGroup) {
    if (consumerGroup.members.size > 0) return ErrorCode.NON_EMPTY_GROUP
    consumerGroup.dead = true
    coordinator.consumerGroups.delete(groupId)
    coordinator.offsets.deleteGroup(groupId)
    return ErrorCode.NONE
  }
  const group = coordinator.group(groupId)
  if (!group || group.is('Dead')) return ErrorCode.GROUP_ID_NOT_FOUND
  if (!group.is('Empty')) return ErrorCode.NON_EMPTY_GROUP
  coordinator.deleteGroup(group)
  return ErrorCode.NONE
}

export const deleteGroupsHandler = defineHandler({
  api: 'DeleteGroups',
  minVersion: Apis.DeleteGroups.minVersion,
  maxVersion: Apis.DeleteGroups.maxVersion,
  handle(request, context) {
    const results = request.groupsNames.map((groupId) => ({ groupId, errorCode: deleteGroup(context, groupId) }))
    return createDeleteGroupsResponse({ results })
  },
})
