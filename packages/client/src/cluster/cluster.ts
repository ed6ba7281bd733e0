import {
  type ApiMessages,
  type ApiName,
  errorFromCode,
  type KafkaError,
  type MetadataResponse,
  ZERO_UUID,
} from '@kafkit/protocol'
import type { BrokerConnection, RequestBody, RequestOptions } from '../connection.js'
import { ConnectionError } from '../errors.js'
import type { Logger } from '../logger.js'
import { RETRY_DEFAULTS, type RetryOptions, withRetries } from '../retry.js'
import { type BrokerAddress, parseBrokerAddress, resolveAll } from './broker-address.js'
import { ConnectionPool, type PoolConfig } from './connection-pool.js'
import { CoordinatorCache, type CoordinatorType } from './coordinators.js'
import { MetadataCache } from './metadata-cache.js'
import { isStaleMetadataError } from './stale-metadata.js'

export interface ClusterConfig extends PoolConfig {
  brokers: string[]
  /** Refresh metadata at least this often (Java's metadata.max.age.ms). Default 300 000. */
  metadataMaxAgeMs: number
  retryBackoffMs: number
  retryBackoffMaxMs: number
  logger: Logger
}

export interface MetadataRequestOptions {
  /** Topics to describe; undefined refreshes the topics already known. */
  topics?: readonly string[]
  /** Ask the broker to create missing topics (if the broker allows it), as Java producers do. */
  allowAutoTopicCreation?: boolean
  signal?: AbortSignal
}

/**
 * The client's view of a Kafka cluster: bootstrap, a metadata cache refreshed
 * on an interval and on demand (concurrent refreshes share one request),
 * connections to brokers by node id, routing to partition leaders and
 * coordinator discovery.
 */
export class Cluster {
  readonly metadata = new MetadataCache()
  private readonly pool: ConnectionPool
  private readonly bootstrap: BrokerAddress[]
  private readonly coordinators: CoordinatorCache
  private readonly knownTopics = new Set<string>()
  private refreshing: Promise<void> | undefined
  private refreshTimer: NodeJS.Timeout | undefined
  private closed = false

  constructor(private readonly config: ClusterConfig) {
    if (config.brokers.length === 0) throw new ConnectionError('no bootstrap brokers: pass brokers: ["host:port"]')
    this.bootstrap = config.brokers.map(parseBrokerAddress)
    this.pool = new ConnectionPool(config)
    this.coordinators = new CoordinatorCache(this, config)
  }

  /** Connects to the first bootstrap broker that answers and loads the cluster's brokers. */
  async connect(signal?: AbortSignal): Promise<void> {
    if (this.metadata.updatedAt > Number.NEGATIVE_INFINITY) return
    await this.refreshMetadata({ topics: [], signal })
    this.scheduleRefresh()
  }

  /** Refreshes metadata; calls made while a refresh runs wait for it instead of sending another. */
  refreshMetadata(options: MetadataRequestOptions = {}): Promise<void> {
    for (const topic of options.topics ?? []) this.knownTopics.add(topic)
    if (this.refreshing && !options.topics?.some((t) => !this.metadata.topic(t))) return this.refreshing
    const previous = this.refreshing ?? Promise.resolve()
    const next = previous
      .catch(() => {})
      .then(() => this.fetchMetadata(options))
      .finally(() => {
        if (this.refreshing === next) this.refreshing = undefined
      })
    this.refreshing = next
    return next
  }

  private async fetchMetadata(options: MetadataRequestOptions): Promise<void> {
    const topics = [...this.knownTopics].map((name) => ({ name, topicId: ZERO_UUID }))
    const body = {
      topics,
      allowAutoTopicCreation: options.allowAutoTopicCreation ?? false,
      includeClusterAuthorizedOperations: false,
      includeTopicAuthorizedOperations: false,
    }
    const response = (await this.requestAny('Metadata', body, { signal: options.signal })) as MetadataResponse
    this.metadata.update(response, false)
  }

  /**
   * Sends to some reachable broker: a connected one if any, else the known
   * brokers, then the bootstrap list. A broker that fails with a retriable error
   * (it just went away, say) is skipped for the next one.
   */
  async requestAny<N extends ApiName>(
    api: N,
    body: RequestBody<N>,
    options: RequestOptions = {},
  ): Promise<ApiMessages[N]['response']> {
    let lastError: unknown
    const ready = this.pool.readyConnections().sort(() => Math.random() - 0.5)
    for (const connection of ready) {
      try {
        return await connection.request(api, body, options)
      } catch (error) {
        lastError = error
        if (!(error as KafkaError).retriable) throw error
      }
    }
    const candidates: BrokerAddress[] = [
      ...this.metadata.brokers.map(({ host, port }) => ({ host, port })),
      ...(await Promise.all(this.bootstrap.map(resolveAll))).flat(),
    ]
    for (const address of candidates) {
      try {
        const connection = await this.pool.get(address.host, address.port, 'default', options.signal)
        return await connection.request(api, body, options)
      } catch (error) {
        lastError = error
        // Bad credentials or an unsupported API fail the same way on every broker.
        if (!(error as KafkaError).retriable) throw error
      }
    }
    throw lastError instanceof Error
      ? lastError
      : new ConnectionError(`no broker reachable among ${candidates.map((a) => `${a.host}:${a.port}`).join(', ')}`)
  }

