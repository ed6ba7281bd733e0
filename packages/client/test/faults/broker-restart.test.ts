import { describe, expect, it } from 'vitest'
import { capture, eventually } from '../support/eventually.js'
import { useFaultHarness } from '../support/fault-harness.js'
import { latestOffsetOf } from '../support/requests.js'

const RECONNECT_BACKOFF_MS = 50
const RECONNECT_BACKOFF_MAX_MS = 150
const JITTER = 0.2
/** Timers may fire up to a millisecond early against performance.now(). */
const CLOCK_SLACK_MS = 2

/** The shortest wait the backoff allows before the n-th reconnect attempt after a failed one (n from 0). */
function shortestWaitMs(n: number): number {
  return Math.min(RECONNECT_BACKOFF_MS * 2 ** n, RECONNECT_BACKOFF_MAX_MS) * (1 - JITTER)
}

/**
 * A broker that goes away and comes back on the same port: while it is down
 * the client tries to reconnect with exponential backoff (reconnectBackoffMs
 * doubling up to reconnectBackoffMaxMs, ±20% jitter), not in a tight loop,
 * and a request routed to the partition leader with retries succeeds once the
 * broker is back, within its deadline.
 */
describe('a broker that restarts', () => {
  const harness = useFaultHarness()

  it('reconnects with backoff while the broker is down, then the retried request succeeds', async () => {
    const fake = await harness.broker({ topics: { orders: 1 } })
    const client = harness.client(fake, {
      reconnectBackoffMs: RECONNECT_BACKOFF_MS,
      reconnectBackoffMaxMs: RECONNECT_BACKOFF_MAX_MS,
      retryBackoffMs: 1,
      retryBackoffMaxMs: 5,
    })
    const refused: number[] = []
    client.on('disconnect', ({ reason }) => {
      if (reason.startsWith('cannot connect')) refused.push(performance.now())
    })
    await client.connect()
    const warm = await client.cluster.requestToLeader('orders', 0, 'ListOffsets', latestOffsetOf('orders'))
    expect(warm.topics[0]?.partitions[0]?.offset).toBe(0n)

    await fake.stop()
    const deadlineMs = 20_000
    const started = performance.now()
    const retried = capture(
      client.cluster.requestToLeader('orders', 0, 'ListOffsets', latestOffsetOf('orders'), { deadlineMs }),
    )
    // Enough refused attempts for the backoff to reach its ceiling.
    await eventually('six refused connection attempts', () => refused.length >= 6)
    const connectionsBeforeRestart = fake.connections
    await fake.restart()

    const outcome = await retried
    expect(outcome.status === 'fulfilled' && outcome.value.topics[0]?.partitions[0]?.offset).toBe(0n)
    expect(performance.now() - started).toBeLessThan(deadlineMs)
    expect(fake.connections).toBe(connectionsBeforeRestart + 1)
    expect(fake.received('ListOffsets').at(-1)?.connectionId).toBe(fake.connections)

    const gaps = refused.slice(1).map((at, i) => at - refused[i]!)
    for (const [n, gap] of gaps.entries()) {
      // Never sooner than the backoff allows: no tight loop.
      expect(gap, `wait before attempt ${n + 2}`).toBeGreaterThanOrEqual(shortestWaitMs(n) - CLOCK_SLACK_MS)
    }
    // The ceiling holds: the wait stops doubling at reconnectBackoffMaxMs (uncapped, the fifth wait would be 800 ms ± 20%).
    expect(Math.max(...gaps)).toBeLessThan(RECONNECT_BACKOFF_MAX_MS * (1 + JITTER) + 250)
  })
})
