import { InvalidMessageError } from '@kafkit/protocol'
import { Partitioners } from 'kafkajs'
import { describe, expect, it } from 'vitest'
import { javaAvailable, seededRandom } from '../../../test/cross-check/support/java.js'
import { javaMurmur2, orThrow } from '../../../test/reference/java-reference.js'
import {
  choosePartition,
  createPartitioner,
  DefaultPartitioner,
  KafkaJsPartitioner,
  type PartitionerInput,
  RoundRobinPartitioner,
  StickyPartitioner,
} from '../src/index.js'

const all = (n: number) => Array.from({ length: n }, (_, i) => i)
const input = (topic: string, key: Uint8Array | null, partitionCount: number, available = all(partitionCount)) =>
  ({ topic, key, value: null, partitionCount, availablePartitions: available }) satisfies PartitionerInput

const random = seededRandom(0x70617274)
const keys = Array.from({ length: 1000 }, (_, i) =>
  i % 3 === 0 ? Buffer.from(`order-${i}`) : Buffer.from(Array.from({ length: random() % 40 }, () => random() & 0xff)),
)

const java = await javaAvailable('producer-partitioners')

describe('the default partitioner', () => {
  it.skipIf(!java)('puts 1,000 keys on the partitions the Java client picks', async () => {
    for (const partitions of [1, 3, 12, 100]) {
      const expected = orThrow(await javaMurmur2(keys.map((key) => ({ key, partitions })))).map((r) => r.partition)
      const partitioner = new DefaultPartitioner()
      expect(keys.map((key) => partitioner.partition(input('t', key, partitions)))).toEqual(expected)
    }
  })

  it('hashes over all partitions, so a key keeps its partition while a leader is missing', () => {
    const partitioner = new DefaultPartitioner()
    const key = Buffer.from('stable')
    const withAll = partitioner.partition(input('t', key, 6))
    expect(partitioner.partition(input('t', key, 6, [withAll === 0 ? 1 : 0]))).toBe(withAll)
  })

  it('sends unkeyed records to one partition until a batch is closed, then switches to another', () => {
    const partitioner = new DefaultPartitioner({ batchBytes: 1000 })
    const first = partitioner.partition(input('t', null, 4))
    for (let i = 0; i < 10; i++) {
      expect(partitioner.partition(input('t', null, 4))).toBe(first)
      partitioner.onAppend('t', first, 10, false)
    }
    partitioner.onAppend('t', first, 10, true)
    const second = partitioner.partition(input('t', null, 4))
    expect(second).not.toBe(first)
  })

  it('switches after a batch worth of bytes and spreads unkeyed bytes over every available partition', () => {
    const sticky = new StickyPartitioner(100)
    const counts = new Map<number, number>()
    for (let i = 0; i < 4000; i++) {
      const p = sticky.partition('t', 5, [0, 2, 4])
      counts.set(p, (counts.get(p) ?? 0) + 1)
      sticky.onAppend('t', p, 10, false)
    }
    expect([...counts.keys()].sort()).toEqual([0, 2, 4])
    for (const count of counts.values()) expect(count).toBeGreaterThan(900)
  })

  it('keeps sticky state per topic', () => {
    const sticky = new StickyPartitioner(100)
    const a = sticky.partition('a', 50, all(50))
    sticky.partition('b', 50, all(50))
    sticky.onAppend('b', sticky.partition('b', 50, all(50)), 1000, true)
    expect(sticky.partition('a', 50, all(50))).toBe(a)
  })
})

describe('the kafkajs partitioner', () => {
  const kafkajs = Partitioners.DefaultPartitioner()
  const metadata = (n: number, available = all(n)) =>
    all(n).map((partitionId) => ({
      partitionId,
      leader: available.includes(partitionId) ? 1 : -1,
      partitionErrorCode: 0,
      replicas: [1],
      isr: [1],
    }))

  it('places keyed records where kafkajs does', () => {
    const ours = new KafkaJsPartitioner()
    for (const partitions of [1, 3, 7, 64]) {
      for (const key of keys) {
        expect(ours.partition(input('t', key, partitions))).toBe(
          kafkajs({ topic: 't', partitionMetadata: metadata(partitions), message: { key, value: null } }),
        )
      }
    }
  })

  it('hashes string keys as UTF-8 like kafkajs', () => {
    const ours = new KafkaJsPartitioner()
    for (const key of ['ключ', 'a', '', '🙂 emoji']) {
      expect(ours.partition(input('t', Buffer.from(key, 'utf8'), 13))).toBe(
        kafkajs({ topic: 't', partitionMetadata: metadata(13), message: { key, value: null } }),
      )
    }
  })

  it('cycles unkeyed records through the available partitions, one per record, like kafkajs', () => {
    const ours = new KafkaJsPartitioner()
    const available = [1, 3, 4, 6]
    const sequence = Array.from({ length: 12 }, () => ours.partition(input('t', null, 8, available)))
    const theirs = Array.from({ length: 12 }, () =>
      kafkajs({ topic: 't', partitionMetadata: metadata(8, available), message: { value: 'x' } }),
    )
    // Both start at a random point of the cycle; the cycle itself is the same.
    const cycle = (seq: number[]) => seq.slice(seq.indexOf(1), seq.indexOf(1) + 4)
    expect(cycle(sequence)).toEqual([1, 3, 4, 6])
    expect(cycle(theirs)).toEqual([1, 3, 4, 6])
  })
})

describe('other partitioners', () => {
  it('round-robin gives each available partition a record in turn, ignoring keys', () => {
    const partitioner = new RoundRobinPartitioner()
    const picks = Array.from({ length: 6 }, () => partitioner.partition(input('t', Buffer.from('k'), 5, [0, 2, 3])))
    expect(picks).toEqual([0, 2, 3, 0, 2, 3])
  })

  it('a custom function chooses, and an explicit partition wins over any partitioner', () => {
    const partitioner = createPartitioner(({ value }) => (value?.[0] ?? 0) % 3, 16384)
    expect(choosePartition(partitioner, { ...input('t', null, 3), value: Buffer.from([5]) }, undefined)).toBe(2)
    expect(choosePartition(partitioner, { ...input('t', null, 3), value: Buffer.from([5]) }, 0)).toBe(0)
  })

  it('rejects a partition outside the topic, saying which partitions exist', () => {
    const partitioner = createPartitioner('default', 16384)
    expect(() => choosePartition(partitioner, input('orders', null, 3), 3)).toThrow(
      /partition 3 does not exist in topic "orders", which has 3 partitions \(0\.\.2\)/,
    )
    expect(() =>
      choosePartition(
        createPartitioner(() => 7, 1),
        input('t', null, 3),
        undefined,
      ),
    ).toThrow(InvalidMessageError)
  })

  it('rejects an unknown partitioner option', () => {
    expect(() => createPartitioner('murmur3' as 'default', 1)).toThrow(/partitioner must be 'default'/)
  })
})
