import { randomBytes } from 'node:crypto'
import { gzipSync } from 'node:zlib'
import snappy from 'snappy'
import { describe, expect, it } from 'vitest'
import { CompressionType, compressionName } from '../src/compression/compression-type.js'
import { lz4Codec, lz4LegacyMagic0Codec } from '../src/compression/lz4.js'
import { compressionCodec } from '../src/compression/registry.js'
import { snappyCodec } from '../src/compression/snappy.js'
import { xxhash32 } from '../src/compression/xxhash32.js'
import { zstdCodec } from '../src/compression/zstd.js'
import { zstdMaxOutputBytes } from '../src/compression/zstd-frame.js'
import { CorruptRecordError, InvalidMessageError } from '../src/errors.js'

const ALL = [
  CompressionType.None,
  CompressionType.Gzip,
  CompressionType.Snappy,
  CompressionType.Lz4,
  CompressionType.Zstd,
]
const COMPRESSING = ALL.filter((type) => type !== CompressionType.None)

/** Text-like bytes that compress well, random bytes that do not, and sizes around the codecs' block sizes. */
const INPUTS: [string, Buffer][] = [
  ['empty', Buffer.alloc(0)],
  ['one byte', Buffer.from([42])],
  ['repetitive 100 KiB', Buffer.from('kafkit record batch '.repeat(5120))],
  ['random 70 KiB', randomBytes(70 * 1024)],
  ['1 MiB mixed', Buffer.concat([randomBytes(300_000), Buffer.alloc(748_576, 7)])],
]

describe.each(ALL)('codec %s', (type) => {
  const codec = compressionCodec(type)

  it.each(INPUTS)('round-trips %s asynchronously', async (_name, input) => {
    const compressed = await codec.compress(input)
    expect(Buffer.compare(await codec.decompress(compressed), input)).toBe(0)
  })

  it('is registered under its Kafka id and name', () => {
    expect(codec.type).toBe(type)
    expect(codec.name).toBe(compressionName(type))
  })
})

describe.each(ALL.filter((type) => type !== CompressionType.Zstd))('synchronous codec %s', (type) => {
  const codec = compressionCodec(type)

  it.each(INPUTS)('round-trips %s', (_name, input) => {
    const compressed = codec.compressSync!(input)
    expect(Buffer.compare(codec.decompressSync!(compressed), input)).toBe(0)
  })
})

it('zstd has no synchronous calls: its native library offers none', () => {
  expect(zstdCodec.compressSync).toBeUndefined()
  expect(zstdCodec.decompressSync).toBeUndefined()
})

describe.each(COMPRESSING)('decompressing garbage with codec %s', (type) => {
  const codec = compressionCodec(type)

  it.each([
    ['random bytes', randomBytes(200)],
    ['an empty buffer', Buffer.alloc(0)],
  ])('fails with CorruptRecordError on %s', async (_name, input) => {
    await expect(codec.decompress(input)).rejects.toBeInstanceOf(CorruptRecordError)
    if (codec.decompressSync) expect(() => codec.decompressSync!(input)).toThrow(CorruptRecordError)
  })

  it('fails with CorruptRecordError on truncated output of its own', async () => {
    const compressed = await codec.compress(Buffer.from('truncate me '.repeat(1000)))
    await expect(codec.decompress(compressed.subarray(0, compressed.length >> 1))).rejects.toBeInstanceOf(
      CorruptRecordError,
    )
  })

  it('refuses output beyond maxDecompressedBytes', async () => {
    const compressed = await codec.compress(Buffer.alloc(2 * 1024 * 1024))
    await expect(codec.decompress(compressed, { maxDecompressedBytes: 1024 * 1024 })).rejects.toThrow(
      /maxDecompressedBytes/,
    )
    // Bounds from headers may exceed the real size by a block, so allow some room.
    expect((await codec.decompress(compressed, { maxDecompressedBytes: 8 * 1024 * 1024 })).length).toBe(2 * 1024 * 1024)
  })
})

