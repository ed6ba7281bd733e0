import { CompressionType, InvalidMessageError } from '@kafkit/protocol'
import { checkOptionNames } from './option-names.js'
import type { PartitionerOption } from './partitioners/index.js'

export type Acks = 0 | 1 | -1
export type CompressionName = 'none' | 'gzip' | 'snappy' | 'lz4' | 'zstd'

/** Producer options; every duration and size says its unit, defaults are the Java producer's. */
export interface ProducerOptions {
  /** Acknowledgements the leader waits for: 0 none, 1 the leader, -1 all in-sync replicas. Default -1. */
  acks?: Acks
  /** Idempotent writes (no duplicates, order kept across retries); needs acks -1. Default true. */
  idempotent?: boolean
  /** Compression of record batches. Default 'none'. */
  compression?: CompressionName
  /** Codec level (gzip 1-9, zstd -131072..22); the codec's default when absent. */
  compressionLevel?: number
  /** Target size of a batch (Java's batch.size). Default 16 384. */
  batchBytes?: number
  /** How long a batch waits for more records before it is sent (Java's linger.ms). Default 5. */
  lingerMs?: number
  /** Bytes of records the producer holds before `send` waits (Java's buffer.memory). Default 33 554 432 (32 MiB). */
  bufferMemoryBytes?: number
  /** How long `send` waits for buffer space or topic metadata before failing (Java's max.block.ms). Default 60 000. */
  maxBlockMs?: number
  /** Produce requests in flight per broker; at most 5 with idempotence. Default 5. */
  maxInFlightRequests?: number
  /** How long to wait for a Produce response (also the broker's produce timeout). Default 30 000. */
  requestTimeoutMs?: number
  /** Time from `send` to acknowledgement or failure, retries included (Java's delivery.timeout.ms). Default 120 000. */
  deliveryTimeoutMs?: number
  /** Largest Produce request, and so largest record (Java's max.request.size). Default 1 048 576. */
  maxRequestBytes?: number
  /** First backoff between retries. Default 100. */
  retryBackoffMs?: number
  /** Backoff ceiling. Default 1000. */
  retryBackoffMaxMs?: number
  /** How partitions are chosen for records without one. Default 'default' (Java's). */
  partitioner?: PartitionerOption
  /**
   * Makes the producer transactional (Java's transactional.id): records are
   * sent inside `beginTransaction()` / `commitTransaction()`, and a newer
   * producer with the same id fences this one. Implies idempotence and acks -1.
   */
  transactionalId?: string
  /** How long the coordinator lets a transaction stay open before aborting it (Java's transaction.timeout.ms). Default 60 000. */
  transactionTimeoutMs?: number
}

export interface ResolvedProducerOptions {
  acks: Acks
  idempotent: boolean
  compression: CompressionType
  compressionLevel: number | undefined
  batchBytes: number
  lingerMs: number
  bufferMemoryBytes: number
  maxBlockMs: number
  maxInFlightRequests: number
  requestTimeoutMs: number
  deliveryTimeoutMs: number
  maxRequestBytes: number
  retryBackoffMs: number
  retryBackoffMaxMs: number
  /** The transactional id, or undefined for a producer that is not transactional. */
  transactionalId: string | undefined
  transactionTimeoutMs: number
}

const COMPRESSION: Record<CompressionName, CompressionType> = {
  none: CompressionType.None,
  gzip: CompressionType.Gzip,
  snappy: CompressionType.Snappy,
  lz4: CompressionType.Lz4,
  zstd: CompressionType.Zstd,
}

export function compressionType(name: unknown, where = 'compression'): CompressionType {
  if (typeof name === 'string' && Object.hasOwn(COMPRESSION, name)) return COMPRESSION[name as CompressionName]
  throw new InvalidMessageError(`${where} must be one of none, gzip, snappy, lz4, zstd; got ${String(name)}`)
}

export function checkAcks(acks: unknown, where = 'acks'): Acks {
  if (acks === 0 || acks === 1 || acks === -1) return acks
  throw new InvalidMessageError(`${where} must be 0, 1 or -1 (all in-sync replicas); got ${String(acks)}`)
}

