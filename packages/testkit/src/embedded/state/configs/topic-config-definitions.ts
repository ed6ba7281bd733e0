/**
 * Kafka 4.1.1's topic configs: type, default, validation, and the broker config
 * a topic without its own value inherits (the synonym DescribeConfigs lists).
 * The list matches what Kafka 4.1.1 describes for a topic (its internal
 * configs are left out, as Kafka leaves them out of DescribeConfigs).
 */
import { COMPRESSION_TYPES, gzipLevel } from './broker-config-definitions.js'
import { atLeast, between, type ConfigDefinition, type ConfigType, listOf, oneOf } from './config-definitions.js'

export interface TopicConfigDefinition extends ConfigDefinition {
  /** The broker config that supplies the value when the topic sets none. */
  broker?: string
}

const LONG_MAX = '9223372036854775807'

/** partitionId:brokerId pairs, or '*' for every replica (the throttled-replica lists). */
const throttledReplicas = (name: string): ConfigDefinition['validator'] => {
  return (value) => {
    const items = value as string[]
    if (items.length === 1 && items[0] === '*') return undefined
    if (items.every((item) => /^\d+:\d+$/.test(item))) return undefined
    return {
      shown: `[${items.join(', ')}]`,
      why: `${name} must be the literal '*' or a list of replicas in the following format: [partitionId]:[brokerId],[partitionId]:[brokerId],...`,
    }
  }
}

type Row = [
  name: string,
  type: ConfigType,
  defaultValue: string,
  broker?: string,
  validator?: ConfigDefinition['validator'],
]

const ROWS: Row[] = [
  ['cleanup.policy', 'LIST', 'delete', 'log.cleanup.policy', listOf('compact', 'delete')],
  ['compression.gzip.level', 'INT', '-1', 'compression.gzip.level', gzipLevel],
  ['compression.lz4.level', 'INT', '9', 'compression.lz4.level', between(1, 17)],
  ['compression.type', 'STRING', 'producer', 'compression.type', oneOf(...COMPRESSION_TYPES)],
  ['compression.zstd.level', 'INT', '3', 'compression.zstd.level', between(-131072, 22)],
  ['delete.retention.ms', 'LONG', '86400000', 'log.cleaner.delete.retention.ms', atLeast(0)],
  ['file.delete.delay.ms', 'LONG', '60000', 'log.segment.delete.delay.ms', atLeast(0)],
  ['flush.messages', 'LONG', LONG_MAX, 'log.flush.interval.messages', atLeast(1)],
  ['flush.ms', 'LONG', LONG_MAX, 'log.flush.interval.ms', atLeast(0)],
  [
    'follower.replication.throttled.replicas',
    'LIST',
    '',
    undefined,
    throttledReplicas('follower.replication.throttled.replicas'),
  ],
  ['index.interval.bytes', 'INT', '4096', 'log.index.interval.bytes', atLeast(0)],
  [
    'leader.replication.throttled.replicas',
    'LIST',
    '',
    undefined,
    throttledReplicas('leader.replication.throttled.replicas'),
  ],
  ['local.retention.bytes', 'LONG', '-2', 'log.local.retention.bytes', atLeast(-2)],
  ['local.retention.ms', 'LONG', '-2', 'log.local.retention.ms', atLeast(-2)],
  ['max.compaction.lag.ms', 'LONG', LONG_MAX, 'log.cleaner.max.compaction.lag.ms', atLeast(1)],
  ['max.message.bytes', 'INT', '1048588', 'message.max.bytes', atLeast(0)],
  ['message.timestamp.after.max.ms', 'LONG', '3600000', 'log.message.timestamp.after.max.ms', atLeast(0)],
  ['message.timestamp.before.max.ms', 'LONG', LONG_MAX, 'log.message.timestamp.before.max.ms', atLeast(0)],
  [
    'message.timestamp.type',
    'STRING',
    'CreateTime',
    'log.message.timestamp.type',
    oneOf('CreateTime', 'LogAppendTime'),
  ],
  ['min.cleanable.dirty.ratio', 'DOUBLE', '0.5', 'log.cleaner.min.cleanable.ratio', between(0, 1)],
  ['min.compaction.lag.ms', 'LONG', '0', 'log.cleaner.min.compaction.lag.ms', atLeast(0)],
  ['min.insync.replicas', 'INT', '1', 'min.insync.replicas', atLeast(1)],
  ['preallocate', 'BOOLEAN', 'false', 'log.preallocate'],
  ['remote.log.copy.disable', 'BOOLEAN', 'false'],
  ['remote.log.delete.on.disable', 'BOOLEAN', 'false'],
  ['remote.storage.enable', 'BOOLEAN', 'false'],
  ['retention.bytes', 'LONG', '-1', 'log.retention.bytes'],
  ['retention.ms', 'LONG', '604800000', 'log.retention.ms', atLeast(-1)],
  ['segment.bytes', 'INT', '1073741824', 'log.segment.bytes', atLeast(1048576)],
  ['segment.index.bytes', 'INT', '10485760', 'log.index.size.max.bytes', atLeast(4)],
  ['segment.jitter.ms', 'LONG', '0', 'log.roll.jitter.ms', atLeast(0)],
  ['segment.ms', 'LONG', '604800000', 'log.roll.ms', atLeast(1)],
  ['unclean.leader.election.enable', 'BOOLEAN', 'false', 'unclean.leader.election.enable'],
]

export const TOPIC_CONFIGS: ReadonlyMap<string, TopicConfigDefinition> = new Map(
  ROWS.map(([name, type, defaultValue, broker, validator]) => {
    const definition: TopicConfigDefinition = { name, type, defaultValue }
    if (broker) definition.broker = broker
    if (validator) definition.validator = validator
    return [name, definition]
  }),
)