describe('compression registry', () => {
  it('rejects an unknown compression id', () => {
    expect(() => compressionCodec(5)).toThrow(InvalidMessageError)
  })
})

describe('gzip', () => {
  it('reads concatenated gzip members, as Java GZIPInputStream does', async () => {
    const data = Buffer.concat([gzipSync('first '), gzipSync('second')])
    expect((await compressionCodec(CompressionType.Gzip).decompress(data)).toString()).toBe('first second')
  })
})

describe('snappy', () => {
  const XERIAL_HEADER = '82534e41505059000000000100000001'

  it('writes xerial framing like the Java producer: header, then int32-length blocks of at most 32 KiB input', async () => {
    const input = randomBytes(80 * 1024)
    const framed = await snappyCodec.compress(input)
    expect(framed.subarray(0, 16).toString('hex')).toBe(XERIAL_HEADER)
    const blockSizes: number[] = []
    for (let offset = 16; offset < framed.length; ) {
      const length = framed.readInt32BE(offset)
      blockSizes.push(snappy.uncompressSync(framed.subarray(offset + 4, offset + 4 + length)).length)
      offset += 4 + length
    }
    expect(blockSizes).toEqual([32768, 32768, 16384])
  })

  it('reads a plain snappy block as other clients write it', async () => {
    const input = Buffer.from('plain snappy from librdkafka '.repeat(50))
    const plain = snappy.compressSync(input)
    expect(plain.subarray(0, 8).toString('hex')).not.toBe(XERIAL_HEADER.slice(0, 16))
    expect(Buffer.compare(await snappyCodec.decompress(plain), input)).toBe(0)
    expect(Buffer.compare(snappyCodec.decompressSync!(plain), input)).toBe(0)
  })

  it('reads concatenated xerial streams', async () => {
    const a = await snappyCodec.compress(Buffer.from('first,'))
    const b = await snappyCodec.compress(Buffer.from('second'))
    expect((await snappyCodec.decompress(Buffer.concat([a, b]))).toString()).toBe('first,second')
  })

  it('rejects a xerial block length that runs past the input', async () => {
    const framed = await snappyCodec.compress(Buffer.from('x'.repeat(100)))
    framed.writeInt32BE(10_000, 16)
    await expect(snappyCodec.decompress(framed)).rejects.toBeInstanceOf(CorruptRecordError)
  })

  it('refuses a block whose length preamble promises more than the limit, before decompressing', async () => {
    // preamble uvarint 0xffffffff (4 GiB) followed by junk
    const bomb = Buffer.from([0xff, 0xff, 0xff, 0xff, 0x0f, 0x00, 0x01])
    await expect(snappyCodec.decompress(bomb)).rejects.toThrow(/maxDecompressedBytes/)
  })
})

describe('lz4', () => {
  it('writes standard frames with independent blocks and no checksums, as Java does', async () => {
    const frame = await lz4Codec.compress(Buffer.from('hello '.repeat(100)))
    expect(frame.readUInt32LE(0)).toBe(0x184d2204)
    expect(frame[4]).toBe(0x60) // version 01, block independence, no block/content checksum, no content size
    expect((frame[5]! >> 4) & 7).toBeGreaterThanOrEqual(4) // 64 KiB..4 MiB blocks: what Java accepts
    expect(frame.readUInt32LE(frame.length - 4)).toBe(0) // end mark
  })

  it('reads frames with a content checksum written by the lz4 command-line tool', async () => {
    // `printf 'hello hello hello hello' | lz4 -c`
    const frame = Buffer.from('04224d186440a70f0000006868656c6c6f2006005068656c6c6f00000000f26b940b', 'hex')
    expect((await lz4Codec.decompress(frame)).toString()).toBe('hello hello hello hello')
  })

  it('rejects a wrong frame descriptor checksum', async () => {
    const frame = await lz4Codec.compress(Buffer.from('checksum'))
    frame[6] = frame[6]! ^ 0xff
    await expect(lz4Codec.decompress(frame)).rejects.toThrow(/descriptor checksum/)
  })

  it('reads magic 0 frames whose descriptor checksum covers the magic (Kafka before 0.10)', async () => {
    const input = Buffer.from('legacy lz4 '.repeat(20))
    const frame = await lz4Codec.compress(input)
    frame[6] = (xxhash32(frame, 0, 0, 6) >>> 8) & 0xff
    await expect(lz4Codec.decompress(frame)).rejects.toBeInstanceOf(CorruptRecordError)
    expect(Buffer.compare(await lz4LegacyMagic0Codec.decompress(frame), input)).toBe(0)
    expect(Buffer.compare(lz4LegacyMagic0Codec.decompressSync!(frame), input)).toBe(0)
  })

  it('refuses a frame with a missing end mark', async () => {
    const frame = await lz4Codec.compress(Buffer.from('end mark '.repeat(20)))
    await expect(lz4Codec.decompress(frame.subarray(0, frame.length - 4))).rejects.toThrow(/truncated/)
  })
})

