import type { RecordBatchHeader } from '@kafkit/protocol'
import { DataError, ErrorCode } from './data-errors.js'

/** Kafka keeps the metadata of this many recent batches per producer to recognise retried duplicates. */
const BATCHES_TO_RETAIN = 5
const NO_PRODUCER_EPOCH = -1
const NO_SEQUENCE = -1
const NO_COORDINATOR_EPOCH = -1
const INT32_MAX = 0x7fffffff

/** Where one recent batch of a producer landed. */
export interface BatchMetadata {
  firstSeq: number
  lastSeq: number
  firstOffset: bigint
  lastOffset: bigint
  /** The batch's max timestamp after validation (the append time under LogAppendTime). */
  timestamp: number
}

/** A transaction whose abort marker this partition holds: read_committed fetches drop its records. */
export interface AbortedTransaction {
  producerId: bigint
  firstOffset: bigint
  /** The offset of the abort marker. */
  lastOffset: bigint
}

/** The control record type of an abort marker. */
const ABORT_MARKER = 0

/** What a partition remembers of one producer id. */
export interface ProducerEntry {
  producerId: bigint
  epoch: number
  batches: BatchMetadata[]
  /** First offset of the producer's open transaction, which holds the last stable offset back. */
  currentTxnFirstOffset: bigint | undefined
  lastTimestamp: number
  /** The coordinator epoch of the producer's last transaction marker here, -1 before one. */
  coordinatorEpoch: number
}

/** What a partition reads from a transaction marker it appends. */
export interface MarkerInfo {
  /** The control record type: 0 abort, 1 commit. */
  type: number | undefined
  coordinatorEpoch: number | undefined
}

/** The last sequence of a batch: sequences wrap from Int32.MAX to 0. */
export function lastSequence(baseSequence: number, lastOffsetDelta: number): number {
  const last = baseSequence + lastOffsetDelta
  return last > INT32_MAX ? last - INT32_MAX - 1 : last
}

function inSequence(lastSeq: number, nextSeq: number): boolean {
  return nextSeq === lastSeq + 1 || (nextSeq === 0 && lastSeq === INT32_MAX)
}

/**
 * The idempotent and transactional producers of one partition, as Kafka's
 * ProducerStateManager and ProducerAppendInfo track them: the epoch, the last
 * five batches' sequence ranges and offsets, and any open transaction. The
 * log records every appended batch here, so state rebuilt from stored batches
 * (persistence) comes back too.
 */
export class ProducerStateTable {
  private readonly producers = new Map<bigint, ProducerEntry>()
  /** Kafka's aborted transaction index, oldest first. */
  private aborted: AbortedTransaction[] = []

  get(producerId: bigint): ProducerEntry | undefined {
    return this.producers.get(producerId)
  }

  get entries(): Iterable<ProducerEntry> {
    return this.producers.values()
  }

  /** The earlier append this batch repeats (same epoch and exact sequence range), if any. */
  findDuplicate(header: RecordBatchHeader): BatchMetadata | undefined {
    if (header.producerId < 0n) return undefined
    const entry = this.producers.get(header.producerId)
    if (!entry || entry.epoch !== header.producerEpoch) return undefined
    const lastSeq = lastSequence(header.baseSequence, header.lastOffsetDelta)
    return entry.batches.find((batch) => batch.firstSeq === header.baseSequence && batch.lastSeq === lastSeq)
  }

