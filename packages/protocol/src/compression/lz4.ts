import type { FrameCompressOptions } from 'lz4-napi'
import {
  type CompressionCodec,
  checkDecompressedBound,
  corruptInput,
  type DecompressOptions,
  maxDecompressedBytes,
} from './codec.js'
import { CompressionType } from './compression-type.js'
import { lz4FrameLayout, withRepairedHeaderChecksum } from './lz4-frame.js'
import { loadLz4 } from './native-modules.js'

/**
 * Kafka's lz4 is the standard LZ4 frame format. Java writes independent blocks
 * without block or content checksums; pinning those options keeps our frames
 * identical in shape to what every Kafka version since 0.10 reads.
 */
const FRAME_OPTIONS: FrameCompressOptions = { contentChecksum: false, blockChecksums: false }

/** The frame to hand to the native decoder, after structural checks and the size bound. */
function prepare(data: Buffer, options: DecompressOptions | undefined, legacyMagic0: boolean): Buffer {
  const layout = lz4FrameLayout(data, !legacyMagic0)
  checkDecompressedBound('lz4', layout.maxOutputBytes, maxDecompressedBytes(options))
  return legacyMagic0 ? withRepairedHeaderChecksum(data, layout) : data.subarray(0, layout.end)
}

function createLz4Codec(legacyMagic0: boolean): CompressionCodec {
  return {
    type: CompressionType.Lz4,
    name: 'lz4',
    compress: (data) => loadLz4().compressFrame(data, FRAME_OPTIONS),
    compressSync: (data) => loadLz4().compressFrameSync(data, FRAME_OPTIONS),
    async decompress(data, options) {
      const lz4 = loadLz4()
      try {
        return await lz4.decompressFrame(prepare(data, options, legacyMagic0))
      } catch (error) {
        throw corruptInput('lz4', error)
      }
    },
    decompressSync(data, options) {
      const lz4 = loadLz4()
      try {
        return lz4.decompressFrameSync(prepare(data, options, legacyMagic0))
      } catch (error) {
        throw corruptInput('lz4', error)
      }
    },
  }
}

export const lz4Codec = createLz4Codec(false)

/**
 * For magic 0 messages only: clients before Kafka 0.10 wrote a wrong frame
 * descriptor checksum, which Java ignores for that format.
 */
export const lz4LegacyMagic0Codec = createLz4Codec(true)
