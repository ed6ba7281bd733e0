import {
  ConnectionError,
  type CoordinatorType,
  isCoordinatorMovedCode,
  type KafkaClient,
  type RequestBody,
  withRetries,
} from '@kafkit/client'
import { ApiError, type ApiMessages, type ApiName, errorFromCode, type KafkaError } from '@kafkit/protocol'
import type { ResolvedAdminOptions } from './admin-options.js'

/** NOT_CONTROLLER: the broker asked is not (or no longer) the one that must answer. */
const NOT_CONTROLLER = 41

/**
 * Sends admin requests to the broker that must answer them, retrying retriable
 * failures with backoff until the call's deadline (Java's admin client does
 * the same with its node providers): the controller, any broker, a partition's
 * leader, a group or transaction coordinator, or a given broker.
 *
 * `errorCodeOf` lifts a response's top-level error code into a thrown error, so
 * a retriable one (NOT_CONTROLLER, COORDINATOR_LOAD_IN_PROGRESS...) is retried
 * like a lost connection. Per-entry codes are the caller's to read.
 */
export class AdminRouter {
  constructor(
    readonly client: KafkaClient,
    readonly options: ResolvedAdminOptions,
  ) {}

  /** Runs `operation` until it succeeds, fails for good, or `defaultApiTimeoutMs` passes. */
  retrying<T>(
    operation: (attempt: number) => Promise<T>,
    onRetry?: (error: KafkaError) => void | Promise<void>,
  ): Promise<T> {
    return withRetries(operation, {
      retryBackoffMs: this.options.retryBackoffMs,
      retryBackoffMaxMs: this.options.retryBackoffMaxMs,
      deadlineMs: this.options.defaultApiTimeoutMs,
      onRetry,
    })
  }

  /** To the controller (in KRaft clusters, a broker that forwards to it), finding it again after NOT_CONTROLLER. */
  toController<N extends ApiName>(
    api: N,
    body: RequestBody<N>,
    errorCodeOf?: (response: ApiMessages[N]['response']) => number,
  ): Promise<ApiMessages[N]['response']> {
    const cluster = this.client.cluster
    return this.retrying(
      async () => {
        if (cluster.metadata.controllerId < 0) await cluster.refreshMetadata({ topics: [] })
        const controller = cluster.metadata.controllerId
        if (controller < 0) return this.#checked(api, await cluster.requestAny(api, body), errorCodeOf, 'any broker')
        return this.#checked(api, await cluster.request(controller, api, body), errorCodeOf, String(controller))
      },
      async (error) => {
        if (error instanceof ConnectionError || (error instanceof ApiError && error.code === NOT_CONTROLLER)) {
          await cluster.refreshMetadata({ topics: [] }).catch(() => {})
        }
      },
    )
  }

  /** To any reachable broker (ListGroups of one broker, DescribeCluster, ...). */
  toAny<N extends ApiName>(
    api: N,
    body: RequestBody<N>,
    errorCodeOf?: (response: ApiMessages[N]['response']) => number,
  ): Promise<ApiMessages[N]['response']> {
    return this.retrying(async () => this.#checked(api, await this.client.cluster.requestAny(api, body), errorCodeOf))
  }

  /** To one broker by node id. */
  toBroker<N extends ApiName>(
    nodeId: number,
    api: N,
    body: RequestBody<N>,
    errorCodeOf?: (response: ApiMessages[N]['response']) => number,
  ): Promise<ApiMessages[N]['response']> {
    return this.retrying(async () =>
      this.#checked(api, await this.client.cluster.request(nodeId, api, body), errorCodeOf, String(nodeId)),
    )
  }

  /** To a partition's leader, refreshing metadata after NOT_LEADER_OR_FOLLOWER and the like. */
  toLeader<N extends ApiName>(
    topic: string,
    partition: number,
    api: N,
    body: RequestBody<N>,
    errorCodeOf?: (response: ApiMessages[N]['response']) => number,
  ): Promise<ApiMessages[N]['response']> {
    return this.client.cluster.requestToLeader(topic, partition, api, body, {
      retryBackoffMs: this.options.retryBackoffMs,
      retryBackoffMaxMs: this.options.retryBackoffMaxMs,
      deadlineMs: this.options.defaultApiTimeoutMs,
      errorCodeOf,
    })
  }

  /** To the coordinator of a group or transactional id, finding it again after NOT_COORDINATOR and the like. */
  toCoordinator<N extends ApiName>(
    type: CoordinatorType,
    key: string,
    api: N,
    body: RequestBody<N>,
    errorCodeOf?: (response: ApiMessages[N]['response']) => number,
  ): Promise<ApiMessages[N]['response']> {
    const cluster = this.client.cluster
    return this.retrying(async () => {
      const node = await cluster.findCoordinator(type, key, { deadlineMs: this.options.defaultApiTimeoutMs })
      try {
        return this.#checked(api, await cluster.request(node, api, body), errorCodeOf, String(node), key)
      } catch (error) {
        if (error instanceof ConnectionError || (error instanceof ApiError && isCoordinatorMovedCode(error.code))) {
          cluster.invalidateCoordinator(type, key)
        }
        throw error
      }
    })
  }

  #checked<R>(
    api: string,
    response: R,
    errorCodeOf: ((response: R) => number) | undefined,
    broker?: string,
    entity?: string,
  ): R {
    const error = errorFromCode(errorCodeOf?.(response) ?? 0, { api, broker, entity })
    if (error) throw error
    return response
  }
}