function integer(options: ProducerOptions, name: keyof ProducerOptions, fallback: number, min: number): number {
  const value = options[name]
  if (value === undefined) return fallback
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min) {
    throw new InvalidMessageError(`${name} must be an integer >= ${min}; got ${String(value)}`)
  }
  return value
}

/** Applies defaults and checks every option, naming the one to change. */
export function resolveProducerOptions(options: ProducerOptions = {}): ResolvedProducerOptions {
  if (options === null || typeof options !== 'object') {
    throw new InvalidMessageError(`producer options must be an object; got ${String(options)}`)
  }
  checkOptionNames(options)
  const acks = options.acks === undefined ? -1 : checkAcks(options.acks)
  const transactionalId = checkTransactionalId(options, acks)
  if (options.idempotent !== undefined && typeof options.idempotent !== 'boolean') {
    throw new InvalidMessageError(`idempotent must be true or false; got ${String(options.idempotent)}`)
  }
  // As in Java, idempotence is on by default but gives way to an explicit acks 0 or 1;
  // asking for both explicitly is a contradiction.
  if (options.idempotent === true && acks !== -1) {
    throw new InvalidMessageError(
      `idempotent producers need acks -1; set acks: -1 or idempotent: false (got acks ${acks})`,
    )
  }
  const idempotent = options.idempotent ?? acks === -1
  const maxInFlightRequests = integer(options, 'maxInFlightRequests', 5, 1)
  if (idempotent && maxInFlightRequests > 5) {
    throw new InvalidMessageError(
      `maxInFlightRequests must be at most 5 for an idempotent producer (got ${maxInFlightRequests}); lower it or set idempotent: false`,
    )
  }
  const resolved: ResolvedProducerOptions = {
    acks,
    idempotent,
    compression: options.compression === undefined ? CompressionType.None : compressionType(options.compression),
    compressionLevel: options.compressionLevel,
    batchBytes: integer(options, 'batchBytes', 16384, 1),
    lingerMs: integer(options, 'lingerMs', 5, 0),
    bufferMemoryBytes: integer(options, 'bufferMemoryBytes', 32 * 1024 * 1024, 1),
    maxBlockMs: integer(options, 'maxBlockMs', 60_000, 0),
    maxInFlightRequests,
    requestTimeoutMs: integer(options, 'requestTimeoutMs', 30_000, 1),
    deliveryTimeoutMs: integer(options, 'deliveryTimeoutMs', 120_000, 1),
    maxRequestBytes: integer(options, 'maxRequestBytes', 1024 * 1024, 1),
    retryBackoffMs: integer(options, 'retryBackoffMs', 100, 0),
    retryBackoffMaxMs: integer(options, 'retryBackoffMaxMs', 1000, 0),
    transactionalId,
    transactionTimeoutMs: integer(options, 'transactionTimeoutMs', 60_000, 1),
  }
  if (options.compressionLevel !== undefined && !Number.isInteger(options.compressionLevel)) {
    throw new InvalidMessageError(`compressionLevel must be an integer; got ${String(options.compressionLevel)}`)
  }
  if (resolved.deliveryTimeoutMs < resolved.lingerMs + resolved.requestTimeoutMs) {
    throw new InvalidMessageError(
      `deliveryTimeoutMs (${resolved.deliveryTimeoutMs}) must be at least lingerMs + requestTimeoutMs (${resolved.lingerMs + resolved.requestTimeoutMs}); raise it or lower those`,
    )
  }
  return resolved
}

/** A transactional producer is an idempotent one with acks -1, as in Java; contradicting options fail here. */
function checkTransactionalId(options: ProducerOptions, acks: Acks): string | undefined {
  const id = options.transactionalId
  if (id === undefined) return undefined
  if (typeof id !== 'string' || id.length === 0) {
    throw new InvalidMessageError(`transactionalId must be a non-empty string; got ${String(id)}`)
  }
  if (options.idempotent === false) {
    throw new InvalidMessageError(
      `a transactional producer is idempotent: drop idempotent: false or drop transactionalId "${id}"`,
    )
  }
  if (acks !== -1) {
    throw new InvalidMessageError(
      `a transactional producer needs acks -1; set acks: -1 or drop transactionalId "${id}" (got acks ${acks})`,
    )
  }
  return id
}
