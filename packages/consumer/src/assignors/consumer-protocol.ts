// The "consumer" protocol type's metadata in JoinGroup and SyncGroup: a 2-byte version, then
// ConsumerProtocolSubscription / ConsumerProtocolAssignment in that version (as Java's
// ConsumerProtocol writes them, so Java and kafkit members can read each other's bytes).
import {
  type ConsumerProtocolAssignment,
  type ConsumerProtocolSubscriptionTopicPartition,
  decodeConsumerProtocolAssignment,
  decodeConsumerProtocolSubscription,
  encodeConsumerProtocolAssignment,
  encodeConsumerProtocolSubscription,
  InvalidMessageError,
  ProtocolError,
  Reader,
  Writer,
} from '@kafkit/protocol'
import { type Assignment, compareTopicPartitions, type Subscription, type TopicPartition } from './types.js'

/** JoinGroup's protocolType for consumer groups. */
export const CONSUMER_PROTOCOL_TYPE = 'consumer'
/** Highest version of both schemas in Kafka 4.1.1 (3 added rackId). */
export const CONSUMER_PROTOCOL_VERSION = 3

/**
 * Subscription bytes. Topics go out sorted and owned partitions sorted by topic then
 * partition, as Java sends them; fields the version lacks are dropped (v0: topics and user
 * data; v1: + owned partitions; v2: + generation; v3: + rack).
 */
export function encodeSubscription(subscription: Subscription, version = CONSUMER_PROTOCOL_VERSION): Buffer {
  const v = checkedVersion(version)
  const owned = [...subscription.ownedPartitions].sort(compareTopicPartitions)
  const ownedPartitions: ConsumerProtocolSubscriptionTopicPartition[] = []
  for (const tp of owned) {
    const last = ownedPartitions.at(-1)
    if (last?.topic === tp.topic) last.partitions.push(tp.partition)
    else ownedPartitions.push({ topic: tp.topic, partitions: [tp.partition] })
  }
  const w = new Writer()
  w.int16(v)
  encodeConsumerProtocolSubscription(w, v, {
    topics: [...subscription.topics].sort(),
    userData: subscription.userData === null ? null : Buffer.from(subscription.userData),
    ownedPartitions: v >= 1 ? ownedPartitions : [],
    generationId: v >= 2 ? subscription.generationId : -1,
    rackId: v >= 3 ? subscription.rackId : null,
  })
  return Buffer.from(w.bytes())
}

/** Reads subscription bytes of any version; a newer version than 3 is read as 3, as Java does. */
export function decodeSubscription(bytes: Uint8Array): Subscription {
  const r = readerOf(bytes)
  const version = readVersion(r, 'subscription')
  const data = decodeConsumerProtocolSubscription(r, Math.min(version, CONSUMER_PROTOCOL_VERSION))
  return {
    topics: data.topics,
    userData: data.userData,
    ownedPartitions: data.ownedPartitions.flatMap(({ topic, partitions }) =>
      partitions.map((partition) => ({ topic, partition })),
    ),
    generationId: data.generationId < 0 ? -1 : data.generationId,
    rackId: data.rackId === null || data.rackId === '' ? null : data.rackId,
  }
}

/** Assignment bytes: partitions grouped by topic in the order each topic first appears, as Java does. */
export function encodeAssignment(assignment: Assignment, version = CONSUMER_PROTOCOL_VERSION): Buffer {
  const v = checkedVersion(version)
  const byTopic = new Map<string, number[]>()
  for (const { topic, partition } of assignment.partitions) {
    const partitions = byTopic.get(topic)
    if (partitions === undefined) byTopic.set(topic, [partition])
    else partitions.push(partition)
  }
  const data: ConsumerProtocolAssignment = {
    assignedPartitions: [...byTopic].map(([topic, partitions]) => ({ topic, partitions })),
    userData: assignment.userData === null ? null : Buffer.from(assignment.userData),
  }
  const w = new Writer()
  w.int16(v)
  encodeConsumerProtocolAssignment(w, v, data)
  return Buffer.from(w.bytes())
}

export function decodeAssignment(bytes: Uint8Array): Assignment {
  const r = readerOf(bytes)
  const version = readVersion(r, 'assignment')
  const data = decodeConsumerProtocolAssignment(r, Math.min(version, CONSUMER_PROTOCOL_VERSION))
  return {
    partitions: data.assignedPartitions.flatMap(({ topic, partitions }) =>
      partitions.map((partition): TopicPartition => ({ topic, partition })),
    ),
    userData: data.userData,
  }
}

function checkedVersion(version: number): number {
  if (!Number.isInteger(version) || version < 0) {
    throw new InvalidMessageError(`consumer protocol version must be an integer 0-3, got ${version}`)
  }
  // Java writes the highest version it knows when asked for a newer one.
  return Math.min(version, CONSUMER_PROTOCOL_VERSION)
}

function readerOf(bytes: Uint8Array): Reader {
  return new Reader(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength))
}

function readVersion(r: Reader, what: string): number {
  if (r.remaining < 2) throw new ProtocolError(`consumer protocol ${what} is shorter than its 2-byte version`)
  const version = r.int16()
  if (version < 0) throw new ProtocolError(`unsupported consumer protocol ${what} version ${version}`)
  return version
}
