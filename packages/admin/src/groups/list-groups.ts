import { InvalidMessageError, UnsupportedVersionError } from '@kafkit/protocol'
import { unlessFailures } from '../admin-error.js'
import type { AdminRouter } from '../admin-router.js'
import { describe, requireOptions } from '../arguments.js'
import { perBroker } from '../per-entry.js'

/** Group types of ListGroups v5 (Java's GroupType). */
export const GROUP_TYPES = ['classic', 'consumer', 'share', 'streams'] as const
export type GroupType = (typeof GROUP_TYPES)[number]

export interface ListGroupsOptions {
  /**
   * Only groups in one of these states (case-insensitive): classic groups'
   * Empty, PreparingRebalance, CompletingRebalance, Stable, Dead; consumer
   * groups' Empty, Assigning, Reconciling, Stable. Needs ListGroups v4 (Kafka 2.6).
   */
  states?: readonly string[]
  /** Only groups of these types. Needs ListGroups v5 (Kafka 3.8). */
  types?: readonly GroupType[]
}

/** One group as a coordinator lists it (Java's GroupListing). */
export interface ListedGroup {
  groupId: string
  /** The protocol type: "consumer" for consumer groups of either protocol, "connect", "" for offsets-only groups. */
  protocolType: string
  /** The state (Stable, Empty, ...), named as in describeGroups; null from brokers older than ListGroups v4. */
  state: string | null
  /** classic, consumer, share or streams; null from brokers older than ListGroups v5. */
  type: string | null
  /** The broker that coordinates the group. */
  coordinatorId: number
}

export interface ListGroupsResult {
  groups: ListedGroup[]
}

/**
 * ListGroups to every broker of the cluster (each lists only the groups it
 * coordinates), merged. A broker that keeps failing makes the call reject with
 * AdminPartialFailureError (entry `BROKER:<id>`), whose `succeeded` holds what
 * the others listed. COORDINATOR_LOAD_IN_PROGRESS is retried.
 */
export async function listGroups(router: AdminRouter, options: ListGroupsOptions = {}): Promise<ListGroupsResult> {
  requireOptions(options, 'listGroups options', ['states', 'types'])
  const states = stringList(options.states, 'listGroups states', "['Stable', 'Empty']")
  const types = stringList(options.types, 'listGroups types', "['consumer']")
  for (const type of types) {
    if (!(GROUP_TYPES as readonly string[]).includes(type)) {
      throw new InvalidMessageError(`listGroups types must be among ${GROUP_TYPES.join(', ')}; got ${describe(type)}`)
    }
  }
  const { succeeded, failures } = await perBroker(router, async (nodeId) => {
    let version = 0
    const response = await router.toBroker(
      nodeId,
      'ListGroups',
      (v) => {
        version = v
        if (states.length > 0 && v < 4) throw unsupported(nodeId, 'a states filter', 4, v)
        if (types.length > 0 && v < 5) throw unsupported(nodeId, 'a types filter', 5, v)
        return { statesFilter: states, typesFilter: types }
      },
      (r) => r.errorCode,
    )
    return response.groups.map(
      (g): ListedGroup => ({
        groupId: g.groupId,
        protocolType: g.protocolType,
        state: version >= 4 ? g.groupState : null,
        type: version >= 5 ? g.groupType : null,
        coordinatorId: nodeId,
      }),
    )
  })
  const groups = [...succeeded.values()]
    .flat()
    .sort((a, b) => (a.groupId < b.groupId ? -1 : a.groupId > b.groupId ? 1 : 0))
  return unlessFailures('listGroups', failures, { groups })
}

function stringList(value: unknown, what: string, example: string): string[] {
  if (value === undefined) return []
  if (!Array.isArray(value) || !value.every((s) => typeof s === 'string' && s !== '')) {
    throw new InvalidMessageError(
      `${what} must be an array of non-empty strings, e.g. ${example}; got ${describe(value)}`,
    )
  }
  return value as string[]
}

function unsupported(nodeId: number, feature: string, needed: number, version: number): UnsupportedVersionError {
  return new UnsupportedVersionError({
    api: 'ListGroups',
    broker: String(nodeId),
    detail: `${feature} needs ListGroups v${needed}; broker ${nodeId} speaks v${version}`,
  })
}
