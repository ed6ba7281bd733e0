/**
 * The broker configs the embedded broker knows, with Kafka 4.1.1's types,
 * defaults and validation, and whether Kafka lets them change at runtime
 * (the rest are read-only in DescribeConfigs and refused by AlterConfigs).
 * Kafka has some 300 broker configs; these are the ones topic configs default
 * to, plus the ones tests and tools commonly read. Other names may still be set
 * dynamically (Kafka accepts custom broker configs) and are described as
 * Kafka describes names it does not know.
 */
import {
  atLeast,
  between,
  type ConfigDefinition,
  type ConfigType,
  listOf,
  oneOf,
  type Validator,
} from './config-definitions.js'

export interface BrokerConfigDefinition extends ConfigDefinition {
  /** Can be changed with (Incremental)AlterConfigs, for one broker or cluster-wide. */
  dynamic: boolean
}

const LONG_MAX = '9223372036854775807'
const INT_MAX = '2147483647'
export const COMPRESSION_TYPES = ['uncompressed', 'zstd', 'lz4', 'snappy', 'gzip', 'producer']

/** gzip levels are 1-9, or -1 for the codec's default. */
export const gzipLevel: Validator = (value) =>
  value === '-1' || (Number(value) >= 1 && Number(value) <= 9)
    ? undefined
    : 'Value must be between 1 and 9 or equal to -1'

type Row = [
  name: string,
  type: ConfigType,
  defaultValue: string | null,
  dynamic: boolean,
  validator?: ConfigDefinition['validator'],
]

