import { KafkaError } from '@kafkit/protocol'

/**
 * `send` waited `maxBlockMs` for room in the producer's buffer (`bufferMemory`)
 * and none was freed: the producer is producing faster than the brokers accept.
 * Retriable, as Java's equivalent TimeoutException: trying again later may fit.
 */
export class BufferExhaustedError extends KafkaError {
  constructor(message: string) {
    super(message, { retriable: true })
  }
}

/** A record too large to ever be sent with the producer's limits (`maxRequestBytes`, `bufferMemory`). Not retriable. */
export class RecordTooLargeError extends KafkaError {}

/**
 * A record was not acknowledged within `deliveryTimeoutMs` of being handed to
 * `send` (retries included). It may or may not have been written.
 */
export class DeliveryTimeoutError extends KafkaError {
  constructor(message: string, cause?: unknown) {
    super(message, { retriable: true, cause })
  }
}

/** The topic did not appear in the cluster metadata within `maxBlockMs`. */
export class TopicMetadataTimeoutError extends KafkaError {
  constructor(message: string, cause?: unknown) {
    super(message, { retriable: true, cause })
  }
}

/** The producer was closed (or is closing) and accepts no more records. */
export class ProducerClosedError extends KafkaError {}
