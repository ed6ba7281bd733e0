import { describe, expect, it } from 'vitest'
import {
  JavaHashMap,
  javaHashOrder,
  javaStringHash,
  javaTopicPartitionHash,
  STRING_KEY,
} from '../src/assignors/java-hash-map.js'

// Expected orders were printed by java.util.HashMap on OpenJDK 17.
describe('Java HashMap iteration order', () => {
  it('hashes strings and topic partitions as Java does', () => {
    expect(javaStringHash('')).toBe(0)
    expect(javaStringHash('Aa')).toBe(javaStringHash('BB'))
    expect(javaStringHash('orders')).toBe(-1008770331)
    expect(javaTopicPartitionHash('orders', 3)).toBe(31 * (31 + 3) + javaStringHash('orders'))
  })

  it('iterates in bucket order, colliding keys in insertion order', () => {
    const keys = ['orders', 'payments', 'logs', 'topic-1', 'topic-10', 'topic-2', 'Aa', 'BB']
    expect(javaHashOrder(keys)).toEqual(['Aa', 'BB', 'payments', 'orders', 'topic-1', 'topic-2', 'logs', 'topic-10'])
  })

  it('grows after a put passes the threshold, but before a computeIfAbsent once past it', () => {
    const keys = Array.from({ length: 13 }, (_, i) => `member-${i * 7}`)
    expect(javaHashOrder(keys)).toEqual([
      'member-28',
      'member-49',
      'member-14',
      'member-35',
      'member-56',
      'member-77',
      'member-21',
      'member-7',
      'member-42',
      'member-63',
      'member-84',
      'member-70',
      'member-0',
    ])
    const computed = new JavaHashMap<string, number>(STRING_KEY)
    for (const key of keys) computed.computeIfAbsent(key, () => 1)
    expect(computed.keys()).toEqual([
      'member-84',
      'member-70',
      'member-28',
      'member-49',
      'member-0',
      'member-14',
      'member-35',
      'member-56',
      'member-77',
      'member-21',
      'member-42',
      'member-7',
      'member-63',
    ])
  })

  it('puts a colliding computeIfAbsent key in front of the bucket', () => {
    const map = new JavaHashMap<string, number>(STRING_KEY)
    map.computeIfAbsent('Aa', () => 1)
    map.computeIfAbsent('BB', () => 2)
    expect(map.keys()).toEqual(['BB', 'Aa'])
    map.delete('BB')
    expect(map.keys()).toEqual(['Aa'])
  })
})
