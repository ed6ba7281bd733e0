/**
 * Topic config values: a topic's own setting wins, then the broker config it
 * inherits (see broker-config.ts for where that comes from), then Kafka's
 * default. The data path reads effective values through topicConfigValue, the
 * admin handlers describe and validate through the rest.
 */
import type { ClusterState, TopicState } from '../cluster-state.js'
import { brokerConfigValue, brokerSynonyms, type ConfigEntry, type ConfigSynonym } from './broker-config.js'
import { BROKER_CONFIGS, synonymChain } from './broker-config-definitions.js'
import { CONFIG_TYPE_IDS, ConfigSource, invalidValue, normalizedValue } from './config-definitions.js'
import { TOPIC_CONFIGS, type TopicConfigDefinition } from './topic-config-definitions.js'

function definition(name: string): TopicConfigDefinition {
  const found = TOPIC_CONFIGS.get(name)
  if (!found) throw new Error(`${name} is not a topic config`)
  return found
}

/**
 * The value a topic inherits for `name` when it sets none: the first broker
 * config of the synonym's unit chain that has a value, in this config's unit
 * (log.retention.hours=2 gives retention.ms 7200000), else Kafka's default.
 */
function inheritedValue(cluster: ClusterState, name: string, nodeId?: number): string {
  const topicConfig = definition(name)
  if (!topicConfig.broker) return topicConfig.defaultValue ?? ''
  for (const link of synonymChain(topicConfig.broker)) {
    const value = brokerConfigValue(cluster, link.name, nodeId)
    const brokerConfig = BROKER_CONFIGS.get(link.name)
    if (value === null || !brokerConfig) continue
    const normalized = normalizedValue(brokerConfig, value)
    return link.factor === 1 ? normalized : String(BigInt(normalized) * BigInt(link.factor))
  }
  return topicConfig.defaultValue ?? ''
}

/**
 * The effective value of a topic config as DescribeConfigs shows it (normalized:
 * "compact, delete" reads "compact,delete"). `nodeId` picks the broker whose
 * dynamic configs apply (the partition leader's, for the data path); without it
 * only cluster-wide broker configs count.
 */
export function topicConfigValue(cluster: ClusterState, topic: TopicState, name: string, nodeId?: number): string {
  const topicConfig = definition(name)
  const own = topic.configs.get(name)
  return own === undefined ? inheritedValue(cluster, name, nodeId) : normalizedValue(topicConfig, own)
}

function synonymsOf(cluster: ClusterState, topic: TopicState, name: string, nodeId?: number): ConfigSynonym[] {
  const topicConfig = definition(name)
  const own = topic.configs.get(name)
  const inherited = topicConfig.broker ? brokerSynonyms(cluster, topicConfig.broker, nodeId) : []
  if (own === undefined) return inherited
  return [{ name, value: normalizedValue(topicConfig, own), source: ConfigSource.DYNAMIC_TOPIC_CONFIG }, ...inherited]
}

/** DescribeConfigs of a topic, as broker `nodeId` (whose own dynamic configs apply) answers it. */
export function describeTopicConfigs(
  cluster: ClusterState,
  topic: TopicState,
  nodeId: number | undefined,
  keys: readonly string[] | null,
  includeSynonyms: boolean,
): ConfigEntry[] {
  return [...TOPIC_CONFIGS.values()]
    .filter(({ name }) => keys === null || keys.length === 0 || keys.includes(name))
    .map(({ name, type }) => {
      const synonyms = synonymsOf(cluster, topic, name, nodeId)
      return {
        name,
        value: topicConfigValue(cluster, topic, name, nodeId),
        readOnly: false,
        configSource: synonyms[0]?.source ?? ConfigSource.DEFAULT_CONFIG,
        isSensitive: false,
        synonyms: includeSynonyms ? synonyms : [],
        configType: CONFIG_TYPE_IDS[type],
        documentation: null,
      }
    })
}

/**
 * Why `value` cannot be set for topic config `name` (INVALID_CONFIG), or
 * undefined. Tiered storage is refused as Kafka refuses it when the brokers
 * have no remote storage, which is always the case here.
 */
export function invalidTopicConfig(name: string, value: string): string | undefined {
  const topicConfig = TOPIC_CONFIGS.get(name)
  if (!topicConfig) return `Unknown topic config name: ${name}`
  const invalid = invalidValue(topicConfig, value)
  if (invalid) return invalid
  if (name === 'remote.storage.enable' && normalizedValue(topicConfig, value) === 'true') {
    return 'Tiered Storage functionality is disabled in the broker. Topic cannot be configured with remote log storage.'
  }
  return undefined
}
