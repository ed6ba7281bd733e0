/**
 * @kafkit/producer: partitioners, the record accumulator, the sender and idempotence.
 */

export * from './errors.js'
export type { Acks, CompressionName, ProducerOptions, ResolvedProducerOptions } from './options.js'
export { resolveProducerOptions } from './options.js'
export * from './partitioners/index.js'
export { type OutgoingRecord, Producer, type SendOverrides } from './producer.js'
export type { DeliveryCallback, RecordMetadata } from './producer-batch.js'
export type { ConsumerGroupMetadata, TransactionOffsets } from './transaction-offsets.js'
export type { TransactionState } from './transaction-state.js'
