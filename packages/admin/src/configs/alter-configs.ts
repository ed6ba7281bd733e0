import { InvalidMessageError } from '@kafkit/protocol'
import { unlessFailures } from '../admin-error.js'
import type { AdminRouter } from '../admin-router.js'
import { describe, optionalBoolean, requireName, requireNonEmptyArray, requireOptions } from '../arguments.js'
import type { ConfigResourceType } from './config-entry.js'
import {
  type CheckedResource,
  type ConfigResource,
  checkResource,
  requireDistinct,
  sendByDestination,
  toDestination,
} from './config-resources.js'

/** What incrementalAlterConfigs does to one config (Java's AlterConfigOp.OpType). */
export type AlterConfigOperation = 'set' | 'delete' | 'append' | 'subtract'

export interface IncrementalConfigEntry {
  name: string
  /** The value to set, or to append to / subtract from a list config; leave out for 'delete'. */
  value?: string
  /** Default 'set'. 'delete' reverts to the inherited value; 'append' and 'subtract' edit list configs (cleanup.policy...). */
  operation?: AlterConfigOperation
}

export interface IncrementalAlterConfigsRequest {
  resources: readonly (ConfigResource & { configEntries: readonly IncrementalConfigEntry[] })[]
  /** Check the changes without making them. Default false. */
  validateOnly?: boolean
}

/** kafkajs's alterConfigs: each resource's dynamic configs become exactly `configEntries` (others revert). */
export interface AlterConfigsRequest {
  resources: readonly (ConfigResource & { configEntries: readonly { name: string; value: string }[] })[]
  validateOnly?: boolean
}

export interface AlteredConfigs {
  resourceType: ConfigResourceType
  resourceName: string
}

const OPERATION_CODES: Readonly<Record<AlterConfigOperation, number>> = { set: 0, delete: 1, append: 2, subtract: 3 }
const RESOURCE_OPTIONS = ['type', 'name', 'configEntries']

function checkedResources<E>(
  operation: string,
  resources: readonly (ConfigResource & { configEntries: readonly E[] })[],
  entry: (e: E, what: string) => { name: string; value: string | null; configOperation: number },
) {
  const checked = requireNonEmptyArray(
    resources,
    `${operation} resources`,
    "[{ type: 'topic', name: 'orders', configEntries: [{ name: 'retention.ms', value: '86400000' }] }]",
  ).map((resource, i) => {
    const what = `${operation} resources[${i}]`
    const configs = requireNonEmptyArray(
      resource.configEntries,
      `${what}.configEntries`,
      "[{ name: 'retention.ms', value: '86400000' }]",
    ).map((e, j) => entry(e, `${what}.configEntries[${j}]`))
    return { ...checkResource(resource, what, RESOURCE_OPTIONS), configs }
  })
  requireDistinct(checked, operation)
  return checked
}

async function alter(
  router: AdminRouter,
  api: 'AlterConfigs' | 'IncrementalAlterConfigs',
  operation: string,
  resources: readonly (CheckedResource & {
    configs: { name: string; value: string | null; configOperation: number }[]
  })[],
  validateOnly: boolean,
): Promise<AlteredConfigs[]> {
  const { succeeded, failures } = await sendByDestination(
    router,
    api,
    resources,
    async (broker, list) => {
      const base = list.map((r) => ({ resourceType: r.typeCode, resourceName: r.name }))
      if (api === 'IncrementalAlterConfigs') {
        const resources = base.map((r, i) => ({ ...r, configs: list[i]!.configs }))
        return (await toDestination(router, broker, api, { resources, validateOnly })).responses
      }
      const resources = base.map((r, i) => ({
        ...r,
        configs: list[i]!.configs.map(({ name, value }) => ({ name, value })),
      }))
      return (await toDestination(router, broker, api, { resources, validateOnly })).responses
    },
    (resource) => ({ resourceType: resource.type, resourceName: resource.name }),
  )
  return unlessFailures(operation, failures, [...succeeded.values()])
}

/**
 * IncrementalAlterConfigs (`kafka-configs --alter --add-config / --delete-config`):
 * changes only the configs named. Broker configs go to that broker, the
 * cluster-wide default ('') and topics to any. An unknown config name fails
 * as InvalidConfigError naming it; each resource succeeds or fails as a whole.
 */
export async function incrementalAlterConfigs(
  router: AdminRouter,
  request: IncrementalAlterConfigsRequest,
): Promise<AlteredConfigs[]> {
  requireOptions(request, 'incrementalAlterConfigs()', ['resources', 'validateOnly'])
  const validateOnly = optionalBoolean(request.validateOnly, 'incrementalAlterConfigs validateOnly') ?? false
  const resources = checkedResources(
    'incrementalAlterConfigs',
    request.resources,
    (e: IncrementalConfigEntry, what) => {
      requireOptions(e, what, ['name', 'value', 'operation'])
      const operation = e.operation ?? 'set'
      const configOperation = OPERATION_CODES[operation]
      if (configOperation === undefined) {
        throw new InvalidMessageError(
          `${what}.operation must be set, delete, append or subtract; got ${describe(operation)}`,
        )
      }
      if (operation === 'delete') {
        if (e.value !== undefined) throw new InvalidMessageError(`${what} deletes ${e.name}: leave out its value`)
        return { name: requireName(e.name, `${what}.name`), value: null, configOperation }
      }
      if (typeof e.value !== 'string') {
        throw new InvalidMessageError(`${what}.value must be a string for '${operation}'; got ${describe(e.value)}`)
      }
      return { name: requireName(e.name, `${what}.name`), value: e.value, configOperation }
    },
  )
  return alter(router, 'IncrementalAlterConfigs', 'incrementalAlterConfigs', resources, validateOnly)
}

/**
 * The legacy AlterConfigs (kafkajs's alterConfigs): replaces all dynamic
 * configs of each resource with those given. Prefer incrementalAlterConfigs,
 * which leaves the others alone (Kafka deprecates this API).
 */
export async function alterConfigs(router: AdminRouter, request: AlterConfigsRequest): Promise<AlteredConfigs[]> {
  requireOptions(request, 'alterConfigs()', ['resources', 'validateOnly'])
  const validateOnly = optionalBoolean(request.validateOnly, 'alterConfigs validateOnly') ?? false
  const resources = checkedResources('alterConfigs', request.resources, (e: { name: string; value: string }, what) => {
    requireOptions(e, what, ['name', 'value'])
    if (typeof e.value !== 'string')
      throw new InvalidMessageError(`${what}.value must be a string; got ${describe(e.value)}`)
    return { name: requireName(e.name, `${what}.name`), value: e.value, configOperation: 0 }
  })
  return alter(router, 'AlterConfigs', 'alterConfigs', resources, validateOnly)
}
