import { InvalidMessageError } from '../errors.js'
import type { CompressionCodec } from './codec.js'
import { CompressionType, isCompressionType } from './compression-type.js'
import { gzipCodec } from './gzip.js'
import { lz4Codec } from './lz4.js'
import { snappyCodec } from './snappy.js'
import { zstdCodec } from './zstd.js'

/** Records stored as they are; present so callers need no special case for "none". */
export const noCompressionCodec: CompressionCodec = {
  type: CompressionType.None,
  name: 'none',
  compress: async (data) => data,
  decompress: async (data) => data,
  compressSync: (data) => data,
  decompressSync: (data) => data,
}

const CODECS: Record<CompressionType, CompressionCodec> = {
  [CompressionType.None]: noCompressionCodec,
  [CompressionType.Gzip]: gzipCodec,
  [CompressionType.Snappy]: snappyCodec,
  [CompressionType.Lz4]: lz4Codec,
  [CompressionType.Zstd]: zstdCodec,
}

/** The codec for a Kafka compression id (0 none, 1 gzip, 2 snappy, 3 lz4, 4 zstd). */
export function compressionCodec(type: number): CompressionCodec {
  if (!isCompressionType(type)) {
    throw new InvalidMessageError(`unknown compression type ${type}: expected 0 (none) to 4 (zstd)`)
  }
  return CODECS[type]
}
