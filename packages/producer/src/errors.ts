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

/**
 * A transactional method called in a state that does not allow it (send
 * outside a transaction, commit without begin, begin twice). The message says
 * what to call instead. The producer's state is unchanged.
 */
export class TransactionStateError extends KafkaError {}

/**
 * The transaction failed in a way that aborting it recovers from (a record
 * that could not be delivered, a topic or group the producer may not write):
 * until `abortTransaction()` every transactional call fails with this error,
 * whose `cause` is the original failure.
 */
export class TransactionAbortableError extends KafkaError {
  constructor(message: string, cause: unknown) {
    super(message, { cause })
  }
}

/** A record that was still buffered when its transaction was aborted: it was never written. */
export class TransactionAbortedError extends KafkaError {}

/**
 * A newer producer with the same transactional id fenced this one (Kafka's
 * PRODUCER_FENCED, or INVALID_PRODUCER_EPOCH for a transactional producer).
 * Fatal: the producer cannot continue; close it and create a new one.
 */
export { ProducerFencedError } from '@kafkit/protocol'
