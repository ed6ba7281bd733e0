import type { Consumer as CoreConsumer, PartitionRecords } from '@kafkit/consumer'
import type { KafkaRecord } from '@kafkit/protocol'
import { type ConsumedMessage, type MessageDeserializers, toMessage } from './consumer-messages.js'

const DONE: IteratorReturnResult<undefined> = { done: true, value: undefined }

export interface MessageIteratorContext {
  signal: AbortSignal | undefined
  /** True once the consumer is disconnected: the iteration ends. */
  disconnected: () => boolean
  /** Called once when the iteration ends, however it ends. */
  ended: () => void
}

/**
 * `for await (const message of consumer)`: polls the core consumer and hands
 * out its records one by one. Written as an iterator rather than an async
 * generator: each generator `yield` costs several promise hops, which made
 * iterating the consumer's costliest way to read (0.0027 CPU s/MB against
 * 0.0019 for eachMessage in the consumer benchmark).
 *
 * A record counts as processed once the loop body it was handed to is done:
 * when the next one is asked for, or when the loop ends with `break` (or a
 * throw) in its body. Records polled but not handed out when the loop ends are
 * read again by the next iteration.
 */
export class MessageIterator<K, V> implements AsyncIterableIterator<ConsumedMessage<K, V>> {
  #pending: PartitionRecords[] = []
  #index = 0
  #marker: ((nextOffset: bigint, leaderEpoch?: number) => void) | undefined
  /** The record whose loop body is running, with its batch. */
  #inBody: { batch: PartitionRecords; record: KafkaRecord } | undefined
  #ended = false

  constructor(
    private readonly core: CoreConsumer,
    private readonly deserializers: MessageDeserializers<K, V>,
    private readonly context: MessageIteratorContext,
  ) {}

  [Symbol.asyncIterator](): this {
    return this
  }

  async next(): Promise<IteratorResult<ConsumedMessage<K, V>, undefined>> {
    if (this.#inBody) {
      const { batch, record } = this.#inBody
      this.#marker?.(record.offset + 1n, batch.lastLeaderEpoch)
      this.#inBody = undefined
    }
    const { signal } = this.context
    for (;;) {
      if (this.#ended) return DONE
      if (signal?.aborted || this.context.disconnected()) return this.#end()
      const batch = this.#pending[0]
      if (batch !== undefined) {
        const record = batch.records[this.#index]
        if (record !== undefined) {
          this.#index++
          this.#inBody = { batch, record }
          return { done: false, value: toMessage(batch, record, this.deserializers) }
        }
        this.#pending.shift()
        this.#index = 0
        this.#marker = this.#pending[0] && this.core.processedMarker(this.#pending[0])
        continue
      }
      try {
        this.#pending = await this.core.poll({ timeoutMs: 1000, signal })
      } catch (error) {
        this.#end()
        if (signal?.aborted || this.context.disconnected()) return DONE
        throw error
      }
      this.#marker = this.#pending[0] && this.core.processedMarker(this.#pending[0])
    }
  }

  /** The loop ended early (`break`, a throw): the record in the body counts as processed, the rest is read again. */
  async return(): Promise<IteratorReturnResult<undefined>> {
    return this.#end()
  }

  #end(): IteratorReturnResult<undefined> {
    if (this.#ended) return DONE
    this.#ended = true
    const inBody = this.#inBody
    this.#inBody = undefined
    if (!this.context.disconnected()) {
      if (inBody) this.core.markProcessed(inBody.batch, inBody.record.offset + 1n, inBody.batch.lastLeaderEpoch)
      this.#rewind()
    }
    this.context.ended()
    return DONE
  }

  /** Seeks each partition with records not handed out back to the first of them. */
  #rewind(): void {
    const assigned = this.core.assignment()
    const owned = (b: PartitionRecords) => assigned.some((tp) => tp.topic === b.topic && tp.partition === b.partition)
    this.#pending.forEach((batch, i) => {
      const first = batch.records[i === 0 ? this.#index : 0]
      if (first && owned(batch)) this.core.seek(batch, first.offset)
    })
  }
}
