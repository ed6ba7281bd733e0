/**
 * The root of kafkit's error hierarchy. Every error kafkit throws or rejects with
 * extends `KafkaError`, so callers can tell Kafka failures from their own bugs.
 */
export class KafkaError extends Error {
  /** Whether retrying the same operation may succeed (mirrors Java's RetriableException). */
  readonly retriable: boolean

  constructor(message: string, options?: { retriable?: boolean; cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause })
    this.name = new.target.name
    this.retriable = options?.retriable ?? false
  }
}

/**
 * Bytes from the network that do not follow the protocol: truncated frames,
 * impossible lengths, invalid varints. A connection that sees one must be closed,
 * because the position of the next frame can no longer be trusted.
 */
export class ProtocolError extends KafkaError {}

/** A record batch or legacy message whose CRC or structure is invalid (CORRUPT_MESSAGE). */
export class CorruptRecordError extends ProtocolError {}

/** A message object that cannot be encoded as given (a null in a non-nullable field, a value out of range). */
export class InvalidMessageError extends KafkaError {}

/** Where an error code came from, for messages that say which request and entity failed. */
export interface ApiErrorContext {
  /** The API whose response carried the code, e.g. "Produce". */
  api?: string
  /** The entity the code is about: a topic-partition, a group id, a transactional id. */
  entity?: string
  /** The broker's error message, where the response has one, or a client-side explanation. */
  detail?: string | null
  /** The broker that answered, as "host:port" or its node id. */
  broker?: string
}

/** What Kafka's error table says about one error code. */
export interface ApiErrorDefinition {
  readonly code: number
  readonly name: string
  readonly retriable: boolean
  readonly message: string
}

/**
 * An error code from Kafka's error table (a response's ErrorCode, or the same
 * condition detected by the client, like an unsupported version). The generated
 * subclasses (`NotLeaderOrFollowerError`, ...) let callers use `instanceof`.
 */
export class ApiError extends KafkaError {
  readonly code: number
  readonly errorName: string
  readonly api: string | undefined
  readonly entity: string | undefined
  readonly broker: string | undefined

  constructor(definition: ApiErrorDefinition, context: ApiErrorContext = {}) {
    const where = [context.api, context.entity, context.broker && `from ${context.broker}`]
      .filter((part) => part !== undefined && part !== '')
      .join(' ')
    const detail = context.detail ?? definition.message
    super(`${definition.name}${where ? ` (${where})` : ''}: ${detail}`, { retriable: definition.retriable })
    this.code = definition.code
    this.errorName = definition.name
    this.api = context.api
    this.entity = context.entity
    this.broker = context.broker
  }
}

/**
 * The broker refused the client's credentials or SASL exchange (Java's
 * AuthenticationException). Retrying with the same credentials cannot succeed,
 * so a client fails instead of reconnecting in a loop.
 */
export class AuthenticationError extends ApiError {}

/** The authenticated principal may not do this (Java's AuthorizationException): the *_AUTHORIZATION_FAILED codes. */
export class AuthorizationError extends ApiError {}
