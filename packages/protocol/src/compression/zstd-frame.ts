import { CorruptRecordError } from '../errors.js'

/**
 * Walks the frames and block headers of zstd data (RFC 8878) without
 * decompressing, to bound the output size before the native decoder allocates
 * it: a hostile frame can declare a 4 GiB content size in a dozen bytes.
 */

const FRAME_MAGIC = 0xfd2fb528
const SKIPPABLE_MAGIC_MASK = 0xfffffff0
const SKIPPABLE_MAGIC = 0x184d2a50
const MAX_BLOCK_BYTES = 128 * 1024
const DICTIONARY_ID_BYTES = [0, 1, 2, 4] as const
const CONTENT_SIZE_BYTES = [0, 2, 4, 8] as const

function fail(reason: string): never {
  throw new CorruptRecordError(`invalid zstd data: ${reason}`)
}

function need(data: Buffer, offset: number, size: number): void {
  if (data.length - offset < size) fail('truncated frame')
}

/** Reads an unsigned little-endian integer of 1, 2, 4 or 8 bytes as a number (large values lose precision, harmlessly). */
function readUnsigned(data: Buffer, offset: number, size: number): number {
  if (size === 8) return Number(data.readBigUInt64LE(offset))
  return data.readUIntLE(offset, size)
}

/** Most bytes `data` (one or more zstd or skippable frames) can decompress to. */
export function zstdMaxOutputBytes(data: Buffer): number {
  if (data.length === 0) fail('empty input')
  let offset = 0
  let bound = 0
  while (offset < data.length) {
    need(data, offset, 4)
    const magic = data.readUInt32LE(offset)
    offset += 4
    if ((magic & SKIPPABLE_MAGIC_MASK) >>> 0 === SKIPPABLE_MAGIC) {
      need(data, offset, 4)
      offset += 4 + data.readUInt32LE(offset)
      if (offset > data.length) fail('truncated skippable frame')
      continue
    }
    if (magic !== FRAME_MAGIC) fail('not a zstd frame (bad magic)')
    const frame = frameBound(data, offset)
    offset = frame.end
    bound += frame.bound
  }
  return bound
}

function frameBound(data: Buffer, start: number): { end: number; bound: number } {
  let offset = start
  need(data, offset, 1)
  const descriptor = data[offset++]!
  if ((descriptor & 0x08) !== 0) fail('reserved frame header bit set')
  const singleSegment = (descriptor & 0x20) !== 0
  const contentSizeFlag = descriptor >>> 6
  const hasChecksum = (descriptor & 0x04) !== 0

  let windowBytes = Number.POSITIVE_INFINITY
  if (!singleSegment) {
    need(data, offset, 1)
    const window = data[offset++]!
    const base = 2 ** (10 + (window >>> 3))
    windowBytes = base + (base / 8) * (window & 0x07)
  }
  offset += DICTIONARY_ID_BYTES[descriptor & 0x03]!
  const contentSizeBytes = contentSizeFlag === 0 && singleSegment ? 1 : CONTENT_SIZE_BYTES[contentSizeFlag]!
  need(data, offset, contentSizeBytes)
  let contentSize: number | null = null
  if (contentSizeBytes > 0) {
    contentSize = readUnsigned(data, offset, contentSizeBytes) + (contentSizeBytes === 2 ? 256 : 0)
    if (singleSegment) windowBytes = contentSize
  }
  offset += contentSizeBytes

  const maxBlockBytes = Math.min(windowBytes, MAX_BLOCK_BYTES)
  let blocksBound = 0
  for (let last = false; !last; ) {
    need(data, offset, 3)
    const header = data.readUIntLE(offset, 3)
    offset += 3
    last = (header & 1) === 1
    const type = (header >>> 1) & 0x03
    const size = header >>> 3
    if (type === 3) fail('reserved block type')
    // A raw block stores `size` bytes; an RLE block repeats one byte `size` times.
    offset += type === 1 ? 1 : size
    if (offset > data.length) fail('truncated block')
    blocksBound += type === 2 ? maxBlockBytes : size
  }
  if (hasChecksum) offset += 4
  if (offset > data.length) fail('truncated checksum')
  // The decoder may allocate the declared content size up front, so it counts too.
  return { end: offset, bound: Math.max(blocksBound, contentSize ?? 0) }
}
