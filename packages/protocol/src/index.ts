/**
 * @kafkit/protocol: Kafka's wire protocol, without I/O. Every API's request and
 * response in every version (generated from Kafka's message specs), framing,
 * record batches, compression, CRC32C, murmur2 and the error table.
 */
export * from './acl-codes.js'
export * from './api-definition.js'
export type { MessageCodec, UnknownTaggedField } from './codec-support.js'
export * from './compression/index.js'
export * from './crc32c/index.js'
export * from './errors.js'
export { FrameReader } from './frame-reader.js'
export * from './framing.js'
export * from './generated/index.js'
export { defaultPartition, murmur2, toPositive } from './murmur2.js'
export { Reader } from './primitives/reader.js'
export { randomUuid, ZERO_UUID } from './primitives/uuid.js'
export { Writer } from './primitives/writer.js'
export * from './records/index.js'
export * from './serde/index.js'
