import { CorruptRecordError, KafkaError } from '../errors.js'
import type { CompressionType } from './compression-type.js'

export interface CompressOptions {
  /**
   * Codec-specific level (Kafka's `compression.gzip.level` / `compression.zstd.level`);
   * ignored by codecs without levels (snappy, and lz4 here).
   */
  level?: number
}

export interface DecompressOptions {
  /**
   * Largest decompressed output accepted, in bytes. Input whose headers promise
   * more fails before anything that large is allocated, so a small hostile batch
   * cannot exhaust memory. Default `DEFAULT_MAX_DECOMPRESSED_BYTES`.
   */
  maxDecompressedBytes?: number
}

/**
 * 256 MiB: far above any batch a broker accepts with its default limits (1 MiB
 * `message.max.bytes`, so a 256:1 ratio), far below what makes Node fail to
 * allocate.
 */
export const DEFAULT_MAX_DECOMPRESSED_BYTES = 256 * 1024 * 1024

/**
 * One compression codec in the formats Kafka's Java client reads and writes.
 * Decompression never throws anything but a `KafkaError`: garbage input is a
 * `CorruptRecordError`.
 */
export interface CompressionCodec {
  readonly type: CompressionType
  readonly name: string
  compress(data: Buffer, options?: CompressOptions): Promise<Buffer>
  decompress(data: Buffer, options?: DecompressOptions): Promise<Buffer>
  /** Present where the native library offers a synchronous call (all but zstd). */
  readonly compressSync?: (data: Buffer, options?: CompressOptions) => Buffer
  readonly decompressSync?: (data: Buffer, options?: DecompressOptions) => Buffer
}

/** A codec's native module is missing for this platform or failed to load. */
export class CompressionUnavailableError extends KafkaError {}

export function maxDecompressedBytes(options: DecompressOptions | undefined): number {
  return options?.maxDecompressedBytes ?? DEFAULT_MAX_DECOMPRESSED_BYTES
}

/** Fails when the size a compressed input can expand to (from its headers) exceeds the limit. */
export function checkDecompressedBound(codec: string, bound: number, limit: number): void {
  if (bound > limit) {
    throw new CorruptRecordError(
      `${codec} data may expand to ${bound} bytes, more than maxDecompressedBytes (${limit}); raise the limit if this is legitimate`,
    )
  }
}

/** Wraps whatever a native decoder threw into the typed error callers can rely on. */
export function corruptInput(codec: string, cause: unknown): CorruptRecordError {
  if (cause instanceof CorruptRecordError) return cause
  const reason = cause instanceof Error ? cause.message : String(cause)
  return new CorruptRecordError(`invalid ${codec} data: ${reason}`, { cause })
}
