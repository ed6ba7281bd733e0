import { CorruptRecordError } from '../errors.js'
import {
  type CompressionCodec,
  checkDecompressedBound,
  corruptInput,
  type DecompressOptions,
  maxDecompressedBytes,
} from './codec.js'
import { CompressionType } from './compression-type.js'
import { loadSnappy } from './native-modules.js'

/**
 * The Java producer compresses with xerial snappy-java's SnappyOutputStream, whose
 * stream is a 16-byte header (magic, version 1, compatible version 1) followed
 * by blocks of int32 big-endian length + one raw snappy block of at most 32 KiB
 * input. Other clients (librdkafka with some settings, older Go clients) write a
 * single raw snappy block, which Java's reader also accepts, so we read both.
 */
const XERIAL_MAGIC = Buffer.from([0x82, 0x53, 0x4e, 0x41, 0x50, 0x50, 0x59, 0x00])
const XERIAL_HEADER_BYTES = 16
const XERIAL_VERSION = 1
const XERIAL_BLOCK_BYTES = 32 * 1024

function startsWithXerialMagic(data: Buffer, offset: number): boolean {
  return data.length - offset >= XERIAL_HEADER_BYTES && data.compare(XERIAL_MAGIC, 0, 8, offset, offset + 8) === 0
}

/** The uncompressed length a raw snappy block declares in its uvarint preamble. */
function declaredLength(block: Buffer): number {
  let length = 0
  for (let i = 0; i < 5 && i < block.length; i++) {
    const byte = block[i]!
    length += (byte & 0x7f) * 2 ** (7 * i)
    if (byte < 0x80) return length
  }
  throw new CorruptRecordError('invalid snappy data: bad length preamble')
}

/**
 * Splits a xerial stream into its raw snappy blocks. A header seen again between
 * blocks starts a concatenated stream, which snappy-java also accepts.
 */
function xerialBlocks(data: Buffer): Buffer[] {
  const blocks: Buffer[] = []
  let offset = XERIAL_HEADER_BYTES
  while (offset < data.length) {
    if (startsWithXerialMagic(data, offset)) {
      offset += XERIAL_HEADER_BYTES
      continue
    }
    if (data.length - offset < 4) throw new CorruptRecordError('invalid snappy data: truncated xerial block length')
    const length = data.readInt32BE(offset)
    offset += 4
    if (length < 0 || length > data.length - offset) {
      throw new CorruptRecordError(`invalid snappy data: xerial block of ${length} bytes exceeds the input`)
    }
    blocks.push(data.subarray(offset, offset + length))
    offset += length
  }
  return blocks
}

/** The raw blocks of either format, after checking what they expand to against the limit. */
function blocksOf(data: Buffer, options: DecompressOptions | undefined): { blocks: Buffer[]; total: number } {
  const blocks = startsWithXerialMagic(data, 0) ? xerialBlocks(data) : [data]
  let total = 0
  for (const block of blocks) total += declaredLength(block)
  checkDecompressedBound('snappy', total, maxDecompressedBytes(options))
  return { blocks, total }
}

function xerialHeader(): Buffer {
  const header = Buffer.allocUnsafe(XERIAL_HEADER_BYTES)
  XERIAL_MAGIC.copy(header, 0)
  header.writeInt32BE(XERIAL_VERSION, 8)
  header.writeInt32BE(XERIAL_VERSION, 12)
  return header
}

function frame(compressedBlocks: Buffer[]): Buffer {
  const parts: Buffer[] = [xerialHeader()]
  for (const block of compressedBlocks) {
    const length = Buffer.allocUnsafe(4)
    length.writeInt32BE(block.length, 0)
    parts.push(length, block)
  }
  return Buffer.concat(parts)
}

function chunks(data: Buffer): Buffer[] {
  const result: Buffer[] = []
  for (let offset = 0; offset < data.length; offset += XERIAL_BLOCK_BYTES) {
    result.push(data.subarray(offset, offset + XERIAL_BLOCK_BYTES))
  }
  return result
}

/** `asBuffer: true` makes the library return Buffers; its types still allow strings. */
function asBuffer(part: string | Buffer): Buffer {
  return typeof part === 'string' ? Buffer.from(part, 'latin1') : part
}

function checkedConcat(parts: Buffer[], total: number): Buffer {
  // A block whose preamble lies about its size would decode to a different length.
  let actual = 0
  for (const part of parts) actual += part.length
  if (actual !== total) throw new CorruptRecordError('invalid snappy data: block length differs from its preamble')
  return parts.length === 1 ? parts[0]! : Buffer.concat(parts, total)
}

export const snappyCodec: CompressionCodec = {
  type: CompressionType.Snappy,
  name: 'snappy',
  async compress(data) {
    const snappy = loadSnappy()
    return frame(await Promise.all(chunks(data).map((chunk) => snappy.compress(chunk))))
  },
  compressSync(data) {
    const snappy = loadSnappy()
    return frame(chunks(data).map((chunk) => snappy.compressSync(chunk)))
  },
  async decompress(data, options) {
    const snappy = loadSnappy()
    try {
      const { blocks, total } = blocksOf(data, options)
      const parts = await Promise.all(
        blocks.map(async (block) => asBuffer(await snappy.uncompress(block, { asBuffer: true }))),
      )
      return checkedConcat(parts, total)
    } catch (error) {
      throw corruptInput('snappy', error)
    }
  },
  decompressSync(data, options) {
    const snappy = loadSnappy()
    try {
      const { blocks, total } = blocksOf(data, options)
      return checkedConcat(
        blocks.map((block) => asBuffer(snappy.uncompressSync(block, { asBuffer: true }))),
        total,
      )
    } catch (error) {
      throw corruptInput('snappy', error)
    }
  },
}
