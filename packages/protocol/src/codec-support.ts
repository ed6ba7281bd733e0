/**
 * Runtime helpers shared by the generated codecs (src/generated). Hand-written,
 * kept small: anything the generated code would otherwise repeat in every
 * module lives here.
 */
import { InvalidMessageError, KafkaError, ProtocolError } from './errors.js'
import { UnsupportedVersionError } from './generated/errors.js'
import type { Reader } from './primitives/reader.js'
import { Writer } from './primitives/writer.js'

/** A tagged field this codec does not know, kept as raw bytes so re-encoding preserves it. */
export interface UnknownTaggedField {
  tag: number
  data: Buffer
}

export const EMPTY_BYTES: Buffer = Buffer.alloc(0)

export function checkVersion(message: string, version: number, min: number, max: number): void {
  if (!Number.isInteger(version) || version < min || version > max) {
    throw new UnsupportedVersionError({
      api: message,
      detail:
        max < min
          ? `${message} has no valid versions in this protocol release`
          : `${message} version ${version} is not supported: valid versions are ${min}-${max}`,
    })
  }
}

export function unsupportedField(path: string, version: number): UnsupportedVersionError {
  return new UnsupportedVersionError({
    detail: `${path} has a non-default value but is not supported in version ${version}`,
  })
}

export function nullNotAllowed(path: string, version: number): InvalidMessageError {
  return new InvalidMessageError(`${path} is null but is not nullable in version ${version}`)
}

export function nullReceived(path: string, version: number): ProtocolError {
  return new ProtocolError(`received null for ${path}, which is not nullable in version ${version}`)
}

/** Turns a Node RangeError/TypeError raised while encoding (e.g. an int8 of 300) into a typed error. */
export function encodeFailure(error: unknown, message: string, version: number): KafkaError {
  if (error instanceof KafkaError) return error
  const reason = error instanceof Error ? error.message : String(error)
  return new InvalidMessageError(`cannot encode ${message} version ${version}: ${reason}`, { cause: error })
}

export function readString(r: Reader, compact: boolean, nullable: boolean, path: string, v: number): string | null {
  const length = compact ? r.compactLength() : r.stringLength()
  if (length >= 0) return r.utf8(length)
  if (!nullable) throw nullReceived(path, v)
  return null
}

export function readBytes(r: Reader, compact: boolean, nullable: boolean, path: string, v: number): Buffer | null {
  const length = compact ? r.compactLength() : r.int32Length()
  if (length >= 0) return r.slice(length)
  if (!nullable) throw nullReceived(path, v)
  return null
}

/**
 * Reads an array: its length (null = -1), checked against the remaining bytes
 * before anything is allocated, then each element.
 */
export function readArray<T>(
  r: Reader,
  compact: boolean,
  nullable: boolean,
  minElementBytes: number,
  path: string,
  v: number,
  readElement: (r: Reader) => T,
): T[] | null {
  const length = compact ? r.compactLength() : r.int32Length()
  if (length < 0) {
    if (!nullable) throw nullReceived(path, v)
    return null
  }
  r.checkCount(length, minElementBytes)
  const elements: T[] = []
  for (let i = 0; i < length; i++) elements.push(readElement(r))
  return elements
}

/** Encoding and decoding of one message type, in every version it has. */
export interface MessageCodec<T> {
  readonly name: string
  /** Lowest and highest version this codec reads and writes (may include an unstable latest version). */
  readonly minVersion: number
  readonly maxVersion: number
  /** First version using the compact ("flexible") encoding, or -1 if none does. */
  readonly firstFlexibleVersion: number
  encode(writer: Writer, version: number, message: T): void
  decode(reader: Reader, version: number): T
  /** A message with every field at its default, overridden by `init`. */
  create(init?: Partial<T>): T
}

export function writeArrayLength(w: Writer, compact: boolean, length: number): void {
  if (compact) w.uvarint(length + 1)
  else w.int32(length)
}

/** Writes one tagged field: tag, then the size of the value, then the value encoded by `encode`. */
export function writeTaggedField(w: Writer, tag: number, encode: (inner: Writer) => void): void {
  const inner = new Writer(64)
  encode(inner)
  w.uvarint(tag)
  w.uvarint(inner.offset)
  w.raw(inner.bytes())
}

/**
 * Writes the unknown tagged fields whose tag is below `belowTag`, starting at
 * index `from`, so that known and unknown fields go out in ascending tag order.
 * Returns the index of the first unknown field not written.
 */
export function writeUnknownTagsBelow(
  w: Writer,
  unknown: readonly UnknownTaggedField[] | undefined,
  from: number,
  belowTag: number,
): number {
  if (unknown === undefined) return from
  let i = from
  for (; i < unknown.length && unknown[i]!.tag < belowTag; i++) {
    w.uvarint(unknown[i]!.tag)
    w.uvarint(unknown[i]!.data.length)
    w.raw(unknown[i]!.data)
  }
  return i
}

/** The tagged section of a struct with no known tagged fields. */
export function writeOnlyUnknownTags(w: Writer, unknown: readonly UnknownTaggedField[] | undefined): void {
  if (unknown === undefined || unknown.length === 0) {
    w.uvarint(0)
    return
  }
  w.uvarint(unknown.length)
  writeUnknownTagsBelow(w, unknown, 0, Number.POSITIVE_INFINITY)
}

/** Reads the tagged section of a struct with no known tagged fields. */
export function readOnlyUnknownTags(r: Reader): UnknownTaggedField[] | undefined {
  const count = r.uvarint()
  if (count === 0) return undefined
  r.checkCount(count, 2)
  const fields: UnknownTaggedField[] = []
  for (let i = 0; i < count; i++) {
    const tag = r.uvarint()
    fields.push({ tag, data: r.slice(r.uvarint()) })
  }
  return fields
}

/** Fails unless a known tagged field's value used exactly the size its header declared. */
export function checkTaggedEnd(r: Reader, end: number, path: string): void {
  if (r.offset !== end) throw new ProtocolError(`tagged field ${path} did not match the size in its header`)
}
