import { describe, expect, it } from 'vitest'
import type { TopicIdPartitions } from '../src/embedded/state/groups/consumer-group-member.js'
import { rangeAssignor, uniformAssignor } from '../src/embedded/state/groups/server-assignors.js'

const members = (ids: string[], topics: string[], previous: Record<string, TopicIdPartitions> = {}) =>
  ids.map((memberId) => ({ memberId, subscribedTopicIds: new Set(topics), previous: previous[memberId] ?? new Map() }))

const count = (a: TopicIdPartitions | undefined) => [...(a ?? new Map()).values()].reduce((n, s) => n + s.size, 0)

describe('server-side assignors', () => {
  it('uniform balances 12 partitions over 5 members (2 or 3 each), each partition once', () => {
    const result = uniformAssignor({ members: members(['a', 'b', 'c', 'd', 'e'], ['t']), topics: new Map([['t', 12]]) })
    const all = [...result.values()].flatMap((a) => [...(a.get('t') ?? [])])
    expect(all.sort((x, y) => x - y)).toEqual([...Array(12).keys()])
    for (const assignment of result.values()) expect([2, 3]).toContain(count(assignment))
  })

  it('uniform is sticky: a newcomer takes partitions only from members above their share', () => {
    const previous = {
      a: new Map([['t', new Set([0, 1, 2, 3, 4, 5])]]),
      b: new Map([['t', new Set([6, 7, 8, 9, 10, 11])]]),
    }
    const result = uniformAssignor({ members: members(['a', 'b', 'c'], ['t'], previous), topics: new Map([['t', 12]]) })
    for (const id of ['a', 'b'] as const) {
      const kept = [...(result.get(id)?.get('t') ?? [])]
      expect(kept).toHaveLength(4)
      expect(kept.every((p) => previous[id].get('t')?.has(p))).toBe(true)
    }
    expect(count(result.get('c'))).toBe(4)
  })

  it('uniform gives a topic only to its subscribers (different subscriptions)', () => {
    const input = {
      members: [
        { memberId: 'a', subscribedTopicIds: new Set(['t1']), previous: new Map() },
        { memberId: 'b', subscribedTopicIds: new Set(['t1', 't2']), previous: new Map() },
      ],
      topics: new Map([
        ['t1', 4],
        ['t2', 2],
      ]),
    }
    const result = uniformAssignor(input)
    expect(result.get('a')?.has('t2')).toBe(false)
    expect(count(result.get('a'))).toBe(3)
    expect(count(result.get('b'))).toBe(3)
  })

  it('range gives contiguous ranges by member id, the first ones one more', () => {
    const result = rangeAssignor({ members: members(['m2', 'm1', 'm3'], ['t']), topics: new Map([['t', 7]]) })
    expect([...(result.get('m1')?.get('t') ?? [])]).toEqual([0, 1, 2])
    expect([...(result.get('m2')?.get('t') ?? [])]).toEqual([3, 4])
    expect([...(result.get('m3')?.get('t') ?? [])]).toEqual([5, 6])
  })
})
