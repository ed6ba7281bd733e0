import type { ClusterState, TopicState } from './cluster-state.js'
import { topicConfigValue } from './configs/topic-config.js'

/**
 * The topic configs the log and the data handlers act on, typed, read through
 * the config definitions (a topic's own value, then the broker config it
 * inherits, then Kafka's default).
 */
export interface LogConfig {
  maxMessageBytes: number
  timestampType: 'CreateTime' | 'LogAppendTime'
  timestampBeforeMaxMs: number
  timestampAfterMaxMs: number
  minInsyncReplicas: number
  /** cleanup.policy includes compact. */
  compact: boolean
  /** cleanup.policy includes delete. */
  delete: boolean
  /** compression.type: producer, uncompressed, gzip, snappy, lz4 or zstd. */
  compressionType: string
  /** retention.ms; negative means no time limit. */
  retentionMs: number
  /** retention.bytes; negative means no size limit. */
  retentionBytes: number
  deleteRetentionMs: number
  minCompactionLagMs: number
}

function numberValue(cluster: ClusterState, topic: TopicState, name: string, nodeId?: number): number {
  const value = Number(topicConfigValue(cluster, topic, name, nodeId))
  if (Number.isNaN(value)) throw new Error(`topic ${topic.name} has a non-numeric ${name}`)
  return value
}

/** The typed log configs of `topic`, read fresh each time (configs can change at any moment). */
export function logConfig(cluster: ClusterState, topic: TopicState, nodeId?: number): LogConfig {
  const policies = topicConfigValue(cluster, topic, 'cleanup.policy', nodeId)
    .split(',')
    .map((policy) => policy.trim())
  const timestampType = topicConfigValue(cluster, topic, 'message.timestamp.type', nodeId)
  return {
    maxMessageBytes: numberValue(cluster, topic, 'max.message.bytes', nodeId),
    timestampType: timestampType === 'LogAppendTime' ? 'LogAppendTime' : 'CreateTime',
    timestampBeforeMaxMs: numberValue(cluster, topic, 'message.timestamp.before.max.ms', nodeId),
    timestampAfterMaxMs: numberValue(cluster, topic, 'message.timestamp.after.max.ms', nodeId),
    minInsyncReplicas: numberValue(cluster, topic, 'min.insync.replicas', nodeId),
    compact: policies.includes('compact'),
    delete: policies.includes('delete'),
    compressionType: topicConfigValue(cluster, topic, 'compression.type', nodeId).toLowerCase(),
    retentionMs: numberValue(cluster, topic, 'retention.ms', nodeId),
    retentionBytes: numberValue(cluster, topic, 'retention.bytes', nodeId),
    deleteRetentionMs: numberValue(cluster, topic, 'delete.retention.ms', nodeId),
    minCompactionLagMs: numberValue(cluster, topic, 'min.compaction.lag.ms', nodeId),
  }
}
