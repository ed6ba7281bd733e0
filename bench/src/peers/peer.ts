import type { BenchRecord, CompressionName } from '../fixtures.js'

/** Who a measured case belongs to. */
export interface Identity {
  /** As shown in the table. */
  readonly name: string
  /** The client it belongs to: 'kafkit', 'kafkajs' or '@platformatic/kafka'. */
  readonly family: string
  /** A non-default path (kafkit's sync codecs, a peer's fallback CRC): shown, but not in the ratio summary. */
  readonly variant?: boolean
}

/** One timed operation: synchronous or asynchronous, whichever the client's real path is. */
export type Operation<T> = () => T | Promise<T>

/**
 * What each client under comparison must do, through the same internal code
 * path its own producer and consumer use. Each method converts the shared
 * fixtures into that client's own input shape first (untimed) and returns the
 * operation to time.
 */
export interface CodecPeer extends Identity {
  /** The Produce request version `encodeProduceRequest` writes. */
  readonly produceVersion: number
  /** Why this peer cannot run `compression`, or undefined when it can. */
  unsupported(compression: CompressionName): string | undefined
  /** Encodes a complete record batch (magic 2) holding `records`. */
  encodeBatch(records: readonly BenchRecord[], compression: CompressionName): Operation<Buffer>
  /**
   * Decodes `batch`, reads every record's key and value, and returns the sum of
   * `touch()` over them (so a lazy decoder does all its work too).
   */
  decodeBatch(batch: Buffer): Operation<number>
  /**
   * Encodes a complete Produce request frame (size, header, body) for one topic,
   * one uncompressed batch per entry of `partitions`.
   */
  encodeProduceRequest(partitions: readonly (readonly BenchRecord[])[]): Operation<Buffer>
}

/** A client that cannot run in this process (e.g. it needs a newer Node), and why. */
export interface SkippedClient extends Identity {
  readonly skipped: string
}

export type Client = CodecPeer | SkippedClient

export interface Crc32cImplementation extends Identity {
  crc32c(data: Buffer): number
}

export const TOPIC = 'bench-topic'
export const CLIENT_ID = 'kafkit-bench'
