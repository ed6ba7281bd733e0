import { BrokerError, DeadlineExceededError } from '@kafkit/client'
import { ApiError, KafkaError } from '@kafkit/protocol'

export const MEMBER_ID_REQUIRED = 79
export const REBALANCE_IN_PROGRESS = 27
export const ILLEGAL_GENERATION = 22
export const UNKNOWN_MEMBER_ID = 25
export const FENCED_INSTANCE_ID = 82
const NOT_COORDINATOR = 15
const COORDINATOR_NOT_AVAILABLE = 16

/**
 * What a member does after a group error, as Java's AbstractCoordinator decides:
 * - `rejoin`: join again at once (REBALANCE_IN_PROGRESS);
 * - `resetGeneration` / `resetMember`: forget the generation (and the member id), its partitions are lost, join again at once;
 * - `findCoordinator`: the coordinator moved or the connection failed: look it up again, retry after a backoff;
 * - `retry`: retry after a backoff;
 * - `fatal`: stop (fenced, not authorized, inconsistent protocols...): the application must act.
 */
export type GroupErrorAction = 'rejoin' | 'resetGeneration' | 'resetMember' | 'findCoordinator' | 'retry' | 'fatal'

export function actionFor(error: unknown): GroupErrorAction {
  if (error instanceof ApiError) {
    switch (error.code) {
      case REBALANCE_IN_PROGRESS:
        return 'rejoin'
      case ILLEGAL_GENERATION:
        return 'resetGeneration'
      case UNKNOWN_MEMBER_ID:
        return 'resetMember'
      case NOT_COORDINATOR:
      case COORDINATOR_NOT_AVAILABLE:
        return 'findCoordinator'
    }
    return error.retriable ? 'retry' : 'fatal'
  }
  // The coordinator lookup ran out of time: keep looking, as Java retries FindCoordinator for as long as it takes.
  if (error instanceof DeadlineExceededError) return 'findCoordinator'
  // A connection that failed or timed out may be a coordinator that went away.
  if (error instanceof BrokerError && error.retriable) return 'findCoordinator'
  if (error instanceof KafkaError && error.retriable) return 'retry'
  return 'fatal'
}
