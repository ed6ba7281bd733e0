// Kafka's Java client (kafka-clients 4.1.1) as a reference for cross-checking kafkit's codec.
// Each call runs one JVM over a whole list of requests; see README.md for the formats.
import { javaReferenceAvailability } from './java-build.js'
import { type RunOptions, runJavaLines } from './java-process.js'
import type {
  CompressionName,
  JavaFailure,
  JavaReferenceCommand,
  JavaWireReply,
  JavaWireRequest,
  ReadBatchesWireBatch,
  ReadBatchesWireRecord,
  TimestampTypeName,
  WireInt64,
  WriteControlWireRequest,
} from './java-wire.js'
import { type KafkaJsonObject, kafkaJsonText, restoreKafkaJson } from './kafka-json.js'

export type { JavaReferenceAvailability } from './java-build.js'
export type { RunOptions } from './java-process.js'
export type * from './java-wire.js'
export { Float64, float64, type KafkaJson, type KafkaJsonObject } from './kafka-json.js'
export { javaReferenceAvailability }

/** Either the command's result or the Java side's error for that one request. */
export type JavaOutcome<T> = T | JavaFailure

export function isJavaFailure<T extends object>(outcome: JavaOutcome<T>): outcome is JavaFailure {
  return 'error' in outcome
}

/** The results, or an Error naming the first request the Java side rejected. */
export function orThrow<T extends object>(outcomes: readonly JavaOutcome<T>[]): T[] {
  return outcomes.map((outcome, index) => {
    if (isJavaFailure(outcome)) throw new Error(`Java reference rejected request ${index}: ${outcome.error}`)
    return outcome
  })
}

/**
 * Runs `command` in one JVM over every request and returns the replies in request order.
 * Requests without an `id` get their index as id; a reply whose id does not match is an error.
 */
export async function runJavaReference<C extends JavaReferenceCommand>(
  command: C,
  inputs: readonly JavaWireRequest<C>[],
  options?: RunOptions,
): Promise<JavaWireReply<C>[]> {
  const requests = inputs.map((input, index) => ({ ...input, id: input.id ?? index }))
  const lines = await runJavaLines(command, requests.map(kafkaJsonText), options)
  return lines.map((line, index) => {
    const reply = JSON.parse(line) as JavaWireReply<C>
    const expected = requests[index]?.id
    if (reply.id !== expected) {
      throw new Error(
        `Java reference reply ${index} has id ${JSON.stringify(reply.id)}, expected ${JSON.stringify(expected)}`,
      )
    }
    return reply
  })
}

/** A tagged field the message spec does not know, on the struct at `path` (JSON Pointer; '' = the message). */
export interface UnknownTaggedField {
  readonly path: string
  readonly tag: number
  readonly data: Uint8Array
}

export interface EncodeRequest {
  /** API message name as in the spec files, e.g. 'ProduceRequest', 'FetchResponse', 'RequestHeader'. */
  readonly message: string
  readonly version: number
  readonly json: KafkaJsonObject
  readonly unknownTaggedFields?: readonly UnknownTaggedField[]
}

/** Message body bytes (no size prefix, no header) as the Java client writes them. */
export async function javaEncode(
  requests: readonly EncodeRequest[],
  options?: RunOptions,
): Promise<JavaOutcome<{ bytes: Uint8Array }>[]> {
  const wire = requests.map(({ unknownTaggedFields, ...request }) => ({
    ...request,
    unknownTaggedFields: unknownTaggedFields?.map(({ path, tag, data }) => ({ path, tag, hex: toHex(data) })),
  }))
  const replies = await runJavaReference('encode', wire, options)
  return replies.map((reply) => ('error' in reply ? failure(reply) : { bytes: fromHex(reply.hex) }))
}

export interface DecodeRequest {
  readonly message: string
  readonly version: number
  readonly bytes: Uint8Array
}

export interface Decoded {
  /** Kafka message JSON: bigint for int64, Uint8Array for bytes and records. */
  readonly json: KafkaJsonObject
  /** Tagged fields the spec does not know; JsonConverter has no JSON form for them. */
  readonly unknownTaggedFields: readonly UnknownTaggedField[]
  /** False when the Java reader stopped before the end of the bytes. */
  readonly consumedAll: boolean
  readonly remainingBytes: number
}