describe('xxhash32', () => {
  it.each([
    ['empty input', Buffer.alloc(0), 0x02cc5d05],
    ['lz4 descriptor 60 40', Buffer.from([0x60, 0x40]), 0x82 << 8],
    ['lz4 descriptor 64 40', Buffer.from([0x64, 0x40]), 0xa7 << 8],
  ])('matches known hashes: %s', (_name, input, expected) => {
    const hash = xxhash32(input)
    if (input.length === 0) expect(hash).toBe(expected)
    else expect(hash & 0xff00).toBe(expected) // only the byte LZ4 keeps is known for these
  })

  it('agrees between the 16-byte stripe path and the tail path on a long input', () => {
    // Same bytes, hashed whole and from a view at an odd offset.
    const data = randomBytes(1000)
    const copy = Buffer.concat([Buffer.from([1]), data])
    expect(xxhash32(copy, 0, 1)).toBe(xxhash32(data))
  })
})

describe('zstd', () => {
  /** A frame without content size holding one raw block, like streaming encoders (zstd-jni) write. */
  function rawBlockFrame(payload: Buffer): Buffer {
    const blockHeader = 1 | (payload.length << 3) // last block, type raw
    return Buffer.concat([
      Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0x00, 0x00]),
      Buffer.from([blockHeader & 0xff, (blockHeader >> 8) & 0xff, (blockHeader >> 16) & 0xff]),
      payload,
    ])
  }

  it('reads frames without a content size', async () => {
    expect((await zstdCodec.decompress(rawBlockFrame(Buffer.from('streamed')))).toString()).toBe('streamed')
  })

  it('reads concatenated frames and skips skippable frames', async () => {
    const skippable = Buffer.from([0x50, 0x2a, 0x4d, 0x18, 3, 0, 0, 0, 9, 9, 9])
    const data = Buffer.concat([
      rawBlockFrame(Buffer.from('one,')),
      skippable,
      await zstdCodec.compress(Buffer.from('two')),
    ])
    expect((await zstdCodec.decompress(data)).toString()).toBe('one,two')
  })

  it('bounds the output by the block headers', () => {
    expect(zstdMaxOutputBytes(rawBlockFrame(Buffer.alloc(1000)))).toBe(1000)
  })

  it('refuses a frame declaring a 4 GiB content size before decompressing', async () => {
    // single segment, 4-byte content size 0xffffffff, then an RLE block
    const frame = Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0xa0, 0xff, 0xff, 0xff, 0xff, 0x03, 0x00, 0x00, 0x41])
    await expect(zstdCodec.decompress(frame)).rejects.toThrow(/maxDecompressedBytes/)
  })

  it('rejects a reserved block type', async () => {
    const frame = rawBlockFrame(Buffer.from('x'))
    frame[6] = frame[6]! | 0x06
    await expect(zstdCodec.decompress(frame)).rejects.toThrow(/reserved block type/)
  })
})
