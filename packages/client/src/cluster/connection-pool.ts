import { BrokerConnection, type ConnectionConfig } from '../connection.js'
import { ClientClosedError } from '../errors.js'
import { backoffMs, sleep } from '../retry.js'

export type PoolConfig = Omit<ConnectionConfig, 'host' | 'port'> & {
  /** First wait before reconnecting to a broker that failed (Java's reconnect.backoff.ms). Default 50. */
  reconnectBackoffMs: number
  /** Ceiling of that wait (reconnect.backoff.max.ms). Default 1000. */
  reconnectBackoffMaxMs: number
}

interface Slot {
  connection: BrokerConnection | undefined
  failures: number
  /** performance.now() before which no new connection is opened. */
  retryAt: number
}

/**
 * One live connection per broker address and purpose (the producer's sends
 * do not queue behind the consumer's long-polling fetches). A closed connection
 * is replaced on next use; after failures, opening a new one waits with
 * exponential backoff, so a dead broker is not hammered.
 */
export class ConnectionPool {
  private readonly slots = new Map<string, Slot>()
  private closed = false
  private readonly closing = new AbortController()

  constructor(private readonly config: PoolConfig) {}

  async get(host: string, port: number, purpose = 'default', signal?: AbortSignal): Promise<BrokerConnection> {
    if (this.closed) throw new ClientClosedError('the client is closed')
    const key = `${host}:${port}/${purpose}`
    let slot = this.slots.get(key)
    if (!slot) {
      slot = { connection: undefined, failures: 0, retryAt: 0 }
      this.slots.set(key, slot)
    }
    if (slot.connection && !slot.connection.isClosed) return this.ready(slot, signal)
    const wait = slot.retryAt - performance.now()
    // close() cuts a reconnect backoff short instead of leaving the caller waiting it out.
    if (wait > 0) await sleep(wait, signal ? AbortSignal.any([signal, this.closing.signal]) : this.closing.signal)
    // Closed during the backoff: close() no longer knows this slot, so a connection opened now would never be closed.
    if (this.closed) throw new ClientClosedError('the client is closed')
    if (slot.connection && !slot.connection.isClosed) return this.ready(slot, signal)
    slot.connection = new BrokerConnection({ ...this.config, host, port })
    return this.ready(slot, signal)
  }

  private async ready(slot: Slot, signal?: AbortSignal): Promise<BrokerConnection> {
    const connection = slot.connection!
    try {
      await connection.connect(signal)
      slot.failures = 0
      return connection
    } catch (error) {
      slot.retryAt =
        performance.now() +
        backoffMs(slot.failures, {
          retryBackoffMs: this.config.reconnectBackoffMs,
          retryBackoffMaxMs: this.config.reconnectBackoffMaxMs,
        })
      slot.failures++
      throw error
    }
  }

  /** Ready connections, for requests any broker can answer (least loaded first would need more state: any will do). */
  readyConnections(): BrokerConnection[] {
    return [...this.slots.values()].flatMap((slot) => (slot.connection?.isReady ? [slot.connection] : []))
  }

  async close(timeoutMs: number): Promise<void> {
    this.closed = true
    this.closing.abort(new ClientClosedError('the client is closed'))
    await Promise.all([...this.slots.values()].map((slot) => slot.connection?.close(timeoutMs)))
    this.slots.clear()
  }
}