const ROWS: Row[] = [
  ['auto.create.topics.enable', 'BOOLEAN', 'true', false],
  ['auto.leader.rebalance.enable', 'BOOLEAN', 'true', false],
  ['broker.id', 'INT', '-1', false],
  ['broker.rack', 'STRING', null, false],
  ['compression.gzip.level', 'INT', '-1', true, gzipLevel],
  ['compression.lz4.level', 'INT', '9', true, between(1, 17)],
  ['compression.type', 'STRING', 'producer', true, oneOf(...COMPRESSION_TYPES)],
  ['compression.zstd.level', 'INT', '3', true, between(-131072, 22)],
  ['connections.max.idle.ms', 'LONG', '600000', false],
  ['connections.max.reauth.ms', 'LONG', '0', false],
  ['default.replication.factor', 'INT', '1', false],
  ['delete.topic.enable', 'BOOLEAN', 'true', false],
  ['fetch.max.bytes', 'INT', '57671680', false, atLeast(1024)],
  ['group.coordinator.rebalance.protocols', 'LIST', 'classic,consumer,streams', false],
  ['group.initial.rebalance.delay.ms', 'INT', '3000', false],
  ['group.max.session.timeout.ms', 'INT', '1800000', false],
  ['group.max.size', 'INT', INT_MAX, false, atLeast(1)],
  ['group.min.session.timeout.ms', 'INT', '6000', false],
  ['log.cleaner.delete.retention.ms', 'LONG', '86400000', true, atLeast(0)],
  ['log.cleaner.enable', 'BOOLEAN', 'true', false],
  ['log.cleaner.max.compaction.lag.ms', 'LONG', LONG_MAX, true, atLeast(1)],
  ['log.cleaner.min.cleanable.ratio', 'DOUBLE', '0.5', true, between(0, 1)],
  ['log.cleaner.min.compaction.lag.ms', 'LONG', '0', true, atLeast(0)],
  ['log.cleanup.policy', 'LIST', 'delete', true, listOf('compact', 'delete')],
  ['log.flush.interval.messages', 'LONG', LONG_MAX, true, atLeast(1)],
  ['log.flush.interval.ms', 'LONG', null, true],
  ['log.flush.scheduler.interval.ms', 'LONG', LONG_MAX, false],
  ['log.index.interval.bytes', 'INT', '4096', true, atLeast(0)],
  ['log.index.size.max.bytes', 'INT', '10485760', true, atLeast(4)],
  ['log.local.retention.bytes', 'LONG', '-2', true, atLeast(-2)],
  ['log.local.retention.ms', 'LONG', '-2', true, atLeast(-2)],
  ['log.message.timestamp.after.max.ms', 'LONG', '3600000', true, atLeast(0)],
  ['log.message.timestamp.before.max.ms', 'LONG', LONG_MAX, true, atLeast(0)],
  ['log.message.timestamp.type', 'STRING', 'CreateTime', true, oneOf('CreateTime', 'LogAppendTime')],
  ['log.preallocate', 'BOOLEAN', 'false', true],
  ['log.retention.bytes', 'LONG', '-1', true],
  ['log.retention.check.interval.ms', 'LONG', '300000', false, atLeast(1)],
  ['log.retention.hours', 'INT', '168', false],
  ['log.retention.minutes', 'INT', null, false],
  ['log.retention.ms', 'LONG', null, true],
  ['log.roll.hours', 'INT', '168', false, atLeast(1)],
  ['log.roll.jitter.hours', 'INT', '0', false, atLeast(0)],
  ['log.roll.jitter.ms', 'LONG', null, true],
  ['log.roll.ms', 'LONG', null, true],
  ['log.segment.bytes', 'INT', '1073741824', true, atLeast(1048576)],
  ['log.segment.delete.delay.ms', 'LONG', '60000', true, atLeast(0)],
  ['max.incremental.fetch.session.cache.slots', 'INT', '1000', false, atLeast(0)],
  ['max.request.partition.size.limit', 'INT', '2000', false, atLeast(1)],
  ['message.max.bytes', 'INT', '1048588', true, atLeast(0)],
  ['min.insync.replicas', 'INT', '1', true, atLeast(1)],
  ['node.id', 'INT', null, false, atLeast(0)],
  ['num.partitions', 'INT', '1', false, atLeast(1)],
  ['offsets.commit.timeout.ms', 'INT', '5000', false, atLeast(1)],
  ['offsets.retention.minutes', 'INT', '10080', false, atLeast(1)],
  ['offsets.topic.num.partitions', 'INT', '50', false, atLeast(1)],
  ['offsets.topic.replication.factor', 'SHORT', '3', false, atLeast(1)],
  ['offsets.topic.segment.bytes', 'INT', '104857600', false, atLeast(1)],
  ['producer.id.expiration.ms', 'INT', '86400000', true, atLeast(1)],
  ['remote.log.storage.system.enable', 'BOOLEAN', 'false', false],
  ['replica.fetch.max.bytes', 'INT', '1048576', false, atLeast(0)],
  ['replica.lag.time.max.ms', 'LONG', '30000', false],
  ['request.timeout.ms', 'INT', '30000', false],
  ['socket.request.max.bytes', 'INT', '104857600', false, atLeast(1)],
  ['transaction.max.timeout.ms', 'INT', '900000', false, atLeast(1)],
  ['transaction.state.log.min.isr', 'INT', '2', false, atLeast(1)],
  ['transaction.state.log.num.partitions', 'INT', '50', false, atLeast(1)],
  ['transaction.state.log.replication.factor', 'SHORT', '3', false, atLeast(1)],
  ['transactional.id.expiration.ms', 'INT', '604800000', false, atLeast(1)],
  ['unclean.leader.election.enable', 'BOOLEAN', 'false', true],
]

export const BROKER_CONFIGS: ReadonlyMap<string, BrokerConfigDefinition> = new Map(
  ROWS.map(([name, type, defaultValue, dynamic, validator]) => [
    name,
    validator ? { name, type, defaultValue, dynamic, validator } : { name, type, defaultValue, dynamic },
  ]),
)

/**
 * Broker configs that stand for one setting in several units: the first one set
 * wins, converted into the first one's unit by `factor`. DescribeConfigs lists
 * them as each other's synonyms.
 */
export const SYNONYM_CHAINS: readonly (readonly { name: string; factor: number }[])[] = [
  [
    { name: 'log.retention.ms', factor: 1 },
    { name: 'log.retention.minutes', factor: 60_000 },
    { name: 'log.retention.hours', factor: 3_600_000 },
  ],
  [
    { name: 'log.roll.ms', factor: 1 },
    { name: 'log.roll.hours', factor: 3_600_000 },
  ],
  [
    { name: 'log.roll.jitter.ms', factor: 1 },
    { name: 'log.roll.jitter.hours', factor: 3_600_000 },
  ],
  [
    { name: 'log.flush.interval.ms', factor: 1 },
    { name: 'log.flush.scheduler.interval.ms', factor: 1 },
  ],
]

/** The chain `name` belongs to, or just `name`. */
export function synonymChain(name: string): readonly { name: string; factor: number }[] {
  return SYNONYM_CHAINS.find((chain) => chain.some((link) => link.name === name)) ?? [{ name, factor: 1 }]
}
