import { describe, expect, it } from 'vitest'
import { KafkaError } from '../src/errors.js'
import { defaultPartition, murmur2, toPositive } from '../src/murmur2.js'

describe('murmur2', () => {
  // Values the Java client's Utils.murmur2 returns (its own unit test's vectors),
  // covering every tail length (0-3 bytes after the 4-byte blocks).
  it.each([
    ['21', -973932308],
    ['foobar', -790332482],
    ['a-little-bit-long-string', -985981536],
    ['a-little-bit-longer-string', -1486304829],
    ['lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8', -58897971],
    ['abc', 479470107],
  ])('hashes %j like the Java client', (key, expected) => {
    expect(murmur2(Buffer.from(key))).toBe(expected)
  })

  it('returns signed 32-bit integers', () => {
    for (let i = 0; i < 200; i++) {
      const hash = murmur2(Buffer.from(`key-${i}`))
      expect(hash).toBe(hash | 0)
    }
  })
})

describe('toPositive', () => {
  it('clears the sign bit instead of negating, as Java does', () => {
    expect(toPositive(-1)).toBe(0x7fffffff)
    expect(toPositive(-2147483648)).toBe(0)
    expect(toPositive(5)).toBe(5)
  })
})

describe('defaultPartition', () => {
  it('is toPositive(murmur2(key)) modulo the partition count', () => {
    const key = Buffer.from('foobar')
    expect(defaultPartition(key, 7)).toBe(toPositive(-790332482) % 7)
    expect(defaultPartition(key, 1)).toBe(0)
  })

  it('rejects a partition count that is not a positive integer', () => {
    expect(() => defaultPartition(Buffer.from('k'), 0)).toThrow(KafkaError)
    expect(() => defaultPartition(Buffer.from('k'), 2.5)).toThrow(/positive integer/)
  })
})
