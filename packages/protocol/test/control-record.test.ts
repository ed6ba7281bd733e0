import { describe, expect, it } from 'vitest'
import { CorruptRecordError } from '../src/errors.js'
import { ControlRecordType, decodeControlRecord, encodeTransactionMarker } from '../src/records/control-record.js'
import { decodeRecordBatch } from '../src/records/record-batch-decoder.js'
import type { KafkaRecord } from '../src/records/types.js'

function record(key: Buffer | null, value: Buffer | null): KafkaRecord {
  return { offset: 10n, timestamp: 0, key, value, headers: [] }
}

describe('transaction markers', () => {
  it.each([
    ['commit', ControlRecordType.Commit],
    ['abort', ControlRecordType.Abort],
  ] as const)('encode a %s marker as a transactional control batch of one record', async (_name, type) => {
    const batch = await decodeRecordBatch(
      encodeTransactionMarker({
        type,
        producerId: 4000n,
        producerEpoch: 2,
        coordinatorEpoch: 17,
        baseOffset: 77n,
        timestamp: 1_700_000_000_000,
      }),
    )
    expect(batch).toMatchObject({ isControl: true, isTransactional: true, producerId: 4000n, producerEpoch: 2 })
    expect(batch.baseSequence).toBe(-1)
    expect(batch.records).toHaveLength(1)
    const marker = batch.records[0]!
    expect(marker.offset).toBe(77n)
    expect(marker.key!.toString('hex')).toBe(`0000000${type}`) // version 0, type
    expect(marker.value!.toString('hex')).toBe('000000000011') // version 0, coordinator epoch 17
    expect(decodeControlRecord(marker)).toEqual({ version: 0, type, coordinatorEpoch: 17 })
  })
})

describe('decodeControlRecord', () => {
  it('uses ABORT = 0 and COMMIT = 1, as the Java client does', () => {
    expect(decodeControlRecord(record(Buffer.from('00000000', 'hex'), Buffer.from('000000000001', 'hex'))).type).toBe(
      ControlRecordType.Abort,
    )
    expect(ControlRecordType.Commit).toBe(1)
  })

  it('passes other control types through without a coordinator epoch', () => {
    const leaderChange = record(Buffer.from('00000002', 'hex'), Buffer.from('whatever'))
    expect(decodeControlRecord(leaderChange)).toEqual({ version: 0, type: 2, coordinatorEpoch: null })
    expect(decodeControlRecord(record(Buffer.from('0000ff00', 'hex'), null)).type).toBe(-256)
  })

  it('reads newer key and value versions by their version 0 prefix', () => {
    const marker = record(Buffer.from('0003000100ff', 'hex'), Buffer.from('0002000000090000', 'hex'))
    expect(decodeControlRecord(marker)).toEqual({ version: 3, type: 1, coordinatorEpoch: 9 })
  })

  it.each([
    ['a null key', record(null, null)],
    ['a 2-byte key', record(Buffer.from('0000', 'hex'), null)],
    ['a negative key version', record(Buffer.from('ffff0001', 'hex'), Buffer.from('000000000001', 'hex'))],
    ['a marker without value', record(Buffer.from('00000001', 'hex'), null)],
    ['a marker with a short value', record(Buffer.from('00000000', 'hex'), Buffer.from('0000', 'hex'))],
  ])('rejects %s', (_name, bad) => {
    expect(() => decodeControlRecord(bad)).toThrow(CorruptRecordError)
  })
})
