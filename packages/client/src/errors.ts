import { KafkaError } from '@kafkit/protocol'

export interface BrokerErrorContext {
  /** The broker, as "host:port". */
  broker?: string
  /** The API of the request that failed, e.g. "Metadata". */
  api?: string
  cause?: unknown
}

/** A failure tied to one broker connection; says which broker and which request. */
export class BrokerError extends KafkaError {
  readonly broker: string | undefined
  readonly api: string | undefined
  /** The message without the broker and API suffix, to wrap this error without repeating them. */
  readonly reason: string

  constructor(message: string, context: BrokerErrorContext & { retriable?: boolean } = {}) {
    const where = [context.api, context.broker && `to ${context.broker}`].filter(Boolean).join(' ')
    super(where ? `${message} (${where})` : message, { retriable: context.retriable, cause: context.cause })
    this.broker = context.broker
    this.api = context.api
    this.reason = message
  }
}

/** The client (or connection) was closed: nothing more can be sent on it. Not retriable. */
export class ClientClosedError extends KafkaError {}

/**
 * The connection could not be opened, or it closed while a request was in
 * flight. Retriable: the request may be sent again on a new connection.
 */
export class ConnectionError extends BrokerError {
  constructor(message: string, context: BrokerErrorContext = {}) {
    super(message, { ...context, retriable: true })
  }
}

/** No response within `requestTimeoutMs` (or the connect timeout). Retriable, as in Java. */
export class RequestTimeoutError extends BrokerError {
  constructor(message: string, context: BrokerErrorContext = {}) {
    super(message, { ...context, retriable: true })
  }
}

/** The caller aborted the operation through its AbortSignal. Not retriable. */
export class AbortedError extends KafkaError {
  constructor(reason?: unknown) {
    super(reason instanceof Error ? `aborted: ${reason.message}` : 'the operation was aborted', { cause: reason })
  }
}

/** An operation ran past its overall deadline, after retrying what could be retried. */
export class DeadlineExceededError extends KafkaError {
  constructor(message: string, cause?: unknown) {
    super(message, { retriable: false, cause })
  }
}

/** Several entries of one request failed: each with the topic, partition or resource it concerns. */
export class AggregateKafkaError extends KafkaError {
  constructor(
    message: string,
    readonly errors: readonly { entry: string; error: KafkaError }[],
  ) {
    super(`${message}: ${errors.map(({ entry, error }) => `${entry}: ${error.message}`).join('; ')}`, {
      retriable: errors.length > 0 && errors.every(({ error }) => error.retriable),
    })
  }
}
