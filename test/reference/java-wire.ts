// The line protocol of the Java reference (test/reference/java), exactly as it crosses the pipe.
// README.md describes every field; java-reference.ts wraps these in friendlier types.
import type { KafkaJsonObject } from './kafka-json.js'

/** int64 values the caller sends may be numbers or bigints; the Java side accepts both. */
export type WireInt64 = number | bigint

/** A tagged field the message spec does not know, attached to the struct at `path` (a JSON Pointer). */
export interface UnknownTaggedFieldWire {
  readonly path: string
  readonly tag: number
  readonly hex: string
}

export interface EncodeWireRequest {
  readonly message: string
  readonly version: number
  readonly json: KafkaJsonObject
  readonly unknownTaggedFields?: readonly UnknownTaggedFieldWire[]
}

export interface DecodeWireRequest {
  readonly message: string
  readonly version: number
  readonly hex: string
}

export interface DecodeWireReply {
  /** The converter's JSON, with int64 values and bytes as strings (see the two path lists). */
  readonly json: Record<string, unknown>
  /** JSON Pointers of int64 values, sent as decimal strings. */
  readonly int64Paths: readonly string[]
  /** JSON Pointers of bytes and records values, sent as base64 strings. */
  readonly bytesPaths: readonly string[]
  /** JSON Pointers of float64 NaN/Infinity/-Infinity, sent as those strings. */
  readonly nonFiniteFloat64Paths: readonly string[]
  readonly unknownTaggedFields: readonly UnknownTaggedFieldWire[]
  readonly consumedAll: boolean
  readonly remainingBytes: number
}

export interface WireHeader {
  readonly key: string
  readonly value: string | null
}

export interface WriteBatchWireRecord {
  readonly offset?: WireInt64
  readonly timestamp?: WireInt64
  readonly key: string | null
  readonly value: string | null
  readonly headers?: readonly WireHeader[]
}

export type CompressionName = 'none' | 'gzip' | 'snappy' | 'lz4' | 'zstd'
export type TimestampTypeName = 'create' | 'logAppend' | 'none'

export interface WriteBatchWireRequest {
  readonly compression?: CompressionName
  readonly compressionLevel?: number
  readonly magic?: 0 | 1 | 2
  readonly baseOffset?: WireInt64
  readonly timestampType?: TimestampTypeName
  readonly logAppendTime?: WireInt64
  readonly producerId?: WireInt64
  readonly producerEpoch?: number
  readonly baseSequence?: number
  readonly transactional?: boolean
  readonly partitionLeaderEpoch?: number
  readonly records: readonly WriteBatchWireRecord[]
}

export interface WriteControlWireRequest {
  readonly type: 'commit' | 'abort'
  readonly coordinatorEpoch?: number
  readonly baseOffset?: WireInt64
  readonly timestamp: WireInt64
  readonly partitionLeaderEpoch?: number
  readonly producerId: WireInt64
  readonly producerEpoch?: number
}

export interface ReadBatchesWireRecord {
  readonly offset: string
  readonly timestamp: string
  readonly key: string | null
  readonly value: string | null
  readonly headers: readonly WireHeader[]
  readonly control?: { readonly type: string; readonly coordinatorEpoch?: number }
}

export interface ReadBatchesWireBatch {
  readonly magic: number
  readonly baseOffset: string
  readonly lastOffset: string
  readonly compression: CompressionName
  readonly timestampType: TimestampTypeName
  readonly isTransactional: boolean
  readonly isControl: boolean
  readonly producerId: string
  readonly producerEpoch: number
  readonly baseSequence: number
  readonly lastSequence: number
  readonly partitionLeaderEpoch: number
  readonly maxTimestamp: string
  readonly crc: number
  readonly sizeInBytes: number
  readonly records: readonly ReadBatchesWireRecord[]
}

export interface ReadBatchesWireReply {
  readonly batches: readonly ReadBatchesWireBatch[]
  readonly validBytes: number
  readonly trailingBytes: number
}

