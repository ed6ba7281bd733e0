import { CorruptRecordError } from '../errors.js'
import type { Reader } from '../primitives/reader.js'
import { varintSize, varlongSize, type Writer } from '../primitives/writer.js'
import type { KafkaRecord, RecordHeader } from './types.js'

/**
 * One record inside a batch (KIP-98 format): the body size is a varint prefix,
 * so the size is computed first and the bytes are then written once, straight
 * into the batch buffer.
 */

const NO_HEADERS: readonly RecordHeader[] = []

/** UTF-8 lengths of the header keys of the record being sized, reused to avoid an allocation per record. */
let headerKeyBytes: number[] = []

/** Bytes of the record body (everything after its length prefix). Must precede `writeRecord` for the same record. */
export function recordBodySize(
  timestampDelta: number,
  offsetDelta: number,
  key: Uint8Array | null,
  value: Uint8Array | null,
  headers: readonly RecordHeader[] | undefined,
): number {
  let size = 1 + varlongSize(timestampDelta) + varintSize(offsetDelta)
  size += key === null ? 1 : varintSize(key.length) + key.length
  size += value === null ? 1 : varintSize(value.length) + value.length
  const list = headers ?? NO_HEADERS
  size += varintSize(list.length)
  if (headerKeyBytes.length < list.length) headerKeyBytes = new Array<number>(list.length)
  for (let i = 0; i < list.length; i++) {
    const header = list[i]!
    const keyBytes = Buffer.byteLength(header.key, 'utf8')
    headerKeyBytes[i] = keyBytes
    size += varintSize(keyBytes) + keyBytes
    size += header.value === null ? 1 : varintSize(header.value.length) + header.value.length
  }
  return size
}

function writeNullableBytes(writer: Writer, bytes: Uint8Array | null): void {
  if (bytes === null) {
    writer.varint(-1)
  } else {
    writer.varint(bytes.length)
    writer.raw(bytes)
  }
}

/** Writes a record whose body size `recordBodySize` just computed. */
export function writeRecord(
  writer: Writer,
  bodySize: number,
  timestampDelta: number,
  offsetDelta: number,
  key: Uint8Array | null,
  value: Uint8Array | null,
  headers: readonly RecordHeader[] | undefined,
): void {
  writer.varint(bodySize)
  writer.int8(0) // record attributes: no bits are defined
  writer.varlong(timestampDelta)
  writer.varint(offsetDelta)
  writeNullableBytes(writer, key)
  writeNullableBytes(writer, value)
  const list = headers ?? NO_HEADERS
  writer.varint(list.length)
  for (let i = 0; i < list.length; i++) {
    const header = list[i]!
    const keyBytes = headerKeyBytes[i]!
    writer.varint(keyBytes)
    writer.ensure(keyBytes)
    writer.buffer.write(header.key, writer.offset, keyBytes, 'utf8')
    writer.offset += keyBytes
    writeNullableBytes(writer, header.value)
  }
}

/** What every record of a batch inherits from the batch header. */
export interface RecordContext {
  baseOffset: bigint
  baseTimestamp: number
  /** Overrides every record's timestamp when the batch uses LogAppendTime. */
  logAppendTime: number | null
}

/** Reads a length, where Java treats any negative length as null. */
function readNullableBytes(reader: Reader): Buffer | null {
  const length = reader.varint()
  return length < 0 ? null : reader.slice(length)
}

/** Reads one record; key, value and header values are views into the reader's buffer. */
export function readRecord(reader: Reader, context: RecordContext): KafkaRecord {
  const bodySize = reader.varint()
  if (bodySize < 0) throw new CorruptRecordError(`invalid record size ${bodySize}`)
  const start = reader.offset
  reader.int8() // attributes: unused
  const timestampDelta = reader.varlong()
  const offsetDelta = reader.varint()
  const key = readNullableBytes(reader)
  const value = readNullableBytes(reader)
  const headerCount = reader.varint()
  if (headerCount < 0 || headerCount > reader.remaining) {
    throw new CorruptRecordError(`invalid record header count ${headerCount}`)
  }
  const headers: RecordHeader[] = []
  for (let i = 0; i < headerCount; i++) {
    const keyLength = reader.varint()
    if (keyLength < 0) throw new CorruptRecordError(`invalid negative header key size ${keyLength}`)
    const headerKey = reader.utf8(keyLength)
    headers.push({ key: headerKey, value: readNullableBytes(reader) })
  }
  if (reader.offset - start !== bodySize) {
    throw new CorruptRecordError(`invalid record size: expected ${bodySize} bytes, read ${reader.offset - start}`)
  }
  return {
    offset: context.baseOffset + BigInt(offsetDelta),
    timestamp: context.logAppendTime ?? context.baseTimestamp + timestampDelta,
    key,
    value,
    headers,
  }
}
