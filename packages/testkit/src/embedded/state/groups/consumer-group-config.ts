import type { ClusterState } from '../cluster-state.js'

/** Kafka's defaults for consumer (KIP-848) groups. */
const KAFKA_DEFAULTS = {
  'group.consumer.heartbeat.interval.ms': 5000,
  'group.consumer.session.timeout.ms': 45_000,
  'group.consumer.max.size': 2_147_483_647,
} as const

export interface ConsumerGroupConfig {
  heartbeatIntervalMs: number
  sessionTimeoutMs: number
  maxSize: number
  /** Server assignors the broker offers; the first is the default ('group.consumer.assignors'). */
  assignors: string[]
}

/**
 * The consumer group coordinator's settings, read on each use from the
 * cluster-wide broker configs (`brokerConfigs` under ''), else Kafka's
 * defaults. Kafka bounds the session timeout to 45-60 s and the heartbeat
 * interval to 5-15 s; the embedded broker takes any positive value, so tests
 * can expire sessions in milliseconds.
 */
export function consumerGroupConfig(cluster: ClusterState): ConsumerGroupConfig {
  const dynamic = cluster.brokerConfigs.get('')
  const read = (name: keyof typeof KAFKA_DEFAULTS): number => {
    const value = Number(dynamic?.get(name))
    return Number.isFinite(value) && value > 0 ? value : KAFKA_DEFAULTS[name]
  }
  const assignors = (dynamic?.get('group.consumer.assignors') ?? 'uniform,range')
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name === 'uniform' || name === 'range')
  return {
    heartbeatIntervalMs: read('group.consumer.heartbeat.interval.ms'),
    sessionTimeoutMs: read('group.consumer.session.timeout.ms'),
    maxSize: read('group.consumer.max.size'),
    assignors: assignors.length > 0 ? assignors : ['uniform', 'range'],
  }
}
