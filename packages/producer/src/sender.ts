import { backoffMs, ConnectionError, isStaleMetadataCode, type KafkaClient, RequestTimeoutError } from '@kafkit/client'
import {
  ApiError,
  createProduceRequest,
  errorFromCode,
  KafkaError,
  NO_SEQUENCE,
  type ProduceResponse,
  type ProduceResponsePartitionProduceResponse,
  ZERO_UUID,
} from '@kafkit/protocol'
import type { PartitionQueue, RecordAccumulator } from './accumulator.js'
import type { BufferPool } from './buffer-pool.js'
import { DeliveryTimeoutError } from './errors.js'
import { nextSequence, type ProducerIdentity } from './idempotence.js'
import type { ResolvedProducerOptions } from './options.js'
import type { ProducerBatch } from './producer-batch.js'
import { type TransactionGate, TXN_V1_MAX_VERSION } from './transaction-manager.js'

const MESSAGE_TOO_LARGE = 10
const OUT_OF_ORDER_SEQUENCE_NUMBER = 45
const DUPLICATE_SEQUENCE_NUMBER = 46
const UNKNOWN_PRODUCER_ID = 59
const PURPOSE = 'producer'
/** Request header, client id, transactional id, acks, timeout and array lengths of a Produce request, generously. */
const PRODUCE_HEADER_BYTES = 512

/**
 * Moves ready batches from the accumulator to the brokers: per broker, one
 * Produce request carrying the head batch of every ready partition it leads,
 * up to `maxInFlightRequests` requests in flight. Runs on events (an append, a
 * response, a timer for linger or backoff), never in a busy loop.
 *
 * Ordering with idempotence: a partition may have up to 5 batches in flight.
 * When one fails retriably it goes back to the head of its queue, ordered by
 * sequence, and the batches after it (which the broker rejects as out of
 * order) follow it; a batch that was sent before is resent only once nothing
 * of its partition is in flight, so the retries reach the broker in sequence.
 */
