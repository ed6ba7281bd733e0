import { InvalidMessageError } from '../errors.js'

/** What a serializer knows about the record it works on. */
export interface SerdeContext {
  topic: string
  /** Whether the bytes are (or become) the record's key or its value. */
  part: 'key' | 'value'
}

/** Turns an application value into record bytes; null writes a null key or a tombstone. */
export interface Serializer<T> {
  serialize(value: T, context: SerdeContext): Buffer | null
}

/** Turns record bytes back into an application value. */
export interface Deserializer<T> {
  deserialize(bytes: Buffer | null, context: SerdeContext): T
}

/** Both directions, so that a producer and a consumer can share one definition per topic. */
export interface Serde<T> extends Serializer<T>, Deserializer<T> {}

/**
 * A value that a serializer could not turn into bytes, or bytes a deserializer
 * could not read. Says which topic and part, and keeps the codec's error as cause.
 */
export class SerializationError extends InvalidMessageError {}

/** UTF-8 strings; null stays null. */
export const stringSerde: Serde<string | null> = {
  serialize(value, context) {
    if (value === null) return null
    if (typeof value !== 'string') throw wrongType('a string or null', value, context)
    return Buffer.from(value, 'utf8')
  },
  deserialize(bytes) {
    return bytes === null ? null : bytes.toString('utf8')
  },
}

/** Bytes as they are. */
export const bufferSerde: Serde<Buffer | null> = {
  serialize(value, context) {
    if (value !== null && !Buffer.isBuffer(value)) throw wrongType('a Buffer or null', value, context)
    return value
  },
  deserialize(bytes) {
    return bytes
  },
}

export interface JsonSerdeOptions {
  /** Passed to JSON.stringify. */
  replacer?: (this: unknown, key: string, value: unknown) => unknown
  /** Passed to JSON.parse. */
  reviver?: (this: unknown, key: string, value: unknown) => unknown
}

/**
 * JSON as UTF-8. null maps to a null key or a tombstone and back, so a JSON
 * `null` document cannot be told from a tombstone: as with Kafka's JsonSerializer.
 * The type parameter is the application's promise about the documents on the
 * topic; the deserializer does not check their shape.
 */
export function jsonSerde<T>(options: JsonSerdeOptions = {}): Serde<T | null> {
  return {
    serialize(value, context) {
      if (value === null) return null
      let text: string | undefined
      try {
        text = JSON.stringify(value, options.replacer)
      } catch (error) {
        throw new SerializationError(
          `the ${context.part} for topic "${context.topic}" cannot be written as JSON: ${(error as Error).message}`,
          { cause: error },
        )
      }
      // JSON.stringify returns undefined for undefined, functions and symbols: nothing to send.
      if (text === undefined) throw wrongType('a JSON value or null', value, context)
      return Buffer.from(text, 'utf8')
    },
    deserialize(bytes, context) {
      if (bytes === null) return null
      try {
        return JSON.parse(bytes.toString('utf8'), options.reviver) as T
      } catch (error) {
        throw new SerializationError(
          `the ${context.part} at topic "${context.topic}" is not JSON: ${(error as Error).message}`,
          { cause: error },
        )
      }
    },
  }
}

function wrongType(expected: string, value: unknown, context: SerdeContext): SerializationError {
  const got = value === undefined ? 'undefined' : Array.isArray(value) ? 'an array' : typeof value
  return new SerializationError(`the ${context.part} for topic "${context.topic}" must be ${expected}; got ${got}`)
}
