import { BufferExhaustedError, ProducerClosedError, RecordTooLargeError } from './errors.js'

interface Waiter {
  bytes: number
  resolve: () => void
  reject: (error: Error) => void
  timer: NodeJS.Timeout
}

/**
 * Accounts for the bytes of records the producer holds (queued or in flight),
 * bounded by `bufferMemory`. A reservation that does not fit waits, first come
 * first served, until released bytes make room, for at most `maxBlockMs`; this
 * is the producer's backpressure. Bytes are counted, not pooled: Node's
 * allocator does the pooling.
 */
export class BufferPool {
  #used = 0
  readonly #waiters: Waiter[] = []

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

  /** Fails every waiting reservation (the producer is closing). */
  close(): void {
    for (const waiter of this.#waiters.splice(0)) {
      clearTimeout(waiter.timer)
      waiter.reject(new ProducerClosedError('the producer was closed while send waited for buffer space'))
    }
  }

  #grant(): void {
    while (this.#waiters.length > 0) {
      const next = this.#waiters[0]!
      if (this.#used + next.bytes > this.totalBytes) return
      this.#waiters.shift()
      clearTimeout(next.timer)
      this.#used += next.bytes
      next.resolve()
    }
  }

  #remove(waiter: Waiter): void {
    const index = this.#waiters.indexOf(waiter)
    if (index >= 0) this.#waiters.splice(index, 1)
  }
}
