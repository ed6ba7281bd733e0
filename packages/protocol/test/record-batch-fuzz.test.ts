import { describe, expect, it } from 'vitest'
import { CompressionType } from '../src/compression/compression-type.js'
import { ProtocolError } from '../src/errors.js'
import { encodeTransactionMarker } from '../src/records/control-record.js'
import { encodeRecordBatch } from '../src/records/record-batch-builder.js'
import { decodeRecordBatches } from '../src/records/record-batches.js'
import { legacyEntry, legacyWrapper } from './support/legacy-messages.js'
import { Mutator } from './support/mutations.js'

/**
 * Record batch decoding under fuzzing: valid batches of every format and
 * compression, mutated (bit flips, cuts, lying lengths, noise) and decoded with
 * CRC checks off, so the damage reaches the record and decompression code
 * rather than stopping at the checksum. Only ProtocolError (CorruptRecordError
 * is one) may escape. KAFKIT_FUZZ_SEED replays a run.
 */
const BATCH_INPUTS = Number(process.env.KAFKIT_FUZZ_BATCH_INPUTS ?? 1_000_000)
const SEED = Number(process.env.KAFKIT_FUZZ_SEED ?? 20261125)
/** Native decompression is far slower per call; it gets this share of the inputs. */
const COMPRESSED_SHARE = 0.05

describe('decoding damaged batches', () => {
  it(`throws only ProtocolError on ${BATCH_INPUTS} damaged batches of every format and compression`, async () => {
    const records = Array.from({ length: 20 }, (_, i) => ({
      key: i % 3 === 0 ? null : Buffer.from(`key-${i}`),
      value: Buffer.from(`value ${i} `.repeat(i)),
      timestamp: 1_700_000_000_000 + i,
      headers: i % 2 ? [{ key: `h${i}`, value: i % 4 === 1 ? null : Buffer.from('v') }] : [],
    }))
    const inputs: Buffer[] = [
      ...(await Promise.all(
        [
          CompressionType.None,
          CompressionType.Gzip,
          CompressionType.Snappy,
          CompressionType.Lz4,
          CompressionType.Zstd,
        ].map((compression) => encodeRecordBatch({ compression, records })),
      )),
      encodeTransactionMarker({ type: 1, producerId: 1n, producerEpoch: 0, coordinatorEpoch: 3 }),
      legacyEntry({ offset: 3n, magic: 1, timestamp: 5, key: Buffer.from('k'), value: Buffer.from('legacy value') }),
      ...(await Promise.all(
        [CompressionType.Gzip, CompressionType.Snappy, CompressionType.Lz4].map((compression) =>
          legacyWrapper({
            offset: 19n,
            magic: 1,
            compression,
            inner: records.map((r, i) => ({
              offset: BigInt(i),
              magic: 1,
              timestamp: r.timestamp,
              key: r.key,
              value: r.value,
            })),
          }),
        ),
      )),
    ]
    const compressed = inputs.filter((input) => isCompressed(input))
    const plain = inputs.filter((input) => !isCompressed(input))
    const mutator = new Mutator(SEED)
    let rejected = 0
    const unexpected: string[] = []
    for (let i = 0; i < BATCH_INPUTS; i++) {
      const pool = mutator.int(1000) < COMPRESSED_SHARE * 1000 ? compressed : plain
      const damaged = mutator.mutate(pool[mutator.int(pool.length)]!)
      try {
        await decodeRecordBatches(damaged, { verifyCrc: mutator.int(10) === 0 })
      } catch (error) {
        rejected++
        if (!(error instanceof ProtocolError) && unexpected.length < 10) {
          unexpected.push(`${String(error)} for input ${damaged.toString('hex').slice(0, 200)}`)
        }
      }
    }
    console.log(`fuzzed ${BATCH_INPUTS} record batch inputs (seed ${SEED}): ${rejected} rejected`)
    expect(unexpected).toEqual([])
    // the damage really was noticed, not only tolerated
    expect(rejected).toBeGreaterThan(BATCH_INPUTS / 10)
  }, 900_000)
})

/** Compression lives in the attributes (magic 2, byte 22) or the legacy attributes byte (byte 17). */
function isCompressed(batch: Buffer): boolean {
  const magic = batch.readInt8(16)
  return !!((magic === 2 ? batch.readInt16BE(21) : batch.readInt8(17)) & 0x07)
}
