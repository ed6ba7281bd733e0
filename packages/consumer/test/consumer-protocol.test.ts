import { InvalidMessageError, ProtocolError } from '@kafkit/protocol'
import { describe, expect, it } from 'vitest'
import {
  decodeAssignment,
  decodeSubscription,
  encodeAssignment,
  encodeStickyUserData,
  encodeSubscription,
} from '../src/index.js'

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex')

describe('consumer protocol metadata', () => {
  it('writes a version-3 subscription as the Java client does (bytes printed by kafka-clients 4.1.1)', () => {
    const bytes = encodeSubscription({
      topics: ['t'],
      userData: encodeStickyUserData([{ topic: 't', partition: 1 }], 3),
      ownedPartitions: [],
      generationId: -1,
      rackId: 'a',
    })
    expect(hex(bytes)).toBe('000300000001000174000000130000000100017400000001000000010000000300000000ffffffff000161')
  })

  it('sorts topics and owned partitions, and drops what an older version lacks', () => {
    const subscription = {
      topics: ['b', 'a'],
      userData: null,
      ownedPartitions: [
        { topic: 'b', partition: 1 },
        { topic: 'a', partition: 2 },
        { topic: 'b', partition: 0 },
      ],
      generationId: 7,
      rackId: 'r',
    }
    // v0: version, topics [a, b], null user data.
    expect(hex(encodeSubscription(subscription, 0))).toBe('0000' + '00000002' + '000161' + '000162' + 'ffffffff')
    const v3 = decodeSubscription(encodeSubscription(subscription, 3))
    expect(v3).toEqual({
      topics: ['a', 'b'],
      userData: null,
      ownedPartitions: [
        { topic: 'a', partition: 2 },
        { topic: 'b', partition: 0 },
        { topic: 'b', partition: 1 },
      ],
      generationId: 7,
      rackId: 'r',
    })
    const v1 = decodeSubscription(encodeSubscription(subscription, 1))
    expect(v1.generationId).toBe(-1)
    expect(v1.rackId).toBeNull()
    expect(v1.ownedPartitions).toHaveLength(3)
  })

  it('groups assigned partitions by topic in the order topics first appear', () => {
    const bytes = encodeAssignment({
      partitions: [
        { topic: 'u', partition: 0 },
        { topic: 't', partition: 1 },
        { topic: 'u', partition: 2 },
      ],
      userData: null,
    })
    expect(hex(bytes)).toBe(
      '0003' +
        '00000002' +
        '000175' +
        '00000002' +
        '00000000' +
        '00000002' +
        '000174' +
        '00000001' +
        '00000001' +
        'ffffffff',
    )
    expect(decodeAssignment(bytes).partitions).toEqual([
      { topic: 'u', partition: 0 },
      { topic: 'u', partition: 2 },
      { topic: 't', partition: 1 },
    ])
  })

  it('reads a newer version as version 3 and writes version 3 when asked for a newer one', () => {
    const v3 = encodeAssignment({ partitions: [], userData: null })
    const v9 = Buffer.from(v3)
    v9.writeInt16BE(9, 0)
    expect(decodeAssignment(v9)).toEqual({ partitions: [], userData: null })
    expect(hex(encodeAssignment({ partitions: [], userData: null }, 9))).toBe(hex(v3))
  })

  it('rejects bad input with typed errors', () => {
    expect(() => decodeSubscription(Buffer.from([0]))).toThrow(ProtocolError)
    expect(() => decodeSubscription(Buffer.from([0xff, 0xff]))).toThrow(/version -1/)
    expect(() => decodeAssignment(Buffer.from('0003000000', 'hex'))).toThrow(ProtocolError)
    expect(() => encodeAssignment({ partitions: [], userData: null }, -1)).toThrow(InvalidMessageError)
  })
})
