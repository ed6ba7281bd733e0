/**
 * ListGroups (key 16), versions 0-5. The groups this broker coordinates (an
 * admin client asks every broker), with protocol type, state (v4+) and type
 * (v5+: "classic", or "consumer" for KIP-848 groups, which report protocol
 * type "consumer" and their Empty/Assigning/Reconciling/Stable state).
 * The states filter (v4+) and types filter (v5+) match case-insensitively;
 * empty filters match every group.
 */
import { Apis, createListGroupsResponse } from '@kafkit/protocol'
import { defineHandler } from '../handler.js'
import { groupsOf } from '../state/groups/group-coordinator.js'
import { coordinatorError } from './group-request.js'

export const listGroupsHandler = defineHandler({
  api: 'ListGroups',
  minVersion: Apis.ListGroups.minVersion,
  maxVersion: Apis.ListGroups.maxVersion,
  handle(request, context) {
    const states = new Set(request.statesFilter.map((s) => s.trim().toLowerCase()))
    const types = new Set(request.typesFilter.map((t) => t.trim().toLowerCase()))
    const coordinator = groupsOf(context.cluster)
    const listed = [
      ...[...coordinator.groups.values()].map((group) => ({
        groupId: group.groupId,
        protocolType: group.protocolType ?? '',
        groupState: group.state as string,
        groupType: 'classic',
      })),
      ...[...coordinator.consumerGroups.values()].map((group) => ({
        groupId: group.groupId,
        protocolType: 'consumer',
        groupState: group.state as string,
        groupType: 'consumer',
      })),
    ]
    const groups = listed
      .filter((group) => coordinatorError(context, group.groupId) === 0)
      .filter((group) => states.size === 0 || states.has(group.groupState.toLowerCase()))
      .filter((group) => types.size === 0 || types.has(group.groupType))
    return createListGroupsResponse({ groups })
  },
})
