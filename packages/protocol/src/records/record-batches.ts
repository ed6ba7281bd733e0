import { CorruptRecordError } from '../errors.js'
import {
  BATCH_LENGTH_OFFSET,
  CURRENT_MAGIC,
  LOG_OVERHEAD,
  MAGIC_OFFSET,
  RECORD_BATCH_OVERHEAD,
} from './batch-layout.js'
import { decodeLegacyEntry } from './legacy-message-set.js'
import { decodeRecordBatch, type RecordDecodeOptions } from './record-batch-decoder.js'
import type { RecordBatch } from './types.js'

/** One batch (magic 2) or legacy entry (magic 0/1) found in a records buffer, not yet decoded. */
export interface RawBatch {
  /** First offset for magic 2; the (last) offset of the entry for magic 0/1. */
  readonly offset: bigint
  readonly magic: number
  /** Exactly the batch's bytes: a view into the buffer it was found in. */
  readonly bytes: Buffer
}

/** The smallest legacy message (magic 0, null key and value): below it a size field is garbage. */
const MIN_ENTRY_BYTES = 14

/**
 * The batches of a `records` field (a Fetch response partition, a Produce
 * request, a log segment), without decoding them. Both batch formats put the
 * offset, then a size, then the magic byte at byte 16, which is how each is
 * told apart. A batch cut off at the end is dropped silently: brokers return
 * partial batches when a fetch limit falls inside one, and the next fetch
 * starts from it.
 */
export function* splitRecordBatches(records: Buffer): Generator<RawBatch> {
  let position = 0
  while (records.length - position >= LOG_OVERHEAD) {
    const size = records.readInt32BE(position + BATCH_LENGTH_OFFSET)
    if (size < MIN_ENTRY_BYTES) {
      throw new CorruptRecordError(
        `record batch at byte ${position} declares ${size} bytes, below the minimum ${MIN_ENTRY_BYTES}`,
      )
    }
    const end = position + LOG_OVERHEAD + size
    if (end > records.length) return
    const magic = records.readInt8(position + MAGIC_OFFSET)
    if (magic < 0 || magic > CURRENT_MAGIC)
      throw new CorruptRecordError(`record batch at byte ${position} has unknown magic ${magic}`)
    if (magic === CURRENT_MAGIC && size + LOG_OVERHEAD < RECORD_BATCH_OVERHEAD) {
      throw new CorruptRecordError(`record batch at byte ${position} declares ${size} bytes, smaller than its header`)
    }
    yield { offset: records.readBigInt64BE(position), magic, bytes: records.subarray(position, end) }
    position = end
  }
}

/** Decodes one batch of either format into records. */
export function decodeRawBatch(batch: RawBatch, options?: RecordDecodeOptions): Promise<RecordBatch> {
  return batch.magic === CURRENT_MAGIC
    ? decodeRecordBatch(batch.bytes, options)
    : decodeLegacyEntry(batch.bytes, options)
}

/**
 * Decodes every complete batch in a records buffer. Batches are returned whole:
 * dropping records before the offset that was fetched is the caller's job.
 */
export async function decodeRecordBatches(records: Buffer, options?: RecordDecodeOptions): Promise<RecordBatch[]> {
  const batches: RecordBatch[] = []
  for (const raw of splitRecordBatches(records)) batches.push(await decodeRawBatch(raw, options))
  return batches
}
