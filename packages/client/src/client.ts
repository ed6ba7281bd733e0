import { InvalidMessageError } from '@kafkit/protocol'
import { CLUSTER_DEFAULTS, Cluster } from './cluster/cluster.js'
import { type ClientEventListener, type ClientEventName, Instrumentation } from './instrumentation.js'
import { type Logger, silentLogger } from './logger.js'
import { ClientMetrics, type MetricsSnapshot } from './metrics.js'
import { checkPositiveInteger, NETWORK_DEFAULTS, type TlsOptions } from './options.js'
import { createSaslMechanism } from './sasl/create-mechanism.js'
import type { SaslOptions } from './sasl/sasl-options.js'
import { KAFKIT_VERSION } from './version.js'

/** Options of a kafkit client; every duration says its unit, defaults are the Java client's. */
export interface ClientOptions {
  /** Bootstrap brokers as "host:port". */
  brokers: string[]
  /** Identifies the application to the brokers (logs, quotas). Default "kafkit". */
  clientId?: string
  ssl?: boolean | TlsOptions
  sasl?: SaslOptions
  /** Default 10 000. */
  connectTimeoutMs?: number
  /** Default 30 000. */
  requestTimeoutMs?: number
  /** Default 5. */
  maxInFlightRequests?: number
  /** Default 540 000. */
  connectionsMaxIdleMs?: number
  /** Default 268 435 456 (256 MiB). */
  maxResponseBytes?: number
  /** Default 300 000. */
  metadataMaxAgeMs?: number
  /** Default 100. */
  retryBackoffMs?: number
  /** Default 1000. */
  retryBackoffMaxMs?: number
  /** Default 50. */
  reconnectBackoffMs?: number
  /** Default 1000. */
  reconnectBackoffMaxMs?: number
  /** Where kafkit logs; silent by default. */
  logger?: Logger
}

const NUMERIC_OPTIONS = [
  'connectTimeoutMs',
  'requestTimeoutMs',
  'maxInFlightRequests',
  'connectionsMaxIdleMs',
  'maxResponseBytes',
  'metadataMaxAgeMs',
  'retryBackoffMs',
  'retryBackoffMaxMs',
  'reconnectBackoffMs',
  'reconnectBackoffMaxMs',
] as const

/**
 * The network core that producers, consumers and admin clients share: the
 * cluster (metadata, connections, coordinators), instrumentation and metrics.
 */
export class KafkaClient {
  readonly cluster: Cluster
  readonly clientId: string
  readonly logger: Logger
  private readonly instrumentation = new Instrumentation()
  private readonly metrics: ClientMetrics
  private closing: Promise<void> | undefined

  constructor(options: ClientOptions) {
    validate(options)
    this.clientId = options.clientId ?? 'kafkit'
    this.logger = options.logger ?? silentLogger
    this.metrics = new ClientMetrics(this.instrumentation)
    this.cluster = new Cluster({
      ...NETWORK_DEFAULTS,
      ...CLUSTER_DEFAULTS,
      ...definedOnly(options),
      brokers: options.brokers,
      clientId: this.clientId,
      logger: this.logger,
      instrumentation: this.instrumentation,
      softwareName: 'kafkit',
      softwareVersion: KAFKIT_VERSION,
    })
  }

  /** Bootstraps: connects to a broker and loads the cluster's metadata. */
  connect(signal?: AbortSignal): Promise<void> {
    return this.cluster.connect(signal)
  }

  /** Subscribes to connect, disconnect, request, response, requestError and throttle events. */
  on<E extends ClientEventName>(event: E, listener: ClientEventListener<E>): () => void {
    return this.instrumentation.on(event, listener)
  }

  /** Counters per broker and API: requests, errors, bytes in and out, latency, throttle time. */
  metricsSnapshot(): MetricsSnapshot {
    return this.metrics.snapshot()
  }

  /** Closes every connection, waiting up to `timeoutMs` for requests in flight. Idempotent. */
  close(timeoutMs?: number): Promise<void> {
    this.closing ??= this.cluster.close(timeoutMs)
    return this.closing
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close()
  }
}

function validate(options: ClientOptions): void {
  if (!Array.isArray(options.brokers) || options.brokers.length === 0) {
    throw new InvalidMessageError('brokers must list at least one "host:port"')
  }
  for (const name of NUMERIC_OPTIONS) {
    const value = options[name]
    if (value !== undefined) checkPositiveInteger(name, value, name.startsWith('retry') || name.startsWith('reconnect'))
  }
  // Builds the mechanism once so that a bad SASL option fails here rather than at the first connection.
  if (options.sasl) createSaslMechanism(options.sasl)
}

function definedOnly(options: ClientOptions): Partial<Record<(typeof NUMERIC_OPTIONS)[number], number>> & {
  ssl?: boolean | TlsOptions
  sasl?: SaslOptions
} {
  const out: Record<string, unknown> = {}
  for (const name of [...NUMERIC_OPTIONS, 'ssl', 'sasl'] as const)
    if (options[name] !== undefined) out[name] = options[name]
  return out
}
