import type { Logger } from '@kafkit/client'
import type { Consumer as CoreConsumer, PartitionRecords, TopicPartition } from '@kafkit/consumer'
import { InvalidMessageError as InvalidRunError } from '@kafkit/protocol'
import { type ConsumedMessage, type MessageDeserializers, toMessage } from './consumer-messages.js'

export interface EachMessagePayload<K, V> {
  topic: string
  partition: number
  message: ConsumedMessage<K, V>
  /** Kept for kafkajs code: heartbeats run on their own timer, so this resolves at once. */
  heartbeat(): Promise<void>
  /** Pauses this partition; the rest of the batch is fetched again after resume. */
  pause(): () => void
}

/** A batch of one partition, as kafkajs's eachBatch gets it (the subset that applies here). */
export interface Batch<K, V> {
  topic: string
  partition: number
  highWatermark: bigint
  messages: ConsumedMessage<K, V>[]
  isEmpty(): boolean
  firstOffset(): bigint | null
  lastOffset(): bigint
  /** Offset lag of the last message against the high watermark. */
  offsetLag(): bigint
}

export interface EachBatchPayload<K, V> {
  batch: Batch<K, V>
  /** Marks messages up to and including `offset` processed (committed by the next commit). */
  resolveOffset(offset: bigint | string): void
  /** Kept for kafkajs code: heartbeats never wait for handlers. */
  heartbeat(): Promise<void>
  /** Commits what was resolved so far if autoCommit is on. */
  commitOffsetsIfNecessary(): Promise<void>
  /** False once stop() or disconnect() was called: a long handler should return. */
  isRunning(): boolean
  /** True once the partition was revoked, seeked or paused: the rest of the batch must not be processed. */
  isStale(): boolean
  pause(): () => void
}

export type EachMessageHandler<K, V> = (payload: EachMessagePayload<K, V>) => Promise<void>
export type EachBatchHandler<K, V> = (payload: EachBatchPayload<K, V>) => Promise<void>

interface RunSettings<K, V> {
  eachMessage?: EachMessageHandler<K, V> | undefined
  eachBatch?: EachBatchHandler<K, V> | undefined
  partitionsConsumedConcurrently?: number | undefined
  eachBatchAutoResolve?: boolean | undefined
}

const key = (topic: string, partition: number) => `${topic}\u0000${partition}`

/**
 * The loop behind run(): polls, hands each partition's records to the handler
 * (up to partitionsConsumedConcurrently partitions at once, one partition's
 * records always in order), marks them processed as handlers resolve. A
 * handler that throws gets its record again: the partition is seeked back to
 * it and the loop backs off, as kafkajs retries. Revocation waits for the
 * partition's handler (drain) so its offsets are committed before it moves.
 */
export class RunLoop<K, V> {
  readonly #core: CoreConsumer
  readonly #settings: RunSettings<K, V>
  readonly #deserializers: MessageDeserializers<K, V>
  readonly #logger: Logger
  readonly #abort = new AbortController()
  readonly #active = new Map<string, Promise<void>>()
  /** Partitions seeked, paused or revoked while their batch was being handled: the batch stops there. */
  readonly #stale = new Map<string, 'seek' | 'pause' | 'revoke'>()
  #loop: Promise<void> | undefined
  running = false

  constructor(
    core: CoreConsumer,
    settings: RunSettings<K, V>,
    deserializers: MessageDeserializers<K, V>,
    logger: Logger,
  ) {
    const handlers = [settings.eachMessage, settings.eachBatch].filter((h) => h !== undefined)
    if (handlers.length !== 1 || typeof handlers[0] !== 'function') {
      throw new InvalidRunError('run() needs exactly one of eachMessage or eachBatch, a function')
    }
    const concurrency = settings.partitionsConsumedConcurrently ?? 1
    if (!Number.isInteger(concurrency) || concurrency < 1) {
      throw new InvalidRunError(`partitionsConsumedConcurrently must be an integer >= 1; got ${String(concurrency)}`)
    }
    this.#core = core
    this.#settings = settings
    this.#deserializers = deserializers
    this.#logger = logger
  }

  start(): void {
    this.running = true
    this.#loop = this.#run()
  }

