import { setTimeout as delay } from 'node:timers/promises'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { waitFor } from '../../../test/integration/support/wait-for.js'
import { type ConsumerFixture, startConsumerFixture } from './consumer-support.js'

let fx: ConsumerFixture
beforeAll(async () => {
  fx = await startConsumerFixture()
})
afterAll(() => fx?.stop())

/** The offset of partition 0 in an OffsetCommit request. */
function offsetOf(request: { topics: { partitions: { committedOffset: bigint }[] }[] }): bigint {
  return request.topics[0]!.partitions[0]!.committedOffset
}

describe('commit order (committed offsets never go backwards)', () => {
  it('an auto commit retried after a coordinator error is not overtaken by a newer one', async () => {
    const topic = await fx.topic('commit-order', 1)
    const groupId = `group-${topic}`
    const tp = { topic, partition: 0 }
    // Offsets of the OffsetCommit requests the coordinator accepted, in the order it handled them.
    const accepted: bigint[] = []
    let failedFirst = false
    const removeFail = fx.cluster.control.intercept('OffsetCommit', { match: () => !failedFirst }, async () => {
      failedFirst = true
      // The coordinator moves while the first commit is in flight (a broker restarting): it fails late.
      await delay(300)
      return { errorCode: 'NOT_COORDINATOR' }
    })
    const removeObserve = fx.cluster.control.intercept('OffsetCommit', {}, (request) => {
      accepted.push(offsetOf(request))
    })
    try {
      const consumer = fx.consumer({
        groupId,
        autoOffsetReset: 'earliest',
        autoCommitIntervalMs: 20,
        maxPollRecords: 1,
      })
      consumer.assign([tp])
      await fx.produce(
        topic,
        Array.from({ length: 40 }, (_, i) => ({ partition: 0, value: `v${i}` })),
      )
      // Poll one record at a time: every poll after the interval starts an auto commit of a higher offset.
      let polled = 0
      await waitFor(
        'the last offset committed after the failed commit',
        async () => {
          for (const batch of await consumer.poll({ timeoutMs: 20 })) polled += batch.records.length
          // How many commits go out depends on the machine's speed; what matters is their order.
          return polled >= 40 && accepted.includes(40n) ? true : undefined
        },
        { timeoutMs: 20_000, intervalMs: 10 },
      )
      await consumer.close()
      expect(failedFirst).toBe(true)
      expect(accepted.length).toBeGreaterThanOrEqual(2) // the failed commit's retry, then at least the last one
      const backwards = accepted.filter((offset, i) => i > 0 && offset < accepted[i - 1]!)
      expect({ accepted, backwards }).toEqual({ accepted, backwards: [] })
      expect(accepted.at(-1)).toBe(40n)
    } finally {
      removeFail()
      removeObserve()
    }
  })
})
