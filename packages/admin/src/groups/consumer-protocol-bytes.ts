// Members of a classic group that uses the "consumer" protocol type carry their
// subscription (JoinGroup metadata) and assignment (SyncGroup) as a 2-byte
// version followed by ConsumerProtocolSubscription / ConsumerProtocolAssignment.
// The admin client only reads them, to show what each member subscribes to and owns.
import { decodeConsumerProtocolAssignment, decodeConsumerProtocolSubscription, Reader } from '@kafkit/protocol'
import type { TopicPartitionList } from './topic-partitions.js'

/** The highest schema version Kafka 4.1.1 knows; newer bytes are read as this one, as Java does. */
const HIGHEST_SCHEMA = 3

/** What a member of a classic consumer group asked for when it joined. */
export interface MemberSubscription {
  topics: string[]
  /** Partitions the member owned when it joined (cooperative rebalancing, schema v1+). */
  ownedPartitions: TopicPartitionList[]
  userData: Buffer | null
  /** The generation the member last took part in (schema v2+), -1 when unknown. */
  generationId: number
  rackId: string | null
}

/** A member's assignment, topic by topic, and the assignor's user data. */
export interface MemberAssignment {
  topicPartitions: TopicPartitionList[]
  userData: Buffer | null
}

/** Reads a consumer-protocol subscription; null for empty bytes or bytes of another protocol. */
export function readSubscription(bytes: Buffer): MemberSubscription | null {
  return readVersioned(bytes, (reader, version) => {
    const data = decodeConsumerProtocolSubscription(reader, version)
    return {
      topics: data.topics,
      ownedPartitions: data.ownedPartitions.map(({ topic, partitions }) => ({ topic, partitions })),
      userData: data.userData,
      generationId: data.generationId,
      rackId: data.rackId === '' ? null : data.rackId,
    }
  })
}

/** Reads a consumer-protocol assignment; null for empty bytes or bytes of another protocol. */
export function readAssignment(bytes: Buffer): MemberAssignment | null {
  return readVersioned(bytes, (reader, version) => {
    const data = decodeConsumerProtocolAssignment(reader, version)
    return {
      topicPartitions: data.assignedPartitions.map(({ topic, partitions }) => ({ topic, partitions })),
      userData: data.userData,
    }
  })
}

function readVersioned<T>(bytes: Buffer, read: (reader: Reader, version: number) => T): T | null {
  if (bytes.length < 2) return null
  try {
    const reader = new Reader(bytes)
    const version = reader.int16()
    if (version < 0) return null
    return read(reader, Math.min(version, HIGHEST_SCHEMA))
  } catch {
    // A group whose members claim the consumer protocol but send other bytes: shown undecoded.
    return null
  }
}
