/** What the membership does about a ConsumerGroupHeartbeat error, as Java's ConsumerHeartbeatRequestManager. */
export type HeartbeatErrorAction =
  /** Find the coordinator again, then retry. */
  | 'coordinator'
  /** Retry after a backoff with a full request. */
  | 'retry'
  /** The member lost its partitions (fenced or forgotten): onLost, rejoin with epoch 0. */
  | 'fenced'
  /** Nothing this member can do: fail whenStable() and stop. */
  | 'fatal'

const COORDINATOR_NOT_AVAILABLE = 15
const NOT_COORDINATOR = 16
const COORDINATOR_LOAD_IN_PROGRESS = 14
const UNKNOWN_MEMBER_ID = 25
const FENCED_MEMBER_EPOCH = 110

export function heartbeatErrorAction(code: number): HeartbeatErrorAction {
  switch (code) {
    case NOT_COORDINATOR:
    case COORDINATOR_NOT_AVAILABLE:
      return 'coordinator'
    case COORDINATOR_LOAD_IN_PROGRESS:
      return 'retry'
    case UNKNOWN_MEMBER_ID:
    case FENCED_MEMBER_EPOCH:
      return 'fenced'
    default:
      // UNRELEASED_INSTANCE_ID, FENCED_INSTANCE_ID, GROUP_MAX_SIZE_REACHED, UNSUPPORTED_ASSIGNOR,
      // INVALID_REQUEST, INVALID_REGULAR_EXPRESSION, GROUP_ID_NOT_FOUND (a classic group),
      // authorization and version errors: Java fails the consumer with them.
      return 'fatal'
  }
}
