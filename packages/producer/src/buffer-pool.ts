import { BufferExhaustedError, ProducerClosedError, RecordTooLargeError } from './errors.js'

interface Waiter {
  bytes: number
  resolve: () => void
  reject: (error: Error) => void
  timer: NodeJS.Timeout
}

const RESOLVED = Promise.resolve()

/**
 * Accounts for the bytes of records the producer holds (queued or in flight),
 * bounded by `bufferMemory`. A reservation that does not fit waits, first come
 * first served, until released bytes make room, for at most `maxBlockMs`; this
 * is the producer's backpressure. Node cannot block the caller as Java does, so
 * the waiting records are bounded too: at most `bufferMemory` bytes of them,
 * beyond which a reservation fails at once with BufferExhaustedError. The
 * producer so never holds more than twice `bufferMemory`. Bytes are counted,
 * not pooled: Node's allocator does the pooling.
 */
export class BufferPool {
  #used = 0
  #waitingBytes = 0
  readonly #waiters: Waiter[] = []
  /** Callers of `whenAvailable`, told once the buffer is drained to half. */
  #lowWater: (() => void)[] = []

  constructor(
    readonly totalBytes: number,
    private readonly maxBlockMs: number,
  ) {}

  get usedBytes(): number {
    return this.#used
  }

  reserve(bytes: number): Promise<void> | undefined {
    if (bytes > this.totalBytes) {
      throw new RecordTooLargeError(
        `the record takes ${bytes} bytes, more than bufferMemory (${this.totalBytes} bytes): raise bufferMemory or send a smaller record`,
      )
    }
    if (this.#waiters.length === 0 && this.#used + bytes <= this.totalBytes) {
      this.#used += bytes
      return undefined
    }
    if (this.#waitingBytes + bytes > this.totalBytes) {
      return Promise.reject(
        new BufferExhaustedError(
          `no room for a ${bytes}-byte record in the producer buffer: bufferMemory (${this.totalBytes} bytes) is full and as many bytes of records already wait for room; wait for producer.waitForBuffer() before producing more, or raise bufferMemory`,
        ),
      )
    }
    this.#waitingBytes += bytes
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = {
        bytes,
        resolve,
        reject,
        timer: setTimeout(() => {
          this.#remove(waiter)
          reject(
            new BufferExhaustedError(
              `no room for a ${bytes}-byte record in the producer buffer within maxBlockMs (${this.maxBlockMs} ms): ${this.#used} of bufferMemory ${this.totalBytes} bytes are held by records not yet acknowledged; produce more slowly, raise bufferMemory or maxBlockMs`,
            ),
          )
          this.#grant()
        }, this.maxBlockMs),
      }
      this.#waiters.push(waiter)
    })
  }

  release(bytes: number): void {
    this.#used = Math.max(0, this.#used - bytes)
    this.#grant()
  }

  /**
   * For a caller producing in a loop: resolved at once while no record waits
   * and at most three quarters of the buffer is held; otherwise resolves once
   * it is drained to half, so the caller wakes with room for many records
   * rather than for one.
   */
  whenAvailable(): Promise<void> {
    if (this.#waiters.length === 0 && this.#used * 4 <= this.totalBytes * 3) return RESOLVED
    return new Promise((resolve) => this.#lowWater.push(resolve))
  }

  /** Fails every waiting reservation (the producer is closing). */
  close(): void {
    for (const waiter of this.#waiters.splice(0)) {
      clearTimeout(waiter.timer)
      this.#waitingBytes -= waiter.bytes
      waiter.reject(new ProducerClosedError('the producer was closed while send waited for buffer space'))
    }
    const callers = this.#lowWater
    this.#lowWater = []
    for (const resolve of callers) resolve()
  }

  #drained(): boolean {
    return this.#waiters.length === 0 && this.#used * 2 <= this.totalBytes
  }

  #grant(): void {
    while (this.#waiters.length > 0) {
      const next = this.#waiters[0]!
      if (this.#used + next.bytes > this.totalBytes) break
      this.#waiters.shift()
      this.#waitingBytes -= next.bytes
      clearTimeout(next.timer)
      this.#used += next.bytes
      next.resolve()
    }
    if (this.#lowWater.length > 0 && this.#drained()) {
      const callers = this.#lowWater
      this.#lowWater = []
      for (const resolve of callers) resolve()
    }
  }

  #remove(waiter: Waiter): void {
    const index = this.#waiters.indexOf(waiter)
    if (index >= 0) {
      this.#waiters.splice(index, 1)
      this.#waitingBytes -= waiter.bytes
    }
  }
}
