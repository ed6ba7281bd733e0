import { describe, expect, it } from 'vitest'
import { CooperativeStickyAssignor, decodeCooperativeUserData } from '../src/index.js'
import { cluster, members, names } from './support.js'

describe('CooperativeStickyAssignor', () => {
  const assignor = new CooperativeStickyAssignor()

  it('supports COOPERATIVE first, then EAGER', () => {
    expect(assignor.name).toBe('cooperative-sticky')
    expect(assignor.supportedProtocols).toEqual(['COOPERATIVE', 'EAGER'])
  })

  it('moves a partition in two rebalances: first revoked from its owner, then assigned', () => {
    const partitions = cluster({ t: 4 })
    const first = names(
      assignor.assign(
        partitions,
        members({ a: { topics: ['t'], owned: ['t-0', 't-1', 't-2', 't-3'], generationId: 1 }, b: { topics: ['t'] } }),
      ),
    )
    // b gets nothing yet: a must revoke t-2 and t-3 before anyone else may own them.
    expect(first).toEqual({ a: ['t-0', 't-1'], b: [] })
    const second = names(
      assignor.assign(
        partitions,
        members({
          a: { topics: ['t'], owned: first.a, generationId: 2 },
          b: { topics: ['t'], owned: first.b, generationId: 2 },
        }),
      ),
    )
    expect(second).toEqual({ a: ['t-0', 't-1'], b: ['t-2', 't-3'] })
  })

  it('holds back moved partitions in the general algorithm too', () => {
    const partitions = cluster({ t: 2, u: 2 })
    const first = names(
      assignor.assign(
        partitions,
        members({
          a: { topics: ['t', 'u'], owned: ['t-0', 't-1', 'u-0', 'u-1'], generationId: 1 },
          b: { topics: ['t'] },
        }),
      ),
    )
    // Only a can take u's partitions, so balance means b gets both of t's, after a revokes them.
    expect(first).toEqual({ a: ['u-0', 'u-1'], b: [] })
    const second = names(
      assignor.assign(
        partitions,
        members({ a: { topics: ['t', 'u'], owned: first.a, generationId: 2 }, b: { topics: ['t'], generationId: 2 } }),
      ),
    )
    expect(second).toEqual({ a: ['u-0', 'u-1'], b: ['t-0', 't-1'] })
  })

  it('keeps a partition claimed twice with the member of the higher generation', () => {
    const result = names(
      assignor.assign(
        cluster({ t: 2 }),
        members({
          a: { topics: ['t'], owned: ['t-0'], generationId: 1 },
          b: { topics: ['t'], owned: ['t-0', 't-1'], generationId: 2 },
        }),
      ),
    )
    expect(result.b).toContain('t-0')
    expect(result.a).not.toContain('t-0')
  })

  it('places new partitions on members in the same rack (KIP-881)', () => {
    const racks = (_topic: string, partition: number) => [partition % 2 === 0 ? 'rack-a' : 'rack-b']
    const result = names(
      assignor.assign(
        cluster({ t: 4 }, racks),
        members({ a: { topics: ['t'], rackId: 'rack-b' }, b: { topics: ['t'], rackId: 'rack-a' } }),
      ),
    )
    expect(result).toEqual({ a: ['t-1', 't-3'], b: ['t-0', 't-2'] })
  })

  it('uses the generation from user data when the subscription (version 0-1) has none', () => {
    expect(decodeCooperativeUserData(assignor.subscriptionUserData({ partitions: [], generationId: 6 }))).toBe(6)
    expect(decodeCooperativeUserData(assignor.subscriptionUserData(undefined))).toBe(-1)
    expect(decodeCooperativeUserData(null)).toBeUndefined()
    const result = names(
      assignor.assign(
        cluster({ t: 1 }),
        members({
          a: {
            topics: ['t'],
            owned: ['t-0'],
            userData: assignor.subscriptionUserData({ partitions: [], generationId: 1 }),
          },
          b: {
            topics: ['t'],
            owned: ['t-0'],
            userData: assignor.subscriptionUserData({ partitions: [], generationId: 5 }),
          },
        }),
      ),
    )
    expect(result).toEqual({ a: [], b: ['t-0'] })
  })
})
