import type { ClusterState } from '../cluster-state.js'

/**
 * The group settings in which the embedded broker departs from Kafka's
 * defaults, as a test broker's server.properties would: sessions down to
 * 100 ms (Kafka refuses under 6 s, which makes session expiry slow to test;
 * Kafka's own consumer tests lower it the same way), and the first rebalance
 * of an empty group starts at once (Kafka waits 3 s for more members; kafkit's
 * jar target sets the same 0).
 */
export const EMBEDDED_GROUP_CONFIGS: Readonly<Record<string, string>> = {
  'group.min.session.timeout.ms': '100',
  'group.initial.rebalance.delay.ms': '0',
}

const KAFKA_DEFAULTS = {
  'group.min.session.timeout.ms': 6000,
  'group.max.session.timeout.ms': 1_800_000,
  'group.initial.rebalance.delay.ms': 3000,
  'group.max.size': 2_147_483_647,
  'offset.metadata.max.bytes': 4096,
} as const

/** How long a new member's parked JoinGroup may wait before it is dropped (Kafka's 5 minutes, not configurable there either). */
export const NEW_MEMBER_JOIN_TIMEOUT_MS = 300_000

export interface GroupConfig {
  minSessionTimeoutMs: number
  maxSessionTimeoutMs: number
  initialRebalanceDelayMs: number
  maxSize: number
  offsetMetadataMaxBytes: number
}

/** The coordinator's settings: a cluster-wide broker config (`brokerConfigs` under '') wins over the defaults above. */
export function groupConfig(cluster: ClusterState): GroupConfig {
  const dynamic = cluster.brokerConfigs.get('')
  const read = (name: keyof typeof KAFKA_DEFAULTS): number => {
    const value = Number(dynamic?.get(name) ?? EMBEDDED_GROUP_CONFIGS[name])
    return Number.isFinite(value) ? value : KAFKA_DEFAULTS[name]
  }
  return {
    minSessionTimeoutMs: read('group.min.session.timeout.ms'),
    maxSessionTimeoutMs: read('group.max.session.timeout.ms'),
    initialRebalanceDelayMs: read('group.initial.rebalance.delay.ms'),
    maxSize: read('group.max.size'),
    offsetMetadataMaxBytes: read('offset.metadata.max.bytes'),
  }
}
