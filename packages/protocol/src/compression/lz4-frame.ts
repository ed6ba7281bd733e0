import { CorruptRecordError } from '../errors.js'
import { xxhash32 } from './xxhash32.js'

/**
 * Reads the structure of one LZ4 frame (magic, descriptor, block sizes) without
 * decompressing it, to bound the output before the native decoder allocates,
 * and to reject malformed frames the way Java's Lz4BlockInputStream does.
 */

const MAGIC = 0x184d2204
const INCOMPRESSIBLE = 0x80000000
/**
 * An LZ4 block expands at most 255-fold: beyond literals (copied 1:1), output
 * grows only through match-length bytes, each worth at most 255 bytes.
 */
const MAX_EXPANSION = 255

export interface Lz4FrameLayout {
  /** Offset of the header checksum byte (HC). */
  readonly headerChecksumAt: number
  /** Offset just past the frame; Java ignores bytes after it, so do we. */
  readonly end: number
  /** Most bytes the frame can decompress to. */
  readonly maxOutputBytes: number
}

function fail(reason: string): never {
  throw new CorruptRecordError(`invalid lz4 data: ${reason}`)
}

export function lz4FrameLayout(data: Buffer, checkHeaderChecksum: boolean): Lz4FrameLayout {
  if (data.length < 7) fail('frame shorter than its header')
  if (data.readUInt32LE(0) !== MAGIC) fail('not an LZ4 frame (bad magic)')
  const flags = data[4]!
  const blockDescriptor = data[5]!
  if (flags >>> 6 !== 1) fail(`unsupported frame version ${flags >>> 6}`)
  if ((flags & 0x03) !== 0 || (blockDescriptor & 0x8f) !== 0) fail('reserved descriptor bits set')
  const sizeCode = (blockDescriptor >>> 4) & 0x07
  if (sizeCode < 4) fail(`invalid block maximum size code ${sizeCode}`)
  const maxBlockBytes = 1 << (2 * sizeCode + 8)
  const hasBlockChecksums = (flags & 0x10) !== 0
  const hasContentSize = (flags & 0x08) !== 0
  const hasContentChecksum = (flags & 0x04) !== 0

  const headerChecksumAt = hasContentSize ? 14 : 6
  if (data.length <= headerChecksumAt) fail('truncated frame descriptor')
  if (checkHeaderChecksum && data[headerChecksumAt] !== headerChecksum(data, headerChecksumAt)) {
    fail('frame descriptor checksum mismatch')
  }

  let offset = headerChecksumAt + 1
  let maxOutputBytes = 0
  for (;;) {
    if (data.length - offset < 4) fail('truncated block size')
    const word = data.readUInt32LE(offset)
    offset += 4
    if (word === 0) break
    const size = (word & ~INCOMPRESSIBLE) >>> 0
    if (size > maxBlockBytes) fail(`block of ${size} bytes exceeds the frame's maximum ${maxBlockBytes}`)
    offset += size + (hasBlockChecksums ? 4 : 0)
    if (offset > data.length) fail('truncated block')
    maxOutputBytes += (word & INCOMPRESSIBLE) !== 0 ? size : Math.min(maxBlockBytes, size * MAX_EXPANSION)
  }
  if (hasContentChecksum) offset += 4
  if (offset > data.length) fail('truncated content checksum')
  return { headerChecksumAt, end: offset, maxOutputBytes }
}

/** The frame descriptor checksum: second byte of XXH32 over FLG..(content size). */
function headerChecksum(data: Buffer, headerChecksumAt: number): number {
  return (xxhash32(data, 0, 4, headerChecksumAt) >>> 8) & 0xff
}

/**
 * Kafka clients before 0.10 computed the descriptor checksum over the magic too;
 * Java still ignores it for magic 0 messages. The native decoder insists on a
 * correct one, so legacy frames get a copy with it recomputed.
 */
export function withRepairedHeaderChecksum(frame: Buffer, layout: Lz4FrameLayout): Buffer {
  const copy = Buffer.from(frame.subarray(0, layout.end))
  copy[layout.headerChecksumAt] = headerChecksum(copy, layout.headerChecksumAt)
  return copy
}