  /** The application moved the partition: its running batch stops, and the position is the application's. */
  seeked(topic: string, partition: number): void {
    if (this.#active.has(key(topic, partition))) this.#stale.set(key(topic, partition), 'seek')
  }

  /** The partition was paused: its running batch stops, and what it did not handle is fetched again on resume. */
  paused(topic: string, partition: number): void {
    const k = key(topic, partition)
    if (this.#active.has(k) && !this.#stale.has(k)) this.#stale.set(k, 'pause')
  }

  /** Waits for the handlers of these partitions, and stops their current batches. */
  async drain(partitions: readonly TopicPartition[]): Promise<void> {
    const waits: Promise<void>[] = []
    for (const tp of partitions) {
      const k = key(tp.topic, tp.partition)
      const active = this.#active.get(k)
      if (active) {
        this.#stale.set(k, 'revoke')
        waits.push(active)
      }
    }
    await Promise.allSettled(waits)
  }

  async stop(): Promise<void> {
    if (!this.running) return
    this.running = false
    this.#abort.abort()
    await this.#loop
  }

  async #run(): Promise<void> {
    while (this.running) {
      let batches: PartitionRecords[]
      try {
        batches = await this.#core.poll({ timeoutMs: 1000, signal: this.#abort.signal })
      } catch (error) {
        if (!this.running) return
        this.#logger.error('consumer poll failed', { error: (error as Error).message })
        await sleep(this.#core.options.retryBackoffMs, this.#abort.signal)
        continue
      }
      const queue = [...batches]
      const workers = Array.from(
        { length: Math.min(this.#settings.partitionsConsumedConcurrently ?? 1, queue.length) },
        async () => {
          for (let batch = queue.shift(); batch; batch = queue.shift()) await this.#handle(batch)
        },
      )
      await Promise.all(workers)
    }
  }

  async #handle(batch: PartitionRecords): Promise<void> {
    const k = key(batch.topic, batch.partition)
    this.#stale.delete(k)
    const work = this.#settings.eachMessage ? this.#eachMessage(batch, k) : this.#eachBatch(batch, k)
    this.#active.set(k, work)
    try {
      await work
    } finally {
      this.#active.delete(k)
      this.#stale.delete(k)
    }
  }

  async #eachMessage(batch: PartitionRecords, k: string): Promise<void> {
    const tp = { topic: batch.topic, partition: batch.partition }
    // One pair of callbacks per batch, not per message: two closures per message showed in the consumer's profile.
    const heartbeat = async () => {}
    const pause = () => this.#pause(tp)
    const markProcessed = this.#core.processedMarker(tp)
    for (const record of batch.records) {
      const stale = this.#stale.get(k)
      if (!this.running || stale !== undefined) {
        // Cut short by stop or pause: the rest is read again from here. After a seek or revoke, the position is not ours.
        if (stale === undefined || stale === 'pause') this.#core.seek(tp, record.offset)
        return
      }
      try {
        await this.#settings.eachMessage!({
          topic: batch.topic,
          partition: batch.partition,
          message: toMessage(batch, record, this.#deserializers),
          heartbeat,
          pause,
        })
      } catch (error) {
        await this.#failed(tp, record.offset, error)
        return
      }
      markProcessed(record.offset + 1n, batch.lastLeaderEpoch)
    }
  }

  async #eachBatch(batch: PartitionRecords, k: string): Promise<void> {
    const tp = { topic: batch.topic, partition: batch.partition }
    let resolved: bigint | undefined
    const messages = batch.records.map((r) => toMessage(batch, r, this.#deserializers))
    const last = messages.at(-1)?.offset ?? -1n
    const payload: EachBatchPayload<K, V> = {
      batch: {
        topic: batch.topic,
        partition: batch.partition,
        highWatermark: batch.highWatermark,
        messages,
        isEmpty: () => messages.length === 0,
        firstOffset: () => messages[0]?.offset ?? null,
        lastOffset: () => last,
        offsetLag: () => (batch.highWatermark > last + 1n ? batch.highWatermark - last - 1n : 0n),
      },
      resolveOffset: (offset) => {
        const value = BigInt(offset)
        resolved = value
        this.#core.markProcessed(tp, value + 1n, batch.lastLeaderEpoch)
      },
      heartbeat: async () => {},
      commitOffsetsIfNecessary: async () => {
        if (this.#core.options.autoCommit) await this.#core.commitOffsets()
      },
      isRunning: () => this.running,
      isStale: () => this.#stale.has(k),
      pause: () => this.#pause(tp),
    }
    try {
      await this.#settings.eachBatch!(payload)
    } catch (error) {
      await this.#failed(tp, resolved === undefined ? (messages[0]?.offset ?? 0n) : resolved + 1n, error)
      return
    }
    const stale = this.#stale.get(k)
    if (stale === 'seek' || stale === 'revoke') return
    if (stale === undefined && (this.#settings.eachBatchAutoResolve ?? true) && last >= 0n) {
      this.#core.markProcessed(tp, last + 1n, batch.lastLeaderEpoch)
    } else if (resolved !== undefined && resolved < last) {
      // Unresolved messages are delivered again, as kafkajs does without auto resolve.
      this.#core.seek(tp, resolved + 1n)
    } else if (resolved === undefined && messages[0]) this.#core.seek(tp, messages[0].offset)
  }

  #pause(tp: TopicPartition): () => void {
    this.#core.pause([tp])
    this.paused(tp.topic, tp.partition)
    return () => this.#core.resume([tp])
  }

  async #failed(tp: TopicPartition, offset: bigint, error: unknown): Promise<void> {
    this.#logger.error('consumer handler failed: the message is delivered again', {
      topic: tp.topic,
      partition: tp.partition,
      offset: String(offset),
      error: (error as Error)?.message ?? String(error),
    })
    if (this.#core.assignment().some((a) => a.topic === tp.topic && a.partition === tp.partition))
      this.#core.seek(tp, offset)
    await sleep(this.#core.options.retryBackoffMs, this.#abort.signal)
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve()
    const timer = setTimeout(done, ms)
    function done() {
      clearTimeout(timer)
      signal.removeEventListener('abort', done)
      resolve()
    }
    signal.addEventListener('abort', done, { once: true })
  })
}
