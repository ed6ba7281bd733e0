import { describe, expect, it } from 'vitest'
import { decodeStickyUserData, encodeStickyUserData, StickyAssignor } from '../src/index.js'
import { cluster, members, names, tp } from './support.js'

const userData = (owned: string[], generation: number) => encodeStickyUserData(owned.map(tp), generation)

describe('StickyAssignor', () => {
  const assignor = new StickyAssignor()

  it('balances a fresh group like round-robin', () => {
    const result = names(
      assignor.assign(
        cluster({ t0: 2, t1: 2, t2: 2 }),
        members({
          a: { topics: ['t0', 't1', 't2'] },
          b: { topics: ['t0', 't1', 't2'] },
          c: { topics: ['t0', 't1', 't2'] },
        }),
      ),
    )
    expect(Object.values(result).map((partitions) => partitions.length)).toEqual([2, 2, 2])
    expect(new Set(Object.values(result).flat()).size).toBe(6)
  })

  it('keeps what the remaining members had when one leaves, and spreads only its partitions', () => {
    const topics = ['t0', 't1', 't2', 't3']
    const partitions = cluster({ t0: 2, t1: 2, t2: 2, t3: 2 })
    const c0 = ['t0-0', 't1-1', 't3-0']
    const c2 = ['t1-0', 't2-1']
    const result = names(
      assignor.assign(
        partitions,
        members({ c0: { topics, userData: userData(c0, 1) }, c2: { topics, userData: userData(c2, 1) } }),
      ),
    )
    expect(result.c0).toHaveLength(4)
    expect(result.c2).toHaveLength(4)
    expect(result.c0).toEqual(expect.arrayContaining(c0))
    expect(result.c2).toEqual(expect.arrayContaining(c2))
  })

  it('takes the previous assignment from user data only (an eager member has revoked everything)', () => {
    const result = names(
      assignor.assign(
        cluster({ t: 4 }),
        members({
          b: { topics: ['t'], owned: ['t-0', 't-1'] },
          a: { topics: ['t'], userData: userData(['t-2', 't-3'], 4) },
        }),
      ),
    )
    expect(result).toEqual({ a: ['t-2', 't-3'], b: ['t-0', 't-1'] })
  })

  it('gives a partition claimed by two members to the higher generation', () => {
    const result = names(
      assignor.assign(
        cluster({ t: 2 }),
        members({
          a: { topics: ['t'], userData: userData(['t-0'], 2), generationId: 2 },
          b: { topics: ['t'], userData: userData(['t-0', 't-1'], 3), generationId: 3 },
        }),
      ),
    )
    expect(result.b).toContain('t-0')
  })

  it('assigns nothing to an empty group', () => {
    expect(assignor.assign(cluster({ t: 2 }), []).size).toBe(0)
  })

  it('reads user data V1, V0 (no generation) and ignores what it cannot read', () => {
    expect(decodeStickyUserData(userData(['t-1', 'u-0'], 5))).toEqual({
      partitions: [tp('t-1'), tp('u-0')],
      generation: 5,
    })
    const v0 = userData(['t-1'], 5).subarray(0, -4)
    expect(decodeStickyUserData(v0)).toEqual({ partitions: [tp('t-1')], generation: undefined })
    expect(decodeStickyUserData(Buffer.from('ff', 'hex'))).toEqual({ partitions: [], generation: -1 })
    expect(decodeStickyUserData(null)).toEqual({ partitions: [], generation: undefined })
    expect(assignor.subscriptionUserData(undefined)).toBeNull()
  })

  it('balances members with different subscriptions (general algorithm)', () => {
    const result = names(
      assignor.assign(
        cluster({ t: 3, u: 3 }),
        members({ a: { topics: ['t'] }, b: { topics: ['t', 'u'] }, c: { topics: ['u'] } }),
      ),
    )
    expect(Object.values(result).map((p) => p.length)).toEqual([2, 2, 2])
    expect(result.a?.every((p) => p.startsWith('t-'))).toBe(true)
    expect(result.c?.every((p) => p.startsWith('u-'))).toBe(true)
  })
})
