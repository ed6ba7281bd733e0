export {
  type CompressionCodec,
  CompressionUnavailableError,
  type CompressOptions,
  DEFAULT_MAX_DECOMPRESSED_BYTES,
  type DecompressOptions,
} from './codec.js'
export { CompressionType, compressionName, isCompressionType } from './compression-type.js'
export { gzipCodec } from './gzip.js'
export { lz4Codec } from './lz4.js'
export { compressionCodec, noCompressionCodec } from './registry.js'
export { snappyCodec } from './snappy.js'
export { zstdCodec } from './zstd.js'
