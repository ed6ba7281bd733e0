import { type ApiError, errorDefinition, errorFromCode, NonEmptyGroupError } from '@kafkit/protocol'

/**
 * The group still has members, so its offsets cannot be reset or altered:
 * the kafka-consumer-groups script refuses the same ("Assignments can only be
 * reset if the group is inactive"), and Kafka itself answers an admin commit
 * to an active group with UNKNOWN_MEMBER_ID. Stop the group's consumers, wait
 * until the group is Empty, and try again. A NonEmptyGroupError, so code that
 * checks `instanceof NonEmptyGroupError` catches it too.
 */
export class ActiveGroupError extends NonEmptyGroupError {
  constructor(
    readonly groupId: string,
    /** The group's state when it was checked (Stable, PreparingRebalance, Reconciling...). */
    readonly groupState: string,
    /** How many members it had then (unknown: -1). */
    readonly memberCount: number,
    api: string,
  ) {
    const members = memberCount < 0 ? 'active members' : `${memberCount} active member${memberCount === 1 ? '' : 's'}`
    super({
      api,
      entity: groupId,
      detail: `group ${groupId} has ${members} (state ${groupState}); stop its consumers and wait until the group is Empty before changing its offsets`,
    })
  }
}

/**
 * For the router's `errorCodeOf`: only retriable codes (NOT_COORDINATOR,
 * COORDINATOR_LOAD_IN_PROGRESS...) are lifted, so they are retried; the
 * caller turns the others into errors carrying the broker's message.
 */
export function retriableCode(code: number): number {
  return code !== 0 && errorDefinition(code)?.retriable === true ? code : 0
}

/** A typed error for a non-zero code, with the broker's message when it sent one. */
export function entryError(code: number, api: string, entity: string, message?: string | null): ApiError | undefined {
  return errorFromCode(code, { api, entity, detail: message ?? undefined })
}
