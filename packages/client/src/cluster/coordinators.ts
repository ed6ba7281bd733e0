import { errorFromCode, type FindCoordinatorResponse } from '@kafkit/protocol'
import type { Cluster } from './cluster.js'

export type CoordinatorType = 'group' | 'transaction'

const KEY_TYPE: Record<CoordinatorType, number> = { group: 0, transaction: 1 }

interface Waiter {
  key: string
  resolve(nodeId: number): void
  reject(error: Error): void
}

/**
 * Group and transaction coordinators by key. Lookups made in the same tick go
 * out as one FindCoordinator (v4+ takes a batch of keys); answers are cached
 * until invalidated after NOT_COORDINATOR / COORDINATOR_NOT_AVAILABLE.
 */
export class CoordinatorCache {
  private readonly known = new Map<string, number>()
  private readonly batches = new Map<CoordinatorType, Waiter[]>()

  constructor(
    private readonly cluster: Cluster,
    private readonly options: { logger: { debug(message: string, fields?: Record<string, unknown>): void } },
  ) {}

  find(type: CoordinatorType, key: string, signal?: AbortSignal): Promise<number> {
    const cached = this.known.get(`${type}:${key}`)
    if (cached !== undefined) return Promise.resolve(cached)
    return new Promise((resolve, reject) => {
      let batch = this.batches.get(type)
      if (!batch) {
        batch = []
        this.batches.set(type, batch)
        queueMicrotask(() => void this.lookUp(type, signal))
      }
      batch.push({ key, resolve, reject })
    })
  }

  invalidate(type: CoordinatorType, key: string): void {
    this.known.delete(`${type}:${key}`)
  }

  private async lookUp(type: CoordinatorType, signal?: AbortSignal): Promise<void> {
    const waiters = this.batches.get(type) ?? []
    this.batches.delete(type)
    const keys = [...new Set(waiters.map((w) => w.key))]
    let response: FindCoordinatorResponse
    try {
      // v4+ carries coordinatorKeys; older brokers get one key per request through `key`.
      response = await this.cluster.requestAny(
        'FindCoordinator',
        (version) =>
          version >= 4
            ? { key: '', keyType: KEY_TYPE[type], coordinatorKeys: keys }
            : { key: keys[0] ?? '', keyType: KEY_TYPE[type], coordinatorKeys: [] },
        { signal },
      )
    } catch (error) {
      for (const waiter of waiters) waiter.reject(error as Error)
      return
    }
    const byKey = new Map(response.coordinators.map((c) => [c.key, c]))
    for (const waiter of waiters) {
      const entry = byKey.get(waiter.key) ?? (keys.length === 1 ? { ...response, key: waiter.key } : undefined)
      if (!entry) {
        waiter.reject(new Error(`FindCoordinator returned no answer for ${type} ${waiter.key}`))
        continue
      }
      const error = errorFromCode(entry.errorCode, {
        api: 'FindCoordinator',
        entity: `${type} ${waiter.key}`,
        detail: entry.errorMessage ?? undefined,
      })
      if (error) {
        waiter.reject(error)
        continue
      }
      this.known.set(`${type}:${waiter.key}`, entry.nodeId)
      this.options.logger.debug('found coordinator', { type, key: waiter.key, nodeId: entry.nodeId })
      waiter.resolve(entry.nodeId)
    }
  }
}