export interface Murmur2WireRequest {
  readonly key: string
  readonly partitions?: number
}

export interface Murmur2WireReply {
  readonly murmur2: number
  readonly partition?: number
}

export interface ConsumeCheckWireRecord {
  readonly partition: number
  readonly offset: WireInt64
  readonly key: string | null
  readonly value: string | null
  readonly headers?: readonly WireHeader[]
  readonly timestamp?: WireInt64
}

export interface ConsumeCheckWireRequest {
  readonly bootstrap: string
  readonly topic: string
  readonly start: readonly { readonly partition: number; readonly offset: WireInt64 }[]
  readonly records: readonly ConsumeCheckWireRecord[]
  readonly properties?: Readonly<Record<string, string>>
  readonly timeoutMs?: number
}

export interface ConsumeCheckWireReply {
  readonly read: number
  readonly matched: number
  /** Log end offset of each assigned partition, by partition number. */
  readonly endOffsets: Readonly<Record<string, string>>
  /** Offset of the first record read from each partition. */
  readonly firstOffsets: Readonly<Record<string, string>>
  readonly problems: readonly string[]
}

export interface AssignWirePartition {
  readonly topic: string
  readonly partition: number
}

export interface AssignWireMember {
  readonly memberId: string
  readonly groupInstanceId?: string | null
  readonly topics: readonly string[]
  /** Explicit user data (hex, or null for none); when absent, `history` goes through the assignor. */
  readonly userData?: string | null
  /** What the member was assigned last, fed to the assignor's onAssignment before subscriptionUserData. */
  readonly history?: { readonly partitions: readonly AssignWirePartition[]; readonly generationId: number } | null
  readonly ownedPartitions?: readonly AssignWirePartition[]
  readonly generationId?: number
  readonly rackId?: string | null
}

export interface AssignWireRequest {
  readonly assignor: 'range' | 'roundrobin' | 'sticky' | 'cooperative-sticky'
  /** Consumer protocol version for the subscriptions and assignments (default 3). */
  readonly version?: number
  /** Reuse the assignor of this name for the rest of the run (a long-lived leader's instance). */
  readonly instance?: string
  readonly topics: readonly {
    readonly name: string
    readonly partitions: readonly { readonly partition: number; readonly racks: readonly (string | null)[] }[]
  }[]
  readonly members: readonly AssignWireMember[]
}

export interface AssignWireReply {
  /** Serialized subscription of each member, in member order (hex, version prefix included). */
  readonly subscriptions: readonly string[]
  /** Per member: the assigned partitions in the assignor's order and the serialized assignment. */
  readonly assignments: Readonly<
    Record<string, { readonly partitions?: readonly AssignWirePartition[]; readonly hex: string | null }>
  >
}

/** Request and reply shape of each command. */
export interface JavaWire {
  encode: { request: EncodeWireRequest; reply: { readonly hex: string } }
  decode: { request: DecodeWireRequest; reply: DecodeWireReply }
  'write-batch': { request: WriteBatchWireRequest; reply: { readonly hex: string } }
  'write-control': { request: WriteControlWireRequest; reply: { readonly hex: string } }
  'read-batches': { request: { readonly hex: string }; reply: ReadBatchesWireReply }
  murmur2: { request: Murmur2WireRequest; reply: Murmur2WireReply }
  'consume-check': { request: ConsumeCheckWireRequest; reply: ConsumeCheckWireReply }
  assign: { request: AssignWireRequest; reply: AssignWireReply }
}

export type JavaReferenceCommand = keyof JavaWire
export type RequestId = string | number

/** A failed line; the process carries on with the next one. */
export interface JavaFailure {
  readonly error: string
}

export type JavaWireRequest<C extends JavaReferenceCommand> = JavaWire[C]['request'] & { readonly id?: RequestId }
export type JavaWireReply<C extends JavaReferenceCommand> = { readonly id: RequestId } & (
  | JavaWire[C]['reply']
  | JavaFailure
)
