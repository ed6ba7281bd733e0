import { InvalidMessageError } from '@kafkit/protocol'
import { expect } from 'vitest'
import type { AdminRouter } from '../../src/admin-router.js'
import { type SentRequest, scriptedRouter } from './scripted-router.js'

/**
 * A scripted router whose cluster also finds group and transaction
 * coordinators (always `coordinator`) and lists `brokers`, for calls that go
 * to coordinators or to every broker.
 */
export function coordinatorRouter(
  answer: (request: SentRequest) => unknown,
  { version, coordinator = 1, brokers = [1] }: { version?: number; coordinator?: number; brokers?: number[] } = {},
): { router: AdminRouter; sent: SentRequest[] } {
  const scripted = scriptedRouter(answer, version === undefined ? {} : { version })
  const cluster = scripted.router.client.cluster as unknown as Record<string, unknown>
  cluster.findCoordinator = async () => coordinator
  cluster.invalidateCoordinator = () => {}
  cluster.metadata = { ...(cluster.metadata as object), brokers: brokers.map((nodeId) => ({ nodeId })) }
  return scripted
}

/** Asserts that `call` rejects with InvalidMessageError whose message matches. */
export async function expectInvalidArgument(call: () => Promise<unknown>, message: RegExp): Promise<void> {
  const error = await call().then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(InvalidMessageError)
  expect((error as Error).message).toMatch(message)
}
