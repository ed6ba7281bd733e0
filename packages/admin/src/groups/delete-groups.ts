import { unlessFailures } from '../admin-error.js'
import type { AdminRouter } from '../admin-router.js'
import { requireName, requireNonEmptyArray } from '../arguments.js'
import { distinct, perEntry } from '../per-entry.js'
import { entryError, retriableCode } from './group-errors.js'

export interface DeletedGroup {
  groupId: string
}

/**
 * Deletes groups with their committed offsets (DeleteGroups at each group's
 * coordinator). Only groups without members can be deleted: a group with
 * members fails with NonEmptyGroupError, an unknown one with
 * GroupIdNotFoundError, each as an entry of AdminPartialFailureError.
 */
export async function deleteGroups(router: AdminRouter, groupIds: readonly string[]): Promise<DeletedGroup[]> {
  const ids = distinct(requireNonEmptyArray(groupIds, 'deleteGroups groupIds', "['orders-service']"))
  for (const id of ids) requireName(id, 'deleteGroups group id')
  const { succeeded, failures } = await perEntry(
    ids,
    (id) => id,
    async (groupId) => {
      const response = await router.toCoordinator('group', groupId, 'DeleteGroups', { groupsNames: [groupId] }, (r) =>
        retriableCode(r.results[0]?.errorCode ?? 0),
      )
      const result = response.results.find((r) => r.groupId === groupId) ?? response.results[0]
      const error = entryError(result?.errorCode ?? 0, 'DeleteGroups', groupId)
      if (error) throw error
      return { groupId }
    },
  )
  return unlessFailures('deleteGroups', failures, [...succeeded.values()])
}
