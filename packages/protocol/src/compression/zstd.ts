import { type CompressionCodec, checkDecompressedBound, corruptInput, maxDecompressedBytes } from './codec.js'
import { CompressionType } from './compression-type.js'
import { loadZstd } from './native-modules.js'
import { zstdMaxOutputBytes } from './zstd-frame.js'

/** Java's default `compression.zstd.level` (ZSTD_CLEVEL_DEFAULT). */
const DEFAULT_LEVEL = 3

/**
 * zstd through @mongodb-js/zstd (kept on ^1: v2 changed its API), which only
 * has asynchronous calls, so this codec has no sync variants. Node 20's zlib has
 * no zstd.
 */
export const zstdCodec: CompressionCodec = {
  type: CompressionType.Zstd,
  name: 'zstd',
  compress: (data, options) => loadZstd().compress(data, options?.level ?? DEFAULT_LEVEL),
  async decompress(data, options) {
    const zstd = loadZstd()
    try {
      checkDecompressedBound('zstd', zstdMaxOutputBytes(data), maxDecompressedBytes(options))
      return await zstd.decompress(data)
    } catch (error) {
      throw corruptInput('zstd', error)
    }
  },
}
