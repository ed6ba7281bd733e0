import { constants as bufferConstants } from 'node:buffer'
import { promisify } from 'node:util'
import { gunzip, gunzipSync, gzip, gzipSync, type ZlibOptions } from 'node:zlib'
import { CorruptRecordError } from '../errors.js'
import {
  type CompressionCodec,
  type CompressOptions,
  corruptInput,
  type DecompressOptions,
  maxDecompressedBytes,
} from './codec.js'
import { CompressionType } from './compression-type.js'

const gzipAsync = promisify(gzip)
const gunzipAsync = promisify(gunzip)

function compressOptions(options: CompressOptions | undefined): ZlibOptions {
  // Java's default (Deflater.DEFAULT_COMPRESSION) is level 6, as is zlib's.
  return options?.level === undefined ? {} : { level: options.level }
}

/**
 * Output chunk for inflating. zlib's default of 16 KiB makes the async path take
 * one thread-pool round trip per 16 KiB (64 for a 1 MiB batch); a larger chunk
 * measured about 3x faster on 1 MiB batches (docs/benchmarks.md).
 */
const INFLATE_CHUNK_BYTES = 1024 * 1024

/** gzip has no size header to check up front, so zlib enforces the limit while inflating. */
function decompressOptions(options: DecompressOptions | undefined): ZlibOptions {
  // zlib rejects a limit above the largest Buffer, which is a limit anyway.
  const limit = Math.min(maxDecompressedBytes(options), bufferConstants.MAX_LENGTH)
  // The chunk grows with the input: a small batch should not allocate a megabyte.
  const chunkSize = Math.max(16 * 1024, Math.min(INFLATE_CHUNK_BYTES, limit))
  return { maxOutputLength: limit, chunkSize }
}

function decompressError(error: unknown, limit: number): CorruptRecordError {
  const code = typeof error === 'object' && error !== null && 'code' in error ? error.code : undefined
  if (error instanceof RangeError || code === 'ERR_BUFFER_TOO_LARGE') {
    return new CorruptRecordError(`gzip data expands to more than maxDecompressedBytes (${limit})`, { cause: error })
  }
  return corruptInput('gzip', error)
}

export const gzipCodec: CompressionCodec = {
  type: CompressionType.Gzip,
  name: 'gzip',
  compress: (data, options) => gzipAsync(data, compressOptions(options)),
  compressSync: (data, options) => gzipSync(data, compressOptions(options)),
  async decompress(data, options) {
    try {
      return await gunzipAsync(data, decompressOptions(options))
    } catch (error) {
      throw decompressError(error, maxDecompressedBytes(options))
    }
  },
  decompressSync(data, options) {
    try {
      return gunzipSync(data, decompressOptions(options))
    } catch (error) {
      throw decompressError(error, maxDecompressedBytes(options))
    }
  },
}