export async function javaDecode(
  requests: readonly DecodeRequest[],
  options?: RunOptions,
): Promise<JavaOutcome<Decoded>[]> {
  const wire = requests.map(({ message, version, bytes }) => ({ message, version, hex: toHex(bytes) }))
  const replies = await runJavaReference('decode', wire, options)
  return replies.map((reply) => {
    if ('error' in reply) return failure(reply)
    const json = restoreKafkaJson(reply.json, reply) as KafkaJsonObject
    const unknownTaggedFields = reply.unknownTaggedFields.map(({ path, tag, hex }) => ({
      path,
      tag,
      data: fromHex(hex),
    }))
    return { json, unknownTaggedFields, consumedAll: reply.consumedAll, remainingBytes: reply.remainingBytes }
  })
}

export interface Header {
  readonly key: string
  readonly value: Uint8Array | null
}

export interface BatchRecordInput {
  /** Explicit offset (gaps allowed, as compaction leaves them); default: the next one. */
  readonly offset?: WireInt64
  /** Create time in ms; default -1 (no timestamp). */
  readonly timestamp?: WireInt64
  readonly key: Uint8Array | null
  readonly value: Uint8Array | null
  readonly headers?: readonly Header[]
}

export interface WriteBatchRequest {
  readonly compression?: CompressionName
  readonly compressionLevel?: number
  /** 2 (default) for a record batch, 0 or 1 for a legacy message set. */
  readonly magic?: 0 | 1 | 2
  readonly baseOffset?: WireInt64
  readonly timestampType?: TimestampTypeName
  /** Required with timestampType 'logAppend'. */
  readonly logAppendTime?: WireInt64
  readonly producerId?: WireInt64
  readonly producerEpoch?: number
  readonly baseSequence?: number
  readonly transactional?: boolean
  readonly partitionLeaderEpoch?: number
  readonly records: readonly BatchRecordInput[]
}

/** Bytes of one batch (magic 2) or message set (magic 0/1) as MemoryRecordsBuilder writes it. */
export async function javaWriteBatch(
  requests: readonly WriteBatchRequest[],
  options?: RunOptions,
): Promise<JavaOutcome<{ bytes: Uint8Array }>[]> {
  const wire = requests.map((request) => ({
    ...request,
    records: request.records.map((record) => ({
      ...record,
      key: toHexOrNull(record.key),
      value: toHexOrNull(record.value),
      headers: record.headers?.map((header) => ({ key: header.key, value: toHexOrNull(header.value) })),
    })),
  }))
  const replies = await runJavaReference('write-batch', wire, options)
  return replies.map((reply) => ('error' in reply ? failure(reply) : { bytes: fromHex(reply.hex) }))
}

export type WriteControlRequest = WriteControlWireRequest

/** A control batch holding one end-transaction marker, as MemoryRecords.withEndTransactionMarker writes it. */
export async function javaWriteControl(
  requests: readonly WriteControlRequest[],
  options?: RunOptions,
): Promise<JavaOutcome<{ bytes: Uint8Array }>[]> {
  const replies = await runJavaReference('write-control', requests, options)
  return replies.map((reply) => ('error' in reply ? failure(reply) : { bytes: fromHex(reply.hex) }))
}

export interface ReadRecord extends Omit<ReadBatchesWireRecord, 'offset' | 'timestamp' | 'key' | 'value' | 'headers'> {
  readonly offset: bigint
  readonly timestamp: bigint
  readonly key: Uint8Array | null
  readonly value: Uint8Array | null
  readonly headers: readonly Header[]
}

export interface ReadBatch
  extends Omit<ReadBatchesWireBatch, 'baseOffset' | 'lastOffset' | 'producerId' | 'maxTimestamp' | 'records'> {
  readonly baseOffset: bigint
  readonly lastOffset: bigint
  readonly producerId: bigint
  readonly maxTimestamp: bigint
  readonly records: readonly ReadRecord[]
}

export interface ReadBatches {
  readonly batches: readonly ReadBatch[]
  /** Bytes covered by whole batches. */
  readonly validBytes: number
  /** Bytes after the last whole batch (a fetch may end in a partial batch). */
  readonly trailingBytes: number
}

