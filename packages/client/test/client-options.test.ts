import { InvalidMessageError } from '@kafkit/protocol'
import { describe, expect, it } from 'vitest'
import { KafkaClient } from '../src/client.js'
import { ConnectionError, DeadlineExceededError } from '../src/errors.js'
import { backoffMs, withRetries } from '../src/retry.js'

describe('client options', () => {
  it('fail at the constructor, naming the option to change', () => {
    expect(() => new KafkaClient({ brokers: [] })).toThrow(/brokers must list at least one/)
    expect(() => new KafkaClient({ brokers: ['localhost'] })).toThrow(/use host:port/)
    expect(() => new KafkaClient({ brokers: ['a:1'], requestTimeoutMs: -5 })).toThrow(
      /requestTimeoutMs must be a positive integer/,
    )
    expect(() => new KafkaClient({ brokers: ['a:1'], maxInFlightRequests: 1.5 })).toThrow(InvalidMessageError)
    expect(
      () => new KafkaClient({ brokers: ['a:1'], sasl: { mechanism: 'scram-sha-256', username: '', password: 'x' } }),
    ).toThrow(InvalidMessageError)
  })

  it('accept zero backoffs and close idempotently', async () => {
    const client = new KafkaClient({ brokers: ['127.0.0.1:1'], retryBackoffMs: 0 })
    await Promise.all([client.close(), client.close()])
  })
})

describe('retries', () => {
  it('back off exponentially with jitter, capped', () => {
    const options = { retryBackoffMs: 100, retryBackoffMaxMs: 1000 }
    for (let i = 0; i < 50; i++) {
      expect(backoffMs(0, options)).toBeGreaterThanOrEqual(80)
      expect(backoffMs(0, options)).toBeLessThanOrEqual(120)
      expect(backoffMs(2, options)).toBeGreaterThanOrEqual(320)
      expect(backoffMs(10, options)).toBeLessThanOrEqual(1000)
    }
  })

  it('retry retriable errors only, until the deadline', async () => {
    let attempts = 0
    await expect(
      withRetries(
        async () => {
          attempts++
          throw new ConnectionError('down')
        },
        { retryBackoffMs: 1, retryBackoffMaxMs: 5, deadlineMs: 100 },
      ),
    ).rejects.toBeInstanceOf(DeadlineExceededError)
    expect(attempts).toBeGreaterThan(1)

    let once = 0
    await expect(
      withRetries(
        async () => {
          once++
          throw new InvalidMessageError('bad')
        },
        { retryBackoffMs: 1, retryBackoffMaxMs: 5, deadlineMs: 1000 },
      ),
    ).rejects.toBeInstanceOf(InvalidMessageError)
    expect(once).toBe(1)
  })
})