  /**
   * Checks a client's batch against the producer's state: an older epoch is
   * fenced, a new epoch must start at sequence 0 (unless the producer was
   * unknown), and within an epoch the sequence must follow the last one. A
   * producer this partition does not know may start at any sequence (KIP-360).
   */
  validate(header: RecordBatchHeader): void {
    if (header.producerId < 0n) return
    const entry = this.producers.get(header.producerId)
    const currentEpoch = entry?.epoch ?? NO_PRODUCER_EPOCH
    const epoch = header.producerEpoch
    const firstSeq = header.baseSequence
    if (epoch < currentEpoch) {
      throw new DataError(
        ErrorCode.INVALID_PRODUCER_EPOCH,
        `epoch ${epoch} of producer ${header.producerId} is older than its current epoch ${currentEpoch}`,
      )
    }
    if (epoch !== currentEpoch) {
      if (firstSeq !== 0 && currentEpoch !== NO_PRODUCER_EPOCH) {
        throw new DataError(
          ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER,
          `producer ${header.producerId} started epoch ${epoch} at sequence ${firstSeq}, expected 0`,
        )
      }
    } else {
      const lastSeq = entry?.batches.at(-1)?.lastSeq ?? NO_SEQUENCE
      if (!inSequence(lastSeq, firstSeq)) {
        throw new DataError(
          ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER,
          `out of order sequence ${firstSeq} for producer ${header.producerId}: the last sequence written is ${lastSeq}`,
        )
      }
    }
    if (entry?.currentTxnFirstOffset !== undefined && !header.isTransactional && !header.isControl) {
      throw new DataError(
        ErrorCode.INVALID_TXN_STATE,
        `producer ${header.producerId} wrote a non-transactional batch while its transaction is open`,
      )
    }
  }

  /**
   * Records an appended batch (already validated, offsets assigned). For a
   * control batch, `marker` is what its record says: an abort marker adds
   * the transaction it ends to the aborted transactions.
   */
  record(header: RecordBatchHeader, baseOffset: bigint, maxTimestamp: number, marker?: MarkerInfo): void {
    if (header.producerId < 0n) return
    let entry = this.producers.get(header.producerId)
    if (!entry) {
      entry = {
        producerId: header.producerId,
        epoch: header.producerEpoch,
        batches: [],
        currentTxnFirstOffset: undefined,
        lastTimestamp: maxTimestamp,
        coordinatorEpoch: NO_COORDINATOR_EPOCH,
      }
      this.producers.set(header.producerId, entry)
    }
    if (entry.epoch !== header.producerEpoch) {
      // A new epoch starts a new sequence space: the old batches cannot be duplicates any more.
      entry.epoch = header.producerEpoch
      entry.batches = []
    }
    entry.lastTimestamp = maxTimestamp
    if (header.isControl) {
      // A transaction marker ends the producer's transaction.
      const firstOffset = entry.currentTxnFirstOffset
      if (marker?.type === ABORT_MARKER && firstOffset !== undefined)
        this.aborted.push({ producerId: header.producerId, firstOffset, lastOffset: baseOffset })
      entry.currentTxnFirstOffset = undefined
      entry.coordinatorEpoch = marker?.coordinatorEpoch ?? entry.coordinatorEpoch
      return
    }
    entry.batches.push({
      firstSeq: header.baseSequence,
      lastSeq: lastSequence(header.baseSequence, header.lastOffsetDelta),
      firstOffset: baseOffset,
      lastOffset: baseOffset + BigInt(header.lastOffsetDelta),
      timestamp: maxTimestamp,
    })
    if (entry.batches.length > BATCHES_TO_RETAIN) entry.batches.shift()
    if (header.isTransactional && entry.currentTxnFirstOffset === undefined) entry.currentTxnFirstOffset = baseOffset
  }

  /** The first offset of the oldest open transaction: the last stable offset cannot pass it. */
  firstUnstableOffset(): bigint | undefined {
    let first: bigint | undefined
    for (const entry of this.producers.values()) {
      const start = entry.currentTxnFirstOffset
      if (start !== undefined && (first === undefined || start < first)) first = start
    }
    return first
  }

  /**
   * The aborted transactions a read from `from` up to `upTo` (exclusive) may
   * meet: those that end at or after `from` and start before `upTo`.
   */
  abortedBetween(from: bigint, upTo: bigint): AbortedTransaction[] {
    return this.aborted.filter((txn) => txn.lastOffset >= from && txn.firstOffset < upTo)
  }

  /** Forgets aborted transactions that end below the log start offset. */
  dropAbortedBefore(logStartOffset: bigint): void {
    this.aborted = this.aborted.filter((txn) => txn.lastOffset >= logStartOffset)
  }
}
