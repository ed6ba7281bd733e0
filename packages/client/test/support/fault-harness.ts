/**
 * Per-test setup for fault tests: fake brokers, clients and connections that
 * are closed after each test, then checks that the test left nothing behind:
 * - every connection the clients opened is closed by the clients themselves
 *   (the fakes see none open before they are closed), and the fakes met no
 *   request they could not decode or serve;
 * - no more sockets, servers or timers in `process.getActiveResourcesInfo()`
 *   than before the test, and no timer created by packages/ code still pending;
 * - no unhandled rejection.
 * Closes finish asynchronously, so these are polled up to a deadline.
 */
import { afterAll, afterEach, beforeAll, beforeEach, expect } from 'vitest'
import { type ClientOptions, KafkaClient } from '../../src/client.js'
import { BrokerConnection, type ConnectionConfig } from '../../src/connection.js'
import { Instrumentation } from '../../src/instrumentation.js'
import { silentLogger } from '../../src/logger.js'
import { NETWORK_DEFAULTS } from '../../src/options.js'
import { eventually } from './eventually.js'
import { FakeBroker, type FakeBrokerOptions } from './fake-broker.js'
import { TimerTracker } from './timer-tracker.js'

const TRACKED = ['TCPSocketWrap', 'TCPServerWrap', 'Timeout'] as const
type ResourceCounts = Record<(typeof TRACKED)[number], number>

/** Sockets, servers and referenced timers alive in this process. */
export function resourceCounts(): ResourceCounts {
  const counts: ResourceCounts = { TCPSocketWrap: 0, TCPServerWrap: 0, Timeout: 0 }
  for (const resource of process.getActiveResourcesInfo()) {
    if (resource in counts) counts[resource as keyof ResourceCounts]++
  }
  return counts
}

export type ConnectionOverrides = Partial<Omit<ConnectionConfig, 'host' | 'port'>>

export interface FaultHarness {
  /** Starts a fake broker that is closed after the test. */
  broker(options?: FakeBrokerOptions): Promise<FakeBroker>
  /** A KafkaClient bootstrapping from `fake`, closed after the test. */
  client(fake: FakeBroker, options?: Partial<ClientOptions>): KafkaClient
  /** A bare BrokerConnection to `fake`, closed after the test. */
  connection(fake: FakeBroker, overrides?: ConnectionOverrides): BrokerConnection
}

const SETTLE_MS = 3000

export function useFaultHarness(): FaultHarness {
  const unhandledRejections: unknown[] = []
  const onUnhandledRejection = (reason: unknown) => unhandledRejections.push(reason)
  const timers = new TimerTracker()
  let closers: (() => Promise<void>)[] = []
  let fakes: FakeBroker[] = []
  let before: ResourceCounts

  beforeAll(() => {
    process.on('unhandledRejection', onUnhandledRejection)
  })
  afterAll(() => {
    process.off('unhandledRejection', onUnhandledRejection)
  })
  beforeEach(() => {
    unhandledRejections.length = 0
    before = resourceCounts()
    timers.start()
  })
  afterEach(async () => {
    try {
      for (const close of closers) await close()
      const stillOpen = () => fakes.filter((fake) => fake.openConnections > 0).map((fake) => fake.address)
      await eventually('the clients to close their connections', () => stillOpen().length === 0, {
        timeoutMs: SETTLE_MS,
      }).catch(() => {})
      expect(stillOpen(), 'fake brokers with connections the closed clients left open').toEqual([])
      // Bytes the fake could not decode, or a request it does not serve, mean the client or the test is wrong.
      expect(
        fakes.flatMap((fake) => fake.errors.map((error) => error.message)),
        'fake broker errors',
      ).toEqual([])
    } finally {
      for (const fake of fakes) await fake.close()
      closers = []
      fakes = []
    }
    const leaked = () => {
      const now = resourceCounts()
      return [
        ...TRACKED.filter((type) => now[type] > before[type]).map((type) => `${type}: ${before[type]} -> ${now[type]}`),
        ...timers.leftovers.map((origin) => `pending timer created ${origin}`),
      ]
    }
    await eventually('sockets, servers and timers of the test to go away', () => leaked().length === 0, {
      timeoutMs: SETTLE_MS,
    }).catch(() => {})
    timers.stop()
    expect(leaked(), 'resources left behind by the test').toEqual([])
    // An unhandled rejection is reported after the microtasks of its turn: give it one more turn.
    await new Promise((resolve) => setImmediate(resolve))
    expect(unhandledRejections, 'unhandled rejections').toEqual([])
  })

  return {
    async broker(options) {
      const fake = await FakeBroker.start(options)
      fakes.push(fake)
      return fake
    },
    client(fake, options = {}) {
      const client = new KafkaClient({ clientId: 'fault-test', brokers: [fake.address], ...options })
      closers.push(() => client.close(0))
      return client
    },
    connection(fake, overrides = {}) {
      const connection = new BrokerConnection({
        ...NETWORK_DEFAULTS,
        clientId: 'fault-test',
        logger: silentLogger,
        instrumentation: new Instrumentation(),
        softwareName: 'kafkit',
        softwareVersion: '0.0.0-test',
        ...overrides,
        host: fake.host,
        port: fake.port,
      })
      closers.push(() => connection.close(0))
      return connection
    },
  }
}
