import type { RequestContext } from '../handler.js'
import { ErrorCode } from '../state/groups/error-codes.js'
import { coordinatorFor } from './10-find-coordinator.js'

/**
 * NOT_COORDINATOR unless this broker coordinates the group: the group state is
 * shared, but clients must still find and use the right broker, as with Kafka.
 */
export function coordinatorError(context: RequestContext, groupId: string): number {
  return coordinatorFor(context.cluster, groupId) === context.broker.nodeId ? ErrorCode.NONE : ErrorCode.NOT_COORDINATOR
}

/**
 * Waits for the coordinator to answer a parked request (JoinGroup, SyncGroup),
 * or for the connection to close, then null: nobody is left to answer.
 */
export function untilAnswered<T>(
  signal: AbortSignal,
  park: (respond: (response: T) => void) => void,
): Promise<T | null> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve(null)
    const onClose = () => resolve(null)
    signal.addEventListener('abort', onClose, { once: true })
    park((response) => {
      signal.removeEventListener('abort', onClose)
      resolve(response)
    })
  })
}

/**
 * The client address DescribeGroups reports, as Kafka formats it. Embedded
 * brokers listen on loopback only, so every client comes from there.
 */
export const CLIENT_HOST = '/127.0.0.1'