  /** The connection to a broker by node id, for a purpose (separate sockets for fetching and producing). */
  async connectionTo(nodeId: number, purpose = 'default', signal?: AbortSignal): Promise<BrokerConnection> {
    let broker = this.metadata.broker(nodeId)
    if (!broker) {
      await this.refreshMetadata({ signal })
      broker = this.metadata.broker(nodeId)
    }
    if (!broker)
      throw new ConnectionError(`broker ${nodeId} is not in the cluster metadata`, { broker: String(nodeId) })
    return this.pool.get(broker.host, broker.port, purpose, signal)
  }

  /** Sends one request to a broker by node id (no retries: see `withRetries`). */
  async request<N extends ApiName>(
    nodeId: number,
    api: N,
    body: RequestBody<N>,
    options: RequestOptions & { purpose?: string } = {},
  ): Promise<ApiMessages[N]['response']> {
    const connection = await this.connectionTo(nodeId, options.purpose, options.signal)
    return connection.request(api, body, options)
  }

  /** The current leader of a partition, refreshing metadata if it is unknown. */
  async leaderFor(topic: string, partition: number, signal?: AbortSignal): Promise<number> {
    let leader = this.metadata.partition(topic, partition)?.leader ?? -1
    if (leader < 0) {
      await this.refreshMetadata({ topics: [topic], signal })
      const metadata = this.metadata.partition(topic, partition)
      leader = metadata?.leader ?? -1
      if (leader < 0) {
        const code = this.metadata.topic(topic)?.errorCode || metadata?.errorCode || 5
        throw errorFromCode(code, { entity: `${topic}-${partition}`, detail: `no leader for ${topic}-${partition}` })!
      }
    }
    return leader
  }

  /**
   * Sends a request to a partition's leader and retries, with backoff and a
   * metadata refresh, after connection failures and stale-metadata errors
   * (NOT_LEADER_OR_FOLLOWER and the like), until `deadlineMs`.
   */
  async requestToLeader<N extends ApiName>(
    topic: string,
    partition: number,
    api: N,
    body: RequestBody<N>,
    options: Partial<RetryOptions> & { errorCodeOf?: (response: ApiMessages[N]['response']) => number } = {},
  ): Promise<ApiMessages[N]['response']> {
    return withRetries(
      async () => {
        const leader = await this.leaderFor(topic, partition, options.signal)
        const response = await this.request(leader, api, body, { signal: options.signal })
        const code = options.errorCodeOf?.(response) ?? 0
        const error = errorFromCode(code, { api, entity: `${topic}-${partition}`, broker: String(leader) })
        if (error) throw error
        return response
      },
      {
        retryBackoffMs: options.retryBackoffMs ?? this.config.retryBackoffMs,
        retryBackoffMaxMs: options.retryBackoffMaxMs ?? this.config.retryBackoffMaxMs,
        deadlineMs: options.deadlineMs ?? this.config.requestTimeoutMs,
        signal: options.signal,
        onRetry: async (error) => {
          if (error instanceof ConnectionError || isStaleMetadataError(error)) {
            await this.refreshMetadata({ topics: [topic], signal: options.signal }).catch(() => {})
          }
        },
      },
    )
  }

  /**
   * The coordinator of a group or transactional id (cached; FindCoordinator
   * batches concurrent lookups). COORDINATOR_NOT_AVAILABLE, which a new cluster
   * answers while it creates __consumer_offsets, is retried until the deadline.
   */
  findCoordinator(
    type: CoordinatorType,
    key: string,
    options: { signal?: AbortSignal; deadlineMs?: number } = {},
  ): Promise<number> {
    return withRetries(() => this.coordinators.find(type, key, options.signal), {
      retryBackoffMs: this.config.retryBackoffMs,
      retryBackoffMaxMs: this.config.retryBackoffMaxMs,
      deadlineMs: options.deadlineMs ?? this.config.requestTimeoutMs,
      signal: options.signal,
    })
  }

  /** Forgets a coordinator after NOT_COORDINATOR or COORDINATOR_NOT_AVAILABLE, so the next lookup asks again. */
  invalidateCoordinator(type: CoordinatorType, key: string): void {
    this.coordinators.invalidate(type, key)
  }

  private scheduleRefresh(): void {
    if (this.closed) return
    this.refreshTimer = setTimeout(() => {
      this.refreshMetadata()
        .catch((error: Error) => this.config.logger.warn('periodic metadata refresh failed', { error: error.message }))
        .finally(() => this.scheduleRefresh())
    }, this.config.metadataMaxAgeMs)
    this.refreshTimer.unref()
  }

  /** Closes every connection, waiting up to `timeoutMs` for requests in flight. Idempotent. */
  async close(timeoutMs = this.config.requestTimeoutMs): Promise<void> {
    this.closed = true
    clearTimeout(this.refreshTimer)
    await this.pool.close(timeoutMs)
  }
}

export const CLUSTER_DEFAULTS = {
  metadataMaxAgeMs: 300_000,
  reconnectBackoffMs: 50,
  reconnectBackoffMaxMs: 1000,
  ...RETRY_DEFAULTS,
} as const
