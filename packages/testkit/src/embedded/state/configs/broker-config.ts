/**
 * Broker config values and how DescribeConfigs reports them. A broker config
 * comes, in order of precedence, from a dynamic config set for that broker,
 * a dynamic cluster-wide default, the broker's static configuration (the
 * embedded cluster's start options play server.properties), or Kafka's default;
 * the synonyms of an entry list every source that has a value, as Kafka does.
 */
import type {
  DescribeConfigsResponseDescribeConfigsResourceResult,
  DescribeConfigsResponseDescribeConfigsSynonym,
} from '@kafkit/protocol'
import type { ClusterState } from '../cluster-state.js'
import { BROKER_CONFIGS, synonymChain } from './broker-config-definitions.js'
import { CONFIG_TYPE_IDS, ConfigSource, normalizedValue } from './config-definitions.js'

export type ConfigEntry = DescribeConfigsResponseDescribeConfigsResourceResult
export type ConfigSynonym = DescribeConfigsResponseDescribeConfigsSynonym

/** The scope of cluster-wide dynamic broker configs (resource name ""). */
export const CLUSTER_DEFAULT = ''

const KAFKA_DEFAULTS = new Map(
  [...BROKER_CONFIGS.values()].flatMap((d) => (d.defaultValue === null ? [] : [[d.name, d.defaultValue] as const])),
)
const NONE = new Map<string, string>()

/**
 * The dynamic configs of one broker (its id as a string) or of the cluster
 * (""), created on first use. With eligible leader replicas on (KIP-966, the
 * default of new 4.1 clusters) Kafka always keeps a cluster-level
 * min.insync.replicas, written when the cluster is formatted; so does this one.
 */
export function dynamicBrokerConfigs(cluster: ClusterState, scope: string): Map<string, string> {
  let configs = cluster.brokerConfigs.get(scope)
  if (!configs) {
    configs = scope === CLUSTER_DEFAULT ? new Map([['min.insync.replicas', '1']]) : new Map()
    cluster.brokerConfigs.set(scope, configs)
  }
  return configs
}

/**
 * What server.properties would hold: the broker's identity, and the start
 * options that differ from Kafka's defaults (a real broker reports these as
 * STATIC_BROKER_CONFIG because kafkit's jar harness writes them there too).
 */
export function staticBrokerConfigs(cluster: ClusterState, nodeId?: number): Map<string, string> {
  const configs = new Map<string, string>()
  const broker = nodeId === undefined ? undefined : cluster.broker(nodeId)
  if (broker) {
    configs.set('broker.id', String(broker.nodeId))
    configs.set('node.id', String(broker.nodeId))
    if (broker.rack !== null) configs.set('broker.rack', broker.rack)
  }
  const { defaultPartitions, defaultReplicationFactor, autoCreateTopics } = cluster.defaultConfig
  if (defaultPartitions !== 1) configs.set('num.partitions', String(defaultPartitions))
  if (defaultReplicationFactor !== 1) configs.set('default.replication.factor', String(defaultReplicationFactor))
  if (!autoCreateTopics) configs.set('auto.create.topics.enable', 'false')
  return configs
}

/** Every source of broker config values, most specific first; without a broker id, the cluster-wide view. */
function sources(cluster: ClusterState, nodeId?: number): [Map<string, string>, number][] {
  const own = nodeId === undefined ? NONE : (cluster.brokerConfigs.get(String(nodeId)) ?? NONE)
  return [
    [own, ConfigSource.DYNAMIC_BROKER_CONFIG],
    [dynamicBrokerConfigs(cluster, CLUSTER_DEFAULT), ConfigSource.DYNAMIC_DEFAULT_BROKER_CONFIG],
    [staticBrokerConfigs(cluster, nodeId), ConfigSource.STATIC_BROKER_CONFIG],
    [KAFKA_DEFAULTS, ConfigSource.DEFAULT_CONFIG],
  ]
}

/** A broker config's value as stored (not normalized), or null when no source sets it. */
export function brokerConfigValue(cluster: ClusterState, name: string, nodeId?: number): string | null {
  for (const [configs] of sources(cluster, nodeId)) {
    const value = configs.get(name)
    if (value !== undefined) return value
  }
  return null
}

/**
 * The synonyms Kafka lists for broker config `name`: each source's value of
 * `name` and of the configs in its unit chain (log.retention.ms, .minutes,
 * .hours), most specific source first, dropping whatever precedes `name`'s
 * own first appearance (so a retention set only in hours lists nothing under
 * log.retention.ms, exactly as Kafka answers).
 */
export function brokerSynonyms(cluster: ClusterState, name: string, nodeId?: number): ConfigSynonym[] {
  const sensitive = !BROKER_CONFIGS.has(name)
  const list: ConfigSynonym[] = []
  for (const [configs, source] of sources(cluster, nodeId)) {
    for (const link of synonymChain(name)) {
      const value = configs.get(link.name)
      if (value !== undefined) list.push({ name: link.name, value: sensitive ? null : value, source })
    }
  }
  const first = list.findIndex((synonym) => synonym.name === name)
  return first < 0 ? [] : list.slice(first)
}

function entry(name: string, value: string | null, synonyms: ConfigSynonym[], includeSynonyms: boolean): ConfigEntry {
  const definition = BROKER_CONFIGS.get(name)
  // Kafka cannot tell whether a config it does not know holds a secret, so it hides the value.
  const sensitive = definition === undefined
  return {
    name,
    value: sensitive || value === null ? null : normalizedValue(definition, value),
    readOnly: !definition?.dynamic,
    configSource: synonyms[0]?.source ?? ConfigSource.DEFAULT_CONFIG,
    isSensitive: sensitive,
    synonyms: includeSynonyms ? synonyms : [],
    configType: definition ? CONFIG_TYPE_IDS[definition.type] : CONFIG_TYPE_IDS.UNKNOWN,
    documentation: null,
  }
}

/**
 * DescribeConfigs of a broker resource: every config of broker `scope`, or for
 * "" only the cluster-wide dynamic ones (with only their cluster-wide synonym).
 */
export function describeBrokerConfigs(
  cluster: ClusterState,
  scope: string,
  keys: readonly string[] | null,
  includeSynonyms: boolean,
): ConfigEntry[] {
  const wanted = (name: string) => keys === null || keys.length === 0 || keys.includes(name)
  if (scope === CLUSTER_DEFAULT) {
    const configs = dynamicBrokerConfigs(cluster, CLUSTER_DEFAULT)
    return [...configs.keys()]
      .filter(wanted)
      .sort()
      .map((name) => {
        const synonyms = brokerSynonyms(cluster, name).filter(
          (synonym) => synonym.source === ConfigSource.DYNAMIC_DEFAULT_BROKER_CONFIG,
        )
        return entry(name, configs.get(name) ?? null, synonyms, includeSynonyms)
      })
  }
  const nodeId = Number(scope)
  const names = new Set([
    ...BROKER_CONFIGS.keys(),
    ...dynamicBrokerConfigs(cluster, CLUSTER_DEFAULT).keys(),
    ...(cluster.brokerConfigs.get(scope)?.keys() ?? []),
  ])
  return [...names]
    .filter(wanted)
    .sort()
    .map((name) =>
      entry(name, brokerConfigValue(cluster, name, nodeId), brokerSynonyms(cluster, name, nodeId), includeSynonyms),
    )
}
