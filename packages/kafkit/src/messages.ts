import {
  InvalidMessageError,
  KafkaError,
  type RecordHeader,
  SerializationError,
  type Serializer,
} from '@kafkit/protocol'

/** A key or value: bytes, a string (sent as UTF-8) or null. */
export type MessageData = Buffer | string | null

export type HeaderValue = Buffer | string
/**
 * Record headers: an object whose values may be arrays (one header per element,
 * so repeated keys are kept, in order), or a list of key/value pairs.
 */
export type MessageHeaders =
  | Record<string, HeaderValue | HeaderValue[] | undefined>
  | readonly { key: string; value: HeaderValue | null }[]

/**
 * One record to send. Keys and values are bytes, strings or null, or whatever
 * the producer's `keySerializer` / `valueSerializer` take.
 */
export interface Message<K = MessageData, V = MessageData> {
  key?: K
  /** Required: null writes a tombstone (with the default serializers). */
  value: V
  /** Send to this partition instead of the partitioner's choice. */
  partition?: number
  headers?: MessageHeaders
  /** Milliseconds since the epoch, as a number or a numeric string (kafkajs style); now when absent. */
  timestamp?: number | string
}

export interface NormalizedMessage {
  key: Buffer | null
  value: Buffer | null
  headers: RecordHeader[]
  partition: number | null
  timestamp: number | undefined
}

function data(value: unknown, what: string): Buffer | null {
  if (value === null || value === undefined) return null
  if (Buffer.isBuffer(value)) return value
  if (typeof value === 'string') return Buffer.from(value, 'utf8')
  const serializer = what.endsWith('.key') ? 'keySerializer' : 'valueSerializer'
  throw new InvalidMessageError(
    `${what} must be a Buffer, a string or null; got ${typeof value}: convert it (String(x), JSON.stringify(x)) or give the producer a ${serializer}`,
  )
}

function headerValue(value: unknown, where: string): Buffer | null {
  if (value === null) return null
  if (Buffer.isBuffer(value)) return value
  if (typeof value === 'string') return Buffer.from(value, 'utf8')
  throw new InvalidMessageError(`${where} must be a Buffer or a string; got ${typeof value}`)
}

function headers(input: MessageHeaders | undefined, where: string): RecordHeader[] {
  if (input === undefined || input === null) return []
  const out: RecordHeader[] = []
  if (Array.isArray(input)) {
    for (const [i, header] of (input as readonly { key: unknown; value: unknown }[]).entries()) {
      if (typeof header?.key !== 'string') {
        throw new InvalidMessageError(`${where}.headers[${i}].key must be a string`)
      }
      out.push({ key: header.key, value: headerValue(header.value, `${where}.headers[${i}].value`) })
    }
    return out
  }
  if (typeof input !== 'object') throw new InvalidMessageError(`${where}.headers must be an object or an array`)
  for (const [key, value] of Object.entries(input)) {
    if (value === undefined) continue
    const values = Array.isArray(value) ? value : [value]
    for (const v of values) out.push({ key, value: headerValue(v, `${where}.headers["${key}"]`) })
  }
  return out
}

function timestamp(value: unknown, where: string): number | undefined {
  if (value === undefined || value === null) return undefined
  const ms = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value
  if (typeof ms !== 'number' || !Number.isSafeInteger(ms) || ms < 0) {
    throw new InvalidMessageError(
      `${where}.timestamp must be milliseconds since the epoch (a non-negative integer or numeric string); got ${String(value)}`,
    )
  }
  return ms
}

/** Serializers of a producer; absent ones take Buffer, string or null. */
export interface MessageSerializers<K, V> {
  keySerializer?: Serializer<K> | undefined
  valueSerializer?: Serializer<V> | undefined
}

function serialized<T>(serializer: Serializer<T>, input: T, topic: string, part: 'key' | 'value', where: string) {
  let bytes: unknown
  try {
    bytes = serializer.serialize(input, { topic, part })
  } catch (error) {
    if (error instanceof KafkaError) throw error
    throw new SerializationError(
      `${where}.${part} could not be serialized: ${(error as Error)?.message ?? String(error)}`,
      {
        cause: error,
      },
    )
  }
  if (bytes !== null && !Buffer.isBuffer(bytes)) {
    throw new SerializationError(
      `the ${part} serializer returned ${typeof bytes} for ${where}; it must return a Buffer or null`,
    )
  }
  return bytes
}

/**
 * Checks one message and turns it into bytes; `where` names it in errors
 * ("messages[3]"), `topic` is what serializers are told.
 */
export function normalizeMessage<K, V>(
  message: Message<K, V>,
  where: string,
  topic: string,
  serializers: MessageSerializers<K, V> = {},
): NormalizedMessage {
  if (message === null || typeof message !== 'object') {
    throw new InvalidMessageError(`${where} must be an object with a value; got ${String(message)}`)
  }
  if (!('value' in message) || message.value === undefined) {
    throw new InvalidMessageError(`${where} has no value: set value (null for a tombstone)`)
  }
  const partition = message.partition ?? null
  if (partition !== null && (!Number.isInteger(partition) || partition < 0)) {
    throw new InvalidMessageError(`${where}.partition must be a non-negative integer; got ${String(partition)}`)
  }
  return {
    key:
      serializers.keySerializer && message.key !== undefined
        ? serialized(serializers.keySerializer, message.key, topic, 'key', where)
        : data(message.key, `${where}.key`),
    value: serializers.valueSerializer
      ? serialized(serializers.valueSerializer, message.value, topic, 'value', where)
      : data(message.value, `${where}.value`),
    headers: headers(message.headers, where),
    partition,
    timestamp: timestamp(message.timestamp, where),
  }
}
