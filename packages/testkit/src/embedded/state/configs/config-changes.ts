/**
 * Applying AlterConfigs and IncrementalAlterConfigs to the configs of one
 * topic or one broker scope: each change is checked as Kafka checks it, and
 * the new set of configs is computed apart, so one bad change leaves the
 * resource as it was. Kafka answers topic value errors with INVALID_CONFIG but
 * broker value errors with INVALID_REQUEST; both are kept here.
 */
import type { ClusterState, TopicState } from '../cluster-state.js'
import { CLUSTER_DEFAULT, dynamicBrokerConfigs } from './broker-config.js'
import { BROKER_CONFIGS } from './broker-config-definitions.js'
import { invalidValue, parseValue } from './config-definitions.js'
import { invalidTopicConfig } from './topic-config.js'
import { TOPIC_CONFIGS } from './topic-config-definitions.js'

const INVALID_CONFIG = 40
const INVALID_REQUEST = 42

export interface ConfigError {
  errorCode: number
  errorMessage: string
}

/** IncrementalAlterConfigs' operations, by their wire ids. */
export const ConfigOperation = { SET: 0, DELETE: 1, APPEND: 2, SUBTRACT: 3 } as const
const OPERATION_NAMES = ['SET', 'DELETE', 'APPEND', 'SUBTRACT'] as const

export interface ConfigChange {
  name: string
  operation: number
  value: string | null
}

export function isConfigError(value: Map<string, string> | ConfigError): value is ConfigError {
  return !(value instanceof Map)
}

/** Checks the shape of a change list: known operations, values where needed, each key once. */
function malformed(changes: readonly ConfigChange[]): ConfigError | undefined {
  const seen = new Set<string>()
  for (const { name, operation, value } of changes) {
    if (seen.has(name)) return { errorCode: INVALID_REQUEST, errorMessage: 'Error due to duplicate config keys' }
    seen.add(name)
    if (OPERATION_NAMES[operation] === undefined) {
      return { errorCode: INVALID_REQUEST, errorMessage: `Unknown config operation ${operation} for ${name}` }
    }
    if (value === null && operation !== ConfigOperation.DELETE) {
      return { errorCode: INVALID_REQUEST, errorMessage: `Null value not supported for : ${name}` }
    }
  }
  return undefined
}

/** A list value with `items` appended (once each) or subtracted. */
function listUpdate(current: string, operation: number, items: string): string {
  const list = (parseValue('LIST', current) as { value: string[] }).value
  const change = (parseValue('LIST', items) as { value: string[] }).value
  const next =
    operation === ConfigOperation.APPEND
      ? [...list, ...change.filter((item, i) => !list.includes(item) && change.indexOf(item) === i)]
      : list.filter((item) => !change.includes(item))
  return next.join(',')
}

/**
 * The configs `topic` would have after `changes`, or why they are refused.
 * `replace` starts from no configs, as the legacy AlterConfigs does.
 */
export function changedTopicConfigs(
  topic: TopicState,
  changes: readonly ConfigChange[],
  replace = false,
): Map<string, string> | ConfigError {
  const invalid = malformed(changes)
  if (invalid) return invalid
  const next = replace ? new Map<string, string>() : new Map(topic.configs)
  for (const { name, operation, value } of changes) {
    if (operation === ConfigOperation.DELETE) next.delete(name)
    else if (operation === ConfigOperation.SET) next.set(name, value ?? '')
    else {
      const definition = TOPIC_CONFIGS.get(name)
      if (!definition) return { errorCode: INVALID_CONFIG, errorMessage: `Unknown topic config name: ${name}` }
      if (definition.type !== 'LIST') {
        const verb = OPERATION_NAMES[operation]
        return { errorCode: INVALID_CONFIG, errorMessage: `Can't ${verb} to key ${name} because its type is not LIST.` }
      }
      // A list the topic does not set starts from Kafka's default, even when a
      // dynamic broker config overrides it (appending compact gives delete,compact).
      next.set(name, listUpdate(next.get(name) ?? definition.defaultValue ?? '', operation, value ?? ''))
    }
  }
  for (const [name, value] of next) {
    if (topic.configs.get(name) === value) continue
    const why = invalidTopicConfig(name, value)
    if (why) return { errorCode: INVALID_CONFIG, errorMessage: why }
  }
  return next
}

/** The dynamic configs of broker scope `scope` ('' = cluster-wide) after `changes`, or why they are refused. */
export function changedBrokerConfigs(
  cluster: ClusterState,
  scope: string,
  changes: readonly ConfigChange[],
  replace = false,
): Map<string, string> | ConfigError {
  const invalid = malformed(changes)
  if (invalid) return invalid
  const current = dynamicBrokerConfigs(cluster, scope)
  const next = replace ? new Map<string, string>() : new Map(current)
  const readOnly: string[] = []
  for (const { name, operation, value } of changes) {
    if (operation === ConfigOperation.DELETE) {
      next.delete(name)
      continue
    }
    const definition = BROKER_CONFIGS.get(name)
    if (definition && !definition.dynamic) readOnly.push(name)
    if (operation === ConfigOperation.SET) next.set(name, value ?? '')
    else if (definition?.type !== 'LIST') {
      const verb = OPERATION_NAMES[operation]?.toLowerCase()
      return { errorCode: INVALID_CONFIG, errorMessage: `Config value ${verb} is not allowed for config key: ${name}` }
    } else {
      const base = next.get(name) ?? definition.defaultValue ?? ''
      next.set(name, listUpdate(base, operation, value ?? ''))
    }
  }
  if (readOnly.length > 0) {
    return {
      errorCode: INVALID_REQUEST,
      errorMessage: `Cannot update these configs dynamically: Set(${readOnly.join(', ')})`,
    }
  }
  for (const [name, value] of next) {
    const definition = BROKER_CONFIGS.get(name)
    const why = definition && current.get(name) !== value ? invalidValue(definition, value) : undefined
    if (why) return { errorCode: INVALID_REQUEST, errorMessage: why }
  }
  if (scope === CLUSTER_DEFAULT && !next.has('min.insync.replicas')) {
    return {
      errorCode: INVALID_CONFIG,
      errorMessage: 'Cluster-level min.insync.replicas cannot be removed while ELR is enabled.',
    }
  }
  return next
}
