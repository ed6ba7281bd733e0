import { errorFromCode, InvalidMessageError } from '@kafkit/protocol'
import type { AdminRouter } from '../admin-router.js'
import { describe, requireName, requireOptions } from '../arguments.js'
import { type IsolationLevel, listOffsets, type OffsetSpec } from './list-offsets.js'

export interface TopicOffsetsOptions {
  /** Default 'read_uncommitted'; with 'read_committed' `high` is the last stable offset. */
  isolationLevel?: IsolationLevel
}

/** kafkajs's fetchTopicOffsets entry, with bigint offsets: `offset` and `high` are the log end, `low` the log start. */
export interface PartitionOffsets {
  partition: number
  offset: bigint
  high: bigint
  low: bigint
}

const UNKNOWN_TOPIC_OR_PARTITION = 3

/** The partition numbers of a topic, from fresh metadata; a missing topic fails as UnknownTopicOrPartitionError. */
async function partitionsOf(router: AdminRouter, topic: string): Promise<number[]> {
  const cluster = router.client.cluster
  await router.retrying(() => cluster.refreshMetadata({ topics: [topic] }))
  const metadata = cluster.metadata.topic(topic)
  const code = metadata ? metadata.errorCode : UNKNOWN_TOPIC_OR_PARTITION
  const error = errorFromCode(code, { api: 'Metadata', entity: topic })
  if (error) throw error
  return metadata!.partitions.map((p) => p.partition)
}

async function offsetsAt(
  router: AdminRouter,
  topic: string,
  partitions: readonly number[],
  spec: OffsetSpec,
  isolationLevel: IsolationLevel | undefined,
): Promise<Map<number, bigint>> {
  const listed = await listOffsets(router, {
    partitions: partitions.map((partition) => ({ topic, partition, spec })),
    ...(isolationLevel === undefined ? {} : { isolationLevel }),
  })
  return new Map(listed.map((l) => [l.partition, l.offset]))
}

/** The earliest and latest offset of every partition of a topic (kafkajs's fetchTopicOffsets). */
export async function fetchTopicOffsets(
  router: AdminRouter,
  topic: string,
  options: TopicOffsetsOptions = {},
): Promise<PartitionOffsets[]> {
  requireName(topic, 'fetchTopicOffsets topic')
  requireOptions(options, 'fetchTopicOffsets options', ['isolationLevel'])
  const partitions = await partitionsOf(router, topic)
  const [low, high] = await Promise.all([
    offsetsAt(router, topic, partitions, 'earliest', options.isolationLevel),
    offsetsAt(router, topic, partitions, 'latest', options.isolationLevel),
  ])
  return partitions.map((partition) => ({
    partition,
    offset: high.get(partition)!,
    high: high.get(partition)!,
    low: low.get(partition)!,
  }))
}

/**
 * The first offset of each partition whose record timestamp is at or after
 * `timestamp` (ms since the epoch), or the log end where no record is that
 * recent, as kafkajs's fetchTopicOffsetsByTimestamp. Without a timestamp: the log end.
 */
export async function fetchTopicOffsetsByTimestamp(
  router: AdminRouter,
  topic: string,
  timestamp?: number | bigint,
  options: TopicOffsetsOptions = {},
): Promise<{ partition: number; offset: bigint }[]> {
  requireName(topic, 'fetchTopicOffsetsByTimestamp topic')
  requireOptions(options, 'fetchTopicOffsetsByTimestamp options', ['isolationLevel'])
  if (
    timestamp !== undefined &&
    !(typeof timestamp === 'bigint' || Number.isSafeInteger(timestamp)) // checked again by listOffsets, >= 0
  ) {
    throw new InvalidMessageError(
      `fetchTopicOffsetsByTimestamp timestamp must be milliseconds since the epoch; got ${describe(timestamp)}`,
    )
  }
  const partitions = await partitionsOf(router, topic)
  const [found, high] = await Promise.all([
    timestamp === undefined
      ? Promise.resolve(new Map<number, bigint>())
      : offsetsAt(router, topic, partitions, { timestamp }, options.isolationLevel),
    offsetsAt(router, topic, partitions, 'latest', options.isolationLevel),
  ])
  return partitions.map((partition) => {
    const offset = found.get(partition) ?? -1n
    return { partition, offset: offset >= 0n ? offset : high.get(partition)! }
  })
}
