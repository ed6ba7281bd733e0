// User data of the sticky assignors, in the formats of Java's StickyAssignor and
// CooperativeStickyAssignor (old-style Kafka Struct schemas, not generated messages).
//
// 'sticky' (eager) members send their previous assignment, because an eager rebalance has
// revoked everything before JoinGroup:  V1 = [topic: string, partitions: [int32]] + generation
// int32; V0 (older clients) lacks the generation. 'cooperative-sticky' members send only the
// generation as one int32 (the owned partitions travel in the subscription itself).
import { JavaHashMap, STRING_KEY } from './java-hash-map.js'
import type { TopicPartition } from './types.js'

/** The previous assignment a member reports; generation undefined when the member did not send one. */
export interface MemberData {
  readonly partitions: readonly TopicPartition[]
  readonly generation: number | undefined
}

/** StickyAssignor user data V1. Topics in the order of Java's HashMap grouping, so the bytes match Java's. */
export function encodeStickyUserData(partitions: readonly TopicPartition[], generation: number): Buffer {
  const byTopic = new JavaHashMap<string, number[]>(STRING_KEY)
  for (const { topic, partition } of partitions) byTopic.computeIfAbsent(topic, () => []).push(partition)
  const chunks: Buffer[] = []
  const int32 = (value: number) => {
    const b = Buffer.alloc(4)
    b.writeInt32BE(value)
    chunks.push(b)
  }
  int32(byTopic.size)
  for (const [topic, numbers] of byTopic) {
    const name = Buffer.from(topic, 'utf8')
    const length = Buffer.alloc(2)
    length.writeInt16BE(name.length)
    chunks.push(length, name)
    int32(numbers.length)
    for (const n of numbers) int32(n)
  }
  int32(generation)
  return Buffer.concat(chunks)
}

/**
 * Reads StickyAssignor user data as Java does: V1, else V0, else (unreadable) no partitions
 * with generation -1. Empty or missing user data means no previous assignment.
 */
export function decodeStickyUserData(userData: Uint8Array | null): MemberData {
  if (userData === null || userData.length === 0) return { partitions: [], generation: undefined }
  const bytes = Buffer.from(userData.buffer, userData.byteOffset, userData.byteLength)
  const v1 = readStickyStruct(bytes, true)
  if (v1 !== undefined) return v1
  const v0 = readStickyStruct(bytes, false)
  if (v0 !== undefined) return v0
  return { partitions: [], generation: -1 }
}

function readStickyStruct(bytes: Buffer, withGeneration: boolean): MemberData | undefined {
  let offset = 0
  const need = (size: number) => {
    if (offset + size > bytes.length) throw new RangeError('short')
  }
  const int32 = () => {
    need(4)
    const value = bytes.readInt32BE(offset)
    offset += 4
    return value
  }
  try {
    const partitions: TopicPartition[] = []
    const topics = int32()
    if (topics < 0 || topics > bytes.length - offset) return undefined
    for (let t = 0; t < topics; t++) {
      need(2)
      const length = bytes.readInt16BE(offset)
      offset += 2
      if (length < 0) return undefined
      need(length)
      const topic = bytes.toString('utf8', offset, offset + length)
      offset += length
      const count = int32()
      if (count < 0 || count > bytes.length - offset) return undefined
      for (let i = 0; i < count; i++) partitions.push({ topic, partition: int32() })
    }
    const generation = withGeneration ? int32() : undefined
    return { partitions, generation }
  } catch {
    return undefined
  }
}

/** CooperativeStickyAssignor user data: the generation of the member's last assignment. */
export function encodeCooperativeUserData(generation: number): Buffer {
  const b = Buffer.alloc(4)
  b.writeInt32BE(generation)
  return b
}

/** The generation in cooperative-sticky user data: undefined without user data, -1 when unreadable. */
export function decodeCooperativeUserData(userData: Uint8Array | null): number | undefined {
  if (userData === null) return undefined
  if (userData.length < 4) return -1
  return Buffer.from(userData.buffer, userData.byteOffset, userData.byteLength).readInt32BE(0)
}
