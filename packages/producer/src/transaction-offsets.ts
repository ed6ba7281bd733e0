import { InvalidMessageError } from '@kafkit/protocol'

/** A consumer's group membership, so the broker can reject offsets from a member that was fenced (KIP-447). */
export interface ConsumerGroupMetadata {
  groupId: string
  /** The group generation; -1 when unknown (the offsets are then not checked against membership). */
  generationId?: number
  /** '' when unknown. */
  memberId?: string
  groupInstanceId?: string | null
}

/** The offsets `sendOffsets` commits with the transaction: the next offset to consume, per partition. */
export interface TransactionOffsets {
  /** The group, by id (kafkajs) ... */
  consumerGroupId?: string
  /** ... or with its membership (Java's ConsumerGroupMetadata). */
  consumerGroupMetadata?: ConsumerGroupMetadata
  topics: {
    topic: string
    partitions: { partition: number; offset: bigint | number | string; metadata?: string | null }[]
  }[]
}

export interface NormalizedOffsets {
  group: Required<ConsumerGroupMetadata>
  topics: { topic: string; partitions: { partition: number; offset: bigint; metadata: string | null }[] }[]
}

/** Checks the offsets of `sendOffsets`, naming what to fix. */
export function normalizeOffsets(offsets: TransactionOffsets): NormalizedOffsets {
  if (offsets === null || typeof offsets !== 'object') {
    throw new InvalidMessageError('sendOffsets needs { consumerGroupId, topics: [{ topic, partitions }] }')
  }
  const metadata = offsets.consumerGroupMetadata
  const groupId = metadata?.groupId ?? offsets.consumerGroupId
  if (typeof groupId !== 'string' || groupId.length === 0) {
    throw new InvalidMessageError(
      'sendOffsets needs consumerGroupId (or consumerGroupMetadata.groupId): a non-empty string',
    )
  }
  if (!Array.isArray(offsets.topics) || offsets.topics.length === 0) {
    throw new InvalidMessageError('sendOffsets needs topics: a non-empty array of { topic, partitions }')
  }
  const topics = offsets.topics.map((entry, t) => {
    if (typeof entry?.topic !== 'string' || entry.topic.length === 0) {
      throw new InvalidMessageError(`sendOffsets topics[${t}] needs a topic: a non-empty string`)
    }
    if (!Array.isArray(entry.partitions) || entry.partitions.length === 0) {
      throw new InvalidMessageError(
        `sendOffsets topics[${t}] needs partitions: a non-empty array of { partition, offset }`,
      )
    }
    return {
      topic: entry.topic,
      partitions: entry.partitions.map((p, i) => {
        if (!Number.isInteger(p?.partition) || p.partition < 0) {
          throw new InvalidMessageError(
            `sendOffsets ${entry.topic} partitions[${i}].partition must be a non-negative integer`,
          )
        }
        return {
          partition: p.partition,
          offset: toOffset(p.offset, `${entry.topic}-${p.partition}`),
          metadata: p.metadata ?? null,
        }
      }),
    }
  })
  return {
    group: {
      groupId,
      generationId: metadata?.generationId ?? -1,
      memberId: metadata?.memberId ?? '',
      groupInstanceId: metadata?.groupInstanceId ?? null,
    },
    topics,
  }
}

function toOffset(offset: unknown, where: string): bigint {
  let value: bigint | undefined
  if (typeof offset === 'bigint') value = offset
  else if (typeof offset === 'number' && Number.isSafeInteger(offset)) value = BigInt(offset)
  else if (typeof offset === 'string' && /^\d+$/.test(offset)) value = BigInt(offset)
  if (value === undefined || value < 0n) {
    throw new InvalidMessageError(
      `sendOffsets offset of ${where} must be a non-negative integer (bigint, number or decimal string); got ${String(offset)}`,
    )
  }
  return value
}
