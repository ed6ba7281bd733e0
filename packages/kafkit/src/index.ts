/**
 * kafkit: a TypeScript client for Apache Kafka. `new Kafka({ clientId, brokers })`
 * and `kafka.producer()`, with bigint offsets and typed errors.
 */

export * from '@kafkit/admin'
export * from '@kafkit/client'
export {
  CommitFailedError,
  ConsumerClosedError,
  type ConsumerOptions,
  type ConsumerRebalanceListener,
  NoOffsetForPartitionError,
  OffsetOutOfRangeError,
  type TopicPartition,
} from '@kafkit/consumer'
export * from '@kafkit/producer'
export {
  ApiError,
  bufferSerde,
  CompressionType,
  type Deserializer,
  InvalidMessageError,
  type JsonSerdeOptions,
  jsonSerde,
  KafkaError,
  type KafkaRecord,
  type RecordHeader,
  type Serde,
  type SerdeContext,
  SerializationError,
  type Serializer,
  stringSerde,
} from '@kafkit/protocol'
export {
  KafkitConsumer,
  type KafkitConsumerOptions,
  type RunOptions,
  type SubscribeOptions,
  type TopicPartitionOffset,
  type TopicPartitions,
} from './consumer.js'
export type { ConsumedHeaders, ConsumedMessage } from './consumer-messages.js'
export type {
  Batch,
  EachBatchHandler,
  EachBatchPayload,
  EachMessageHandler,
  EachMessagePayload,
} from './consumer-run.js'
export { ProducerSendError, type RecordOutcome } from './errors.js'
export { Kafka, type KafkaConfig, logLevel } from './kafka.js'
export type { HeaderValue, Message, MessageData, MessageHeaders } from './messages.js'
export {
  CompressionTypes,
  KafkitProducer,
  type KafkitProducerOptions,
  type ProduceRecord,
  type ProducerBatch,
  type ProducerRecordBatch,
  type TopicMessages,
} from './producer.js'
export { KafkitTransaction } from './transaction.js'
