import {
  ControlRecordType,
  decodeControlRecord,
  decodeRawBatch,
  type FetchResponseAbortedTransaction,
  type KafkaRecord,
  type RawBatch,
  type RecordBatch,
  splitRecordBatches,
} from '@kafkit/protocol'
import type { PartitionState } from '../subscription-state.js'

/** Records of one partition handed to the application, with what they were read from. */
export interface PartitionRecords {
  topic: string
  partition: number
  records: KafkaRecord[]
  /** Leader epoch of the batch each record came from would be per record; this is the last one's. */
  lastLeaderEpoch: number
  highWatermark: bigint
  lastStableOffset: bigint
}

/**
 * The data of one partition from one Fetch response, decoded batch by batch
 * only as the application asks for records (a large response costs nothing
 * until it is read). As Java's CompletedFetch: records before the fetch offset
 * are dropped, control batches are never returned, and with read_committed
 * the batches of aborted transactions are skipped using the response's list
 * of aborted transactions and the ABORT markers.
 */
export class CompletedFetch {
  readonly state: PartitionState
  /** The state's seek epoch when fetched: a seek since makes this data stale. */
  readonly seekEpoch: number
  readonly bytes: number
  /** The next offset to return; the partition's position once this fetch is drained. */
  nextOffset: bigint
  lastEpoch: number
  readonly #batches: Iterator<RawBatch>
  readonly #readCommitted: boolean
  /** Aborted transactions not yet reached, by first offset. */
  readonly #aborted: FetchResponseAbortedTransaction[]
  readonly #abortedProducers = new Set<bigint>()
  #current: { batch: RecordBatch; index: number } | undefined
  #done = false

  constructor(
    state: PartitionState,
    fetchOffset: bigint,
    records: Buffer,
    aborted: readonly FetchResponseAbortedTransaction[] | null,
    readCommitted: boolean,
    lastEpoch: number,
  ) {
    this.state = state
    this.seekEpoch = state.epoch
    this.bytes = records.length
    this.nextOffset = fetchOffset
    this.lastEpoch = lastEpoch
    this.#batches = splitRecordBatches(records)
    this.#readCommitted = readCommitted
    this.#aborted = [...(aborted ?? [])].sort((a, b) => (a.firstOffset < b.firstOffset ? -1 : 1))
  }

  get done(): boolean {
    return this.#done
  }

  /** Up to `max` records from the current position; fewer (or none) when the data runs out. */
  async take(max: number): Promise<KafkaRecord[]> {
    const out: KafkaRecord[] = []
    while (out.length < max && !this.#done) {
      if (!this.#current) {
        const batch = await this.#nextBatch()
        if (!batch) {
          this.#done = true
          break
        }
        this.#current = { batch, index: 0 }
      }
      const { batch } = this.#current
      const records = batch.records
      // Offsets rise within a batch: skip those before the position, then take a run
      // without comparing (or adding) a bigint per record.
      let from = this.#current.index
      while (from < records.length && records[from]!.offset < this.nextOffset) from++
      const to = Math.min(records.length, from + max - out.length)
      for (let i = from; i < to; i++) out.push(records[i]!)
      if (to > from) {
        this.nextOffset = records[to - 1]!.offset + 1n
        this.lastEpoch = batch.partitionLeaderEpoch
      }
      this.#current.index = to
      if (this.#current.index >= records.length) {
        // Compaction may have removed the batch's last records: the position still moves past the batch.
        if (batch.lastOffset + 1n > this.nextOffset) this.nextOffset = batch.lastOffset + 1n
        this.#current = undefined
      }
    }
    return out
  }

  /** The next batch that holds records for the application, skipping control and aborted batches. */
  async #nextBatch(): Promise<RecordBatch | undefined> {
    for (;;) {
      const next = this.#batches.next()
      if (next.done) return undefined
      const batch = await decodeRawBatch(next.value)
      if (batch.lastOffset < this.nextOffset) continue
      if (this.#readCommitted && batch.producerId >= 0n) {
        while (this.#aborted.length > 0 && this.#aborted[0]!.firstOffset <= batch.lastOffset) {
          this.#abortedProducers.add(this.#aborted.shift()!.producerId)
        }
        if (batch.isTransactional && !batch.isControl && this.#abortedProducers.has(batch.producerId)) {
          this.nextOffset = batch.lastOffset + 1n
          continue
        }
      }
      if (batch.isControl) {
        if (this.#readCommitted) {
          const first = batch.records[0]
          if (first && decodeControlRecord(first).type === ControlRecordType.Abort) {
            this.#abortedProducers.delete(batch.producerId)
          }
        }
        this.nextOffset = batch.lastOffset + 1n
        this.lastEpoch = batch.partitionLeaderEpoch
        continue
      }
      return batch
    }
  }
}
