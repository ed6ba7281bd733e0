import { Admin, type AdminOptions } from '@kafkit/admin'
import { type ClientOptions, consoleLogger, KafkaClient, type Logger, type LogLevel } from '@kafkit/client'
import { InvalidMessageError } from '@kafkit/protocol'
import { KafkitConsumer, type KafkitConsumerOptions } from './consumer.js'
import type { MessageData } from './messages.js'
import { KafkitProducer, type KafkitProducerOptions } from './producer.js'

/** kafkajs's numeric log levels, accepted for code migrating from kafkajs. */
export const logLevel = { NOTHING: 0, ERROR: 1, WARN: 2, INFO: 4, DEBUG: 5 } as const
type NumericLogLevel = (typeof logLevel)[keyof typeof logLevel]

const NUMERIC_LEVELS: Record<NumericLogLevel, LogLevel | 'nothing'> = {
  0: 'nothing',
  1: 'error',
  2: 'warn',
  4: 'info',
  5: 'debug',
}

export interface KafkaConfig extends Omit<ClientOptions, 'logger'> {
  /** Console logging from this level up ('nothing' by default); ignored when `logger` is given. */
  logLevel?: LogLevel | 'nothing' | NumericLogLevel
  /** Where kafkit logs (pino, winston...). */
  logger?: Logger
}

/**
 * The entry point, shaped like kafkajs's: `new Kafka({ clientId, brokers })`,
 * then `kafka.producer()`, `kafka.consumer()` and `kafka.admin()`. Each has its own connections, as in Java.
 */
export class Kafka {
  readonly #config: KafkaConfig
  readonly #logger: Logger | undefined

  constructor(config: KafkaConfig) {
    if (config === null || typeof config !== 'object') {
      throw new InvalidMessageError('new Kafka() needs a config: { clientId, brokers: ["host:port"] }')
    }
    this.#logger = config.logger ?? loggerFor(config.logLevel)
    this.#config = config
    // A throwaway client validates brokers, ssl, sasl and timeouts now rather than at connect().
    new KafkaClient(this.#clientOptions())
  }

  /** A producer; give `keySerializer` / `valueSerializer` (e.g. `jsonSerde<Order>()`) to send typed keys and values. */
  producer<K = MessageData, V = MessageData>(options: KafkitProducerOptions<K, V> = {}): KafkitProducer<K, V> {
    const client = new KafkaClient(this.#clientOptions())
    return new KafkitProducer<K, V>(client, options)
  }

  /**
   * A consumer; `groupId` to subscribe in a group (omit it to assign() partitions
   * without one), `keyDeserializer` / `valueDeserializer` for typed messages.
   */
  consumer<K = Buffer | null, V = Buffer | null>(options: KafkitConsumerOptions<K, V> = {}): KafkitConsumer<K, V> {
    const client = new KafkaClient(this.#clientOptions())
    return new KafkitConsumer<K, V>(client, options)
  }

  /** An admin client: topics, configs, groups and offsets, records, cluster, ACLs, SCRAM users, quotas, transactions. */
  admin(options: AdminOptions = {}): Admin {
    return new Admin(new KafkaClient(this.#clientOptions()), options)
  }

  #clientOptions(): ClientOptions {
    const { logLevel: _level, logger: _logger, ...rest } = this.#config
    return { ...rest, ...(this.#logger ? { logger: this.#logger } : {}) }
  }
}

function loggerFor(level: KafkaConfig['logLevel']): Logger | undefined {
  if (level === undefined || level === 'nothing' || level === 0) return undefined
  if (typeof level === 'number') {
    const named = NUMERIC_LEVELS[level]
    if (named === undefined)
      throw new InvalidMessageError(`logLevel must be one of logLevel.NOTHING/ERROR/WARN/INFO/DEBUG; got ${level}`)
    return named === 'nothing' ? undefined : consoleLogger(named)
  }
  if (!['debug', 'info', 'warn', 'error'].includes(level)) {
    throw new InvalidMessageError(
      `logLevel must be 'debug', 'info', 'warn', 'error' or 'nothing'; got ${String(level)}`,
    )
  }
  return consoleLogger(level)
}
