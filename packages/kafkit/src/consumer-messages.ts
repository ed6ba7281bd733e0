import type { PartitionRecords } from '@kafkit/consumer'
import { type Deserializer, KafkaError, type KafkaRecord, SerializationError } from '@kafkit/protocol'

/** Header values by key, as kafkajs gives them: a key that repeats holds an array. */
export type ConsumedHeaders = Record<string, Buffer | null | (Buffer | null)[]>

/** A consumed record, shaped like kafkajs's message with bigint offsets and typed key and value. */
export interface ConsumedMessage<K = Buffer | null, V = Buffer | null> {
  topic: string
  partition: number
  /** The record's offset; commit `offset + 1n` to mark it processed. */
  offset: bigint
  key: K
  value: V
  headers: ConsumedHeaders
  /** Milliseconds since the epoch (create time, or log append time when the topic says so). */
  timestamp: number
  /** Leader epoch of the batch the record came from, for commits (-1 when unknown). */
  leaderEpoch: number
}

export interface MessageDeserializers<K, V> {
  keyDeserializer?: Deserializer<K> | undefined
  valueDeserializer?: Deserializer<V> | undefined
}

function deserialized<T>(
  deserializer: Deserializer<T> | undefined,
  bytes: Buffer | null,
  batch: PartitionRecords,
  record: KafkaRecord,
  part: 'key' | 'value',
): T {
  if (!deserializer) return bytes as T
  const topic = batch.topic
  try {
    return deserializer.deserialize(bytes, { topic, part })
  } catch (error) {
    if (error instanceof KafkaError) throw error
    // Named here rather than for every message: building the string per record showed in the consumer's profile.
    const where = `${topic}-${batch.partition} offset ${record.offset}`
    throw new SerializationError(
      `the ${part} of ${where} could not be deserialized: ${(error as Error)?.message ?? String(error)}`,
      {
        cause: error,
      },
    )
  }
}

function headersOf(record: KafkaRecord): ConsumedHeaders {
  const headers: ConsumedHeaders = {}
  for (const { key, value } of record.headers) {
    const existing = headers[key]
    if (existing === undefined) headers[key] = value
    else if (Array.isArray(existing)) existing.push(value)
    else headers[key] = [existing, value]
  }
  return headers
}

/** The message of a record, deserializing key and value (Buffer or null without deserializers). */
export function toMessage<K, V>(
  batch: PartitionRecords,
  record: KafkaRecord,
  deserializers: MessageDeserializers<K, V>,
): ConsumedMessage<K, V> {
  return {
    topic: batch.topic,
    partition: batch.partition,
    offset: record.offset,
    key: deserialized(deserializers.keyDeserializer, record.key, batch, record, 'key'),
    value: deserialized(deserializers.valueDeserializer, record.value, batch, record, 'value'),
    headers: headersOf(record),
    timestamp: record.timestamp,
    leaderEpoch: batch.lastLeaderEpoch,
  }
}