/** What a Java consumer reads from the bytes, after ensureValid() on every batch and record. */
export async function javaReadBatches(
  inputs: readonly Uint8Array[],
  options?: RunOptions,
): Promise<JavaOutcome<ReadBatches>[]> {
  const replies = await runJavaReference(
    'read-batches',
    inputs.map((bytes) => ({ hex: toHex(bytes) })),
    options,
  )
  return replies.map((reply) => {
    if ('error' in reply) return failure(reply)
    const batches = reply.batches.map((batch) => ({
      ...batch,
      baseOffset: BigInt(batch.baseOffset),
      lastOffset: BigInt(batch.lastOffset),
      producerId: BigInt(batch.producerId),
      maxTimestamp: BigInt(batch.maxTimestamp),
      records: batch.records.map((record) => ({
        ...record,
        offset: BigInt(record.offset),
        timestamp: BigInt(record.timestamp),
        key: fromHexOrNull(record.key),
        value: fromHexOrNull(record.value),
        headers: record.headers.map((header) => ({ key: header.key, value: fromHexOrNull(header.value) })),
      })),
    }))
    return { batches, validBytes: reply.validBytes, trailingBytes: reply.trailingBytes }
  })
}

export interface Murmur2Request {
  readonly key: Uint8Array
  /** When given, also the partition the Java default partitioner picks for this key. */
  readonly partitions?: number
}

export async function javaMurmur2(
  requests: readonly Murmur2Request[],
  options?: RunOptions,
): Promise<JavaOutcome<{ murmur2: number; partition?: number }>[]> {
  const wire = requests.map(({ key, partitions }) => ({ key: toHex(key), partitions }))
  const replies = await runJavaReference('murmur2', wire, options)
  return replies.map((reply) => {
    if ('error' in reply) return failure(reply)
    return reply.partition === undefined
      ? { murmur2: reply.murmur2 }
      : { murmur2: reply.murmur2, partition: reply.partition }
  })
}

export interface ConsumeCheckRecord {
  readonly partition: number
  readonly offset: bigint
  readonly key: Uint8Array | null
  readonly value: Uint8Array | null
  readonly headers?: readonly Header[]
  /** Checked when given. */
  readonly timestamp?: number | bigint
}

export interface ConsumeCheckRequest {
  /** Bootstrap servers, comma-separated. */
  readonly bootstrap: string
  readonly topic: string
  /** Partitions to assign, each with the offset to seek to. */
  readonly start: readonly { readonly partition: number; readonly offset: bigint }[]
  /** What was produced; the records at or after each partition's start offset must be read, exactly these. */
  readonly records: readonly ConsumeCheckRecord[]
  /** Consumer settings over the defaults (e.g. max.partition.fetch.bytes). */
  readonly properties?: Readonly<Record<string, string>>
  readonly timeoutMs?: number
}

export interface ConsumeCheckResult {
  readonly read: number
  readonly matched: number
  readonly endOffsets: ReadonlyMap<number, bigint>
  readonly firstOffsets: ReadonlyMap<number, bigint>
  /** Every record that differs, is missing or should not have been read; empty when all match. */
  readonly problems: readonly string[]
}

/**
 * A Java KafkaConsumer (kafka-clients 4.1.1, no group) assigns the partitions,
 * seeks to the given offsets, reads to the log end and checks every record
 * against `records`.
 */
export async function javaConsumeCheck(
  requests: readonly ConsumeCheckRequest[],
  options?: RunOptions,
): Promise<JavaOutcome<ConsumeCheckResult>[]> {
  const wire = requests.map((request) => ({
    ...request,
    records: request.records.map((record) => ({
      ...record,
      key: toHexOrNull(record.key),
      value: toHexOrNull(record.value),
      headers: record.headers?.map((header) => ({ key: header.key, value: toHexOrNull(header.value) })),
    })),
  }))
  const longest = Math.max(0, ...requests.map((request) => request.timeoutMs ?? 60_000))
  const replies = await runJavaReference('consume-check', wire, {
    timeoutMs: longest * requests.length + 30_000,
    ...options,
  })
  const offsets = (byPartition: Readonly<Record<string, string>>) =>
    new Map(Object.entries(byPartition).map(([partition, offset]) => [Number(partition), BigInt(offset)]))
  return replies.map((reply) => {
    if ('error' in reply) return failure(reply)
    return {
      read: reply.read,
      matched: reply.matched,
      endOffsets: offsets(reply.endOffsets),
      firstOffsets: offsets(reply.firstOffsets),
      problems: reply.problems,
    }
  })
}

const failure = (reply: JavaFailure): JavaFailure => ({ error: reply.error })
const toHex = (bytes: Uint8Array): string => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('hex')
const fromHex = (hex: string): Uint8Array => new Uint8Array(Buffer.from(hex, 'hex'))
const toHexOrNull = (bytes: Uint8Array | null): string | null => (bytes === null ? null : toHex(bytes))
const fromHexOrNull = (hex: string | null): Uint8Array | null => (hex === null ? null : fromHex(hex))
