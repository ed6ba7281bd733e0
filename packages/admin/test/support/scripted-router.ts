import type { KafkaClient } from '@kafkit/client'
import { resolveAdminOptions } from '../../src/admin-options.js'
import { AdminRouter } from '../../src/admin-router.js'

/** One request the scripted broker received: the API, the broker it was sent to (-1: any) and the body. */
export interface SentRequest {
  api: string
  broker: number
  body: unknown
}

/**
 * An AdminRouter over a fake client whose brokers answer from `answer`
 * (called with each request, the body built for `version`), for unit tests of
 * how operations build requests and read answers. The controller is node 1.
 */
export function scriptedRouter(
  answer: (request: SentRequest) => unknown,
  { version = 100, deadlineMs = 2000 }: { version?: number; deadlineMs?: number } = {},
): { router: AdminRouter; sent: SentRequest[] } {
  const sent: SentRequest[] = []
  const send = async (broker: number, api: string, body: unknown) => {
    const built = typeof body === 'function' ? (body as (v: number) => unknown)(version) : body
    const request = { api, broker, body: built }
    sent.push(request)
    return answer(request)
  }
  const cluster = {
    metadata: { controllerId: 1, partition: () => undefined, topic: () => undefined, brokers: [], forget: () => {} },
    refreshMetadata: async () => {},
    request: (broker: number, api: string, body: unknown) => send(broker, api, body),
    requestAny: (api: string, body: unknown) => send(-1, api, body),
  }
  const client = { cluster } as unknown as KafkaClient
  const options = resolveAdminOptions({ defaultApiTimeoutMs: deadlineMs, retryBackoffMs: 1, retryBackoffMaxMs: 5 })
  return { router: new AdminRouter(client, options), sent }
}

/** Throws when called: for calls that must fail before any request. */
export function unusedRouter(): AdminRouter {
  return scriptedRouter(() => {
    throw new Error('no request expected')
  }).router
}