export class Sender {
  readonly #inFlightByNode = new Map<number, number>()
  #running = false
  #again = false
  #timer: NodeJS.Timeout | undefined
  #timerAt = Number.POSITIVE_INFINITY
  closing = false
  /** A failure that stops the producer (e.g. authorization): every later batch fails with it. */
  #fatal: KafkaError | undefined
  /** A user's delivery callback threw: logged, and the other records of the batch are still told. */
  readonly #callbackFailed = (error: unknown): void => {
    this.client.logger.error('a produce delivery callback threw', { error: String(error) })
  }

  constructor(
    private readonly client: KafkaClient,
    private readonly accumulator: RecordAccumulator,
    private readonly pool: BufferPool,
    private readonly identity: ProducerIdentity | undefined,
    private readonly options: ResolvedProducerOptions,
    /** Set for a transactional producer: a partition's batches wait until it is in the transaction. */
    private readonly transactions?: TransactionGate,
  ) {}

  get inFlightRequests(): number {
    let total = 0
    for (const n of this.#inFlightByNode.values()) total += n
    return total
  }

  /** Asks for a pass over the accumulator soon (coalesced). */
  wake(): void {
    if (this.#running) {
      this.#again = true
      return
    }
    this.#running = true
    queueMicrotask(() => {
      this.#loop().catch((error: unknown) => {
        this.client.logger.error('producer sender failed', { error: String(error) })
      })
    })
  }

  stop(): void {
    clearTimeout(this.#timer)
    this.#timer = undefined
  }

  async #loop(): Promise<void> {
    try {
      do {
        this.#again = false
        await this.#pass()
      } while (this.#again)
    } finally {
      this.#running = false
    }
  }

  async #pass(): Promise<void> {
    const now = performance.now()
    this.#expire(now)
    if (this.#fatal) {
      for (const queue of this.accumulator.partitions)
        for (const b of queue.queued.splice(0)) this.#fail(b, this.#fatal)
      return
    }
    if (this.identity && (!this.identity.initialized || this.identity.bumpRequested)) {
      if (this.inFlightRequests > 0) return // a bump waits for every response, so no old-epoch batch is left unresolved
      if (!(await this.#initProducerId())) return
    }
    let wakeAt = Number.POSITIVE_INFINITY
    const byNode = new Map<number, PartitionQueue[]>()
    const unknownLeaders = new Set<string>()
    for (const queue of this.accumulator.partitions) {
      const readyAt = this.accumulator.readiness(queue, now, this.options.lingerMs, this.closing)
      if (readyAt > now) {
        wakeAt = Math.min(wakeAt, readyAt)
        continue
      }
      const head = queue.queued[0]!
      if (head.sequence !== NO_SEQUENCE && queue.inFlight.length > 0) continue // a retry waits for its partition to settle
      if (queue.staleEpoch && head.sequence === NO_SEQUENCE) {
        if (queue.inFlight.length > 0) continue // the old epoch's batches finish first
        queue.staleEpoch = false
        queue.nextSequence = 0
        queue.confirmed = false
      }
      if (queue.inFlight.length >= (this.identity && !queue.confirmed ? 1 : 5)) continue
      if (this.transactions && !this.transactions.canSend(queue.topic, queue.partition)) continue // woken once added
      const leader = this.client.cluster.metadata.partition(queue.topic, queue.partition)?.leader ?? -1
      if (leader < 0) {
        unknownLeaders.add(queue.topic)
        wakeAt = Math.min(wakeAt, now + this.options.retryBackoffMs)
        continue
      }
      const list = byNode.get(leader)
      if (list) list.push(queue)
      else byNode.set(leader, [queue])
    }
    if (unknownLeaders.size > 0) this.#refreshMetadata([...unknownLeaders])
    for (const [node, queues] of byNode) {
      while (queues.length > 0 && (this.#inFlightByNode.get(node) ?? 0) < this.options.maxInFlightRequests) {
        const batches = this.#drain(queues)
        if (batches.length === 0) break
        this.#inFlightByNode.set(node, (this.#inFlightByNode.get(node) ?? 0) + 1)
        void this.#produce(node, batches)
      }
    }
    this.#schedule(wakeAt)
  }

  /** Takes the head batch of each partition whose request settings match the first's, within maxRequestBytes. */
  #drain(queues: PartitionQueue[]): ProducerBatch[] {
    const first = queues[0]!.queued[0]!.profile
    const batches: ProducerBatch[] = []
    let size = 0
    for (let i = 0; i < queues.length; i++) {
      const queue = queues[i]!
      const head = queue.queued[0]!
      if (head.profile.acks !== first.acks || head.profile.timeoutMs !== first.timeoutMs) continue
      if (batches.length > 0 && size + head.estimatedSizeBytes > this.options.maxRequestBytes) continue
      queue.queued.shift()
      queues.splice(i--, 1)
      size += head.estimatedSizeBytes
      if (this.identity && head.sequence === NO_SEQUENCE) {
        head.sequence = queue.nextSequence
        head.producerId = this.identity.producerId
        head.producerEpoch = this.identity.epoch
        queue.nextSequence = nextSequence(queue.nextSequence, head.recordCount)
      }
      queue.inFlight.push(head)
      queue.inFlight.sort((a, b) => a.sequence - b.sequence)
      batches.push(head)
    }
    return batches
  }

  async #produce(node: number, batches: ProducerBatch[]): Promise<void> {
    const profile = batches[0]!.profile
    try {
      let encoded: Buffer[]
      try {
        encoded = await Promise.all(batches.map((b) => b.encode()))
      } catch (error) {
        for (const batch of batches) this.#handleError(batch, asKafkaError(error), node)
        return
      }
      const topics = new Map<string, { batch: ProducerBatch; bytes: Buffer }[]>()
      batches.forEach((batch, i) => {
        const bytes = encoded[i]!
        if (this.identity) batch.stamp(bytes, batch.producerId, batch.producerEpoch, this.transactions !== undefined)
        if (batch.attempts === 0) this.accumulator.observeCompression(batch)
        batch.attempts++
        const list = topics.get(batch.topic)
        if (list) list.push({ batch, bytes })
        else topics.set(batch.topic, [{ batch, bytes }])
      })
      const metadata = this.client.cluster.metadata
      // The request is little more than its batches: sized up front, the frame is written without regrowing.
      let sizeHint = PRODUCE_HEADER_BYTES
      for (const [name, entries] of topics) {
        sizeHint += Buffer.byteLength(name) + 32
        for (const { bytes } of entries) sizeHint += bytes.length + 16
      }
      const body = () =>
        createProduceRequest({
          transactionalId: this.transactions?.transactionalId ?? null,
          acks: profile.acks,
          timeoutMs: profile.timeoutMs,
          topicData: [...topics].map(([name, entries]) => ({
            name,
            topicId: metadata.topic(name)?.topicId ?? ZERO_UUID,
            partitionData: entries.map(({ batch, bytes }) => ({ index: batch.partition, records: bytes })),
          })),
        })
      let response: ProduceResponse
      try {
        if (profile.acks === 0) {
          const connection = await this.client.cluster.connectionTo(node, PURPOSE)
          await connection.send('Produce', body, { sizeHint })
          for (const batch of batches) this.#complete(batch, -1n, -1n)
          return
        }
        response = await this.client.cluster.request(node, 'Produce', body, {
          purpose: PURPOSE,
          timeoutMs: this.options.requestTimeoutMs,
          sizeHint,
          ...(this.transactions ? { maxVersion: TXN_V1_MAX_VERSION.Produce } : {}),
        })
      } catch (error) {
        for (const batch of batches) this.#handleError(batch, asKafkaError(error), node)
        return
      }
      const answers = new Map<string, ProduceResponsePartitionProduceResponse>()
      const nameById = new Map([...topics.keys()].map((name) => [metadata.topic(name)?.topicId ?? '', name]))
      for (const topic of response.responses) {
        const name = topic.name !== '' ? topic.name : (nameById.get(topic.topicId) ?? '')
        for (const p of topic.partitionResponses) answers.set(`${name}\u0000${p.index}`, p)
      }
      for (const batch of batches) {
        const answer = answers.get(`${batch.topic}\u0000${batch.partition}`)
        if (!answer) {
          this.#handleError(
            batch,
            new KafkaError(
              `the Produce response from broker ${node} did not mention ${batch.topic}-${batch.partition}`,
              { retriable: true },
            ),
            node,
          )
        } else if (answer.errorCode === 0 || answer.errorCode === DUPLICATE_SEQUENCE_NUMBER) {
          this.#complete(batch, answer.errorCode === 0 ? answer.baseOffset : -1n, answer.logAppendTimeMs)
        } else {
          const detail = [answer.errorMessage, ...answer.recordErrors.map((e) => e.batchIndexErrorMessage)]
            .filter(Boolean)
            .join('; ')
          const error = errorFromCode(answer.errorCode, {
            api: 'Produce',
            entity: `${batch.topic}-${batch.partition}`,
            broker: String(node),
            ...(detail ? { detail } : {}),
          })!
          this.#handleError(batch, error, node)
        }
      }
    } finally {
      this.#inFlightByNode.set(node, (this.#inFlightByNode.get(node) ?? 1) - 1)
      this.wake()
    }
  }

  #complete(batch: ProducerBatch, baseOffset: bigint, logAppendTimeMs: bigint): void {
    this.#remove(batch)
    this.accumulator.queue(batch.topic, batch.partition).confirmed = true
    this.pool.release(batch.reservedBytes)
    batch.complete(baseOffset, logAppendTimeMs, this.#callbackFailed)
  }

  #fail(batch: ProducerBatch, error: KafkaError): void {
    this.#remove(batch)
    this.pool.release(batch.reservedBytes)
    batch.fail(error, this.#callbackFailed)
  }

  #remove(batch: ProducerBatch): void {
    const queue = this.accumulator.queue(batch.topic, batch.partition)
    const index = queue.inFlight.indexOf(batch)
    if (index >= 0) queue.inFlight.splice(index, 1)
  }

  #handleError(batch: ProducerBatch, error: KafkaError, node: number): void {
    const queue = this.accumulator.queue(batch.topic, batch.partition)
    if (error instanceof ApiError && error.code === MESSAGE_TOO_LARGE && batch.recordCount > 1) {
      void this.#split(queue, batch, error)
      return
    }
    this.#remove(batch)
    let retriable = error.retriable
    const code = error instanceof ApiError ? error.code : 0
    // In a transaction these fail the record and make the transaction abortable; the abort bumps the epoch.
    if (
      this.identity &&
      !this.transactions &&
      (code === OUT_OF_ORDER_SEQUENCE_NUMBER || code === UNKNOWN_PRODUCER_ID)
    ) {
      // Out of order because an earlier batch of the partition failed: it is retried first, this one after it.
      const earlierPending = [...queue.inFlight, ...queue.queued].some(
        (b) => b.sequence !== NO_SEQUENCE && b.sequence < batch.sequence,
      )
      // Otherwise the broker lost or never had our state: bump the epoch and restart sequences (KIP-360).
      if (code === UNKNOWN_PRODUCER_ID || !earlierPending) {
        this.identity.bumpRequested = true
        queue.rewriteSequences = true
      }
      retriable = true
    } else if (code !== 0 && !retriable && isFatal(code)) {
      this.#fatal = error
    }
    if (error instanceof ConnectionError || error instanceof RequestTimeoutError || isStaleMetadataCode(code)) {
      this.#refreshMetadata([batch.topic])
    }
    const now = performance.now()
    if (retriable && now - batch.createdAt < this.options.deliveryTimeoutMs) {
      batch.retryAt = now + backoffMs(batch.attempts - 1, this.options)
      this.#requeue(queue, batch)
      this.client.logger.debug('retrying a produce batch', {
        partition: `${batch.topic}-${batch.partition}`,
        broker: node,
        error: error.message,
      })
      return
    }
    this.#fail(
      batch,
      retriable
        ? new DeliveryTimeoutError(
            `${batch.recordCount} record(s) for ${batch.topic}-${batch.partition} not acknowledged within deliveryTimeoutMs (${this.options.deliveryTimeoutMs} ms); last error: ${error.message}`,
            error,
          )
        : error,
    )
  }

  /**
   * As the Java producer does, a batch of several records that the broker
   * refused as too large (max.message.bytes) is sent again as two halves, so
   * only a record too large on its own fails. The batch stays in flight until
   * the halves are queued: later batches of its partition that the broker
   * refuses as out of order wait behind it instead of bumping the epoch.
   */
  async #split(queue: PartitionQueue, batch: ProducerBatch, error: KafkaError): Promise<void> {
    let pieces: [ProducerBatch, ProducerBatch]
    try {
      pieces = await batch.split()
    } catch {
      this.#fail(batch, error)
      this.wake()
      return
    }
    this.#remove(batch)
    this.#requeue(queue, pieces[1])
    this.#requeue(queue, pieces[0])
    this.wake()
  }

  /** Puts a failed batch back at the head of its partition's queue, in sequence order. */
  #requeue(queue: PartitionQueue, batch: ProducerBatch): void {
    let index = 0
    if (this.identity) {
      while (index < queue.queued.length) {
        const other = queue.queued[index]!
        if (other.sequence === NO_SEQUENCE || other.sequence > batch.sequence) break
        index++
      }
    }
    queue.queued.splice(index, 0, batch)
  }

  /** Fails queued batches older than deliveryTimeoutMs. */
  #expire(now: number): void {
    for (const queue of this.accumulator.partitions) {
      for (let i = 0; i < queue.queued.length; i++) {
        const batch = queue.queued[i]!
        if (now - batch.createdAt < this.options.deliveryTimeoutMs) continue
        queue.queued.splice(i--, 1)
        this.#fail(
          batch,
          new DeliveryTimeoutError(
            `expiring ${batch.recordCount} record(s) for ${batch.topic}-${batch.partition}: ${Math.round(now - batch.createdAt)} ms passed since the batch was created, more than deliveryTimeoutMs (${this.options.deliveryTimeoutMs} ms)`,
          ),
        )
      }
    }
  }

  async #initProducerId(): Promise<boolean> {
    const identity = this.identity!
    const bump = identity.initialized
    try {
      if (!identity.bumpLocally())
        await identity.initialize(this.client, {
          deadlineMs: this.options.requestTimeoutMs,
          retryBackoffMs: this.options.retryBackoffMs,
          retryBackoffMaxMs: this.options.retryBackoffMaxMs,
        })
    } catch (error) {
      const failure = asKafkaError(error)
      if (!failure.retriable) this.#fatal = failure
      this.#schedule(performance.now() + this.options.retryBackoffMs)
      return false
    }
    if (bump) {
      this.client.logger.info('bumped the producer epoch', {
        producerId: String(identity.producerId),
        epoch: identity.epoch,
      })
      // Nothing is in flight. The partitions whose errors asked for the bump, and those with only
      // unsent batches, restart at sequence 0 under the new epoch. A batch of another partition
      // that is waiting for a retry may have been written: it keeps its epoch and sequence.
      for (const queue of this.accumulator.partitions) {
        const retrying = queue.inFlight.length > 0 || queue.queued.some((b) => b.sequence !== NO_SEQUENCE)
        if (retrying && !queue.rewriteSequences) {
          queue.staleEpoch = true
          continue
        }
        queue.rewriteSequences = false
        queue.staleEpoch = false
        queue.nextSequence = 0
        queue.confirmed = false
        for (const batch of queue.queued) batch.sequence = NO_SEQUENCE
      }
    }
    return true
  }

  #refreshMetadata(topics: string[]): void {
    this.client.cluster.refreshMetadata({ topics }).catch((error: Error) => {
      this.client.logger.warn('producer metadata refresh failed', { error: error.message })
    })
  }

  #schedule(at: number): void {
    if (!Number.isFinite(at)) return
    if (this.#timer && this.#timerAt <= at) return
    clearTimeout(this.#timer)
    this.#timerAt = at
    this.#timer = setTimeout(
      () => {
        this.#timer = undefined
        this.#timerAt = Number.POSITIVE_INFINITY
        this.wake()
      },
      Math.max(0, at - performance.now()),
    )
  }
}

/** Errors after which no produce can succeed (authorization, a fenced or invalid producer). */
function isFatal(code: number): boolean {
  return code === 31 || code === 47 || code === 53 || code === 90
}

function asKafkaError(error: unknown): KafkaError {
  if (error instanceof KafkaError) return error
  return new KafkaError(error instanceof Error ? error.message : String(error), { cause: error })
}
