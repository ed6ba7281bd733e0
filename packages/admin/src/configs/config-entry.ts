/**
 * The vocabulary of configs shared by describe and alter: resource types,
 * where a value comes from and what type it has, named as in Java's admin
 * client (ConfigResource.Type, ConfigEntry.ConfigSource, ConfigEntry.ConfigType).
 */

/** The kinds of resource that have configs. */
export type ConfigResourceType = 'topic' | 'broker' | 'broker-logger' | 'client-metrics' | 'group'

/** kafkajs's `ConfigResourceTypes`, with kafkit's names as values: `{ type: ConfigResourceTypes.TOPIC, name }`. */
export const ConfigResourceTypes = {
  TOPIC: 'topic',
  BROKER: 'broker',
  BROKER_LOGGER: 'broker-logger',
  CLIENT_METRICS: 'client-metrics',
  GROUP: 'group',
} as const satisfies Record<string, ConfigResourceType>

/** Kafka's resource type codes (ConfigResource.Type). */
export const RESOURCE_TYPE_CODES: Readonly<Record<ConfigResourceType, number>> = {
  topic: 2,
  broker: 4,
  'broker-logger': 8,
  'client-metrics': 16,
  group: 32,
}

export function resourceTypeName(code: number): ConfigResourceType | 'unknown' {
  const found = Object.entries(RESOURCE_TYPE_CODES).find(([, value]) => value === code)
  return found ? (found[0] as ConfigResourceType) : 'unknown'
}

/** How failures name a resource: `TOPIC:orders`, `BROKER:1`, `BROKER:` (the cluster-wide default). */
export function resourceEntry(type: ConfigResourceType, name: string): string {
  return `${type.toUpperCase().replaceAll('-', '_')}:${name}`
}

/** Where a config's value comes from, most specific first (Java's ConfigEntry.ConfigSource). */
export type ConfigSource =
  | 'UNKNOWN'
  | 'DYNAMIC_TOPIC_CONFIG'
  | 'DYNAMIC_BROKER_CONFIG'
  | 'DYNAMIC_DEFAULT_BROKER_CONFIG'
  | 'STATIC_BROKER_CONFIG'
  | 'DEFAULT_CONFIG'
  | 'DYNAMIC_BROKER_LOGGER_CONFIG'
  | 'CLIENT_METRICS_CONFIG'
  | 'GROUP_CONFIG'

const SOURCES: readonly ConfigSource[] = [
  'UNKNOWN',
  'DYNAMIC_TOPIC_CONFIG',
  'DYNAMIC_BROKER_CONFIG',
  'DYNAMIC_DEFAULT_BROKER_CONFIG',
  'STATIC_BROKER_CONFIG',
  'DEFAULT_CONFIG',
  'DYNAMIC_BROKER_LOGGER_CONFIG',
  'CLIENT_METRICS_CONFIG',
  'GROUP_CONFIG',
]

export function configSourceName(code: number): ConfigSource {
  return SOURCES[code] ?? 'UNKNOWN'
}

/** A config's data type (Java's ConfigEntry.ConfigType); UNKNOWN before DescribeConfigs v3. */
export type ConfigType =
  | 'UNKNOWN'
  | 'BOOLEAN'
  | 'STRING'
  | 'INT'
  | 'SHORT'
  | 'LONG'
  | 'DOUBLE'
  | 'LIST'
  | 'CLASS'
  | 'PASSWORD'

const TYPES: readonly ConfigType[] = [
  'UNKNOWN',
  'BOOLEAN',
  'STRING',
  'INT',
  'SHORT',
  'LONG',
  'DOUBLE',
  'LIST',
  'CLASS',
  'PASSWORD',
]

export function configTypeName(code: number): ConfigType {
  return TYPES[code] ?? 'UNKNOWN'
}
