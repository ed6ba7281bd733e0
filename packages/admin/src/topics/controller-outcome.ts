import { ApiError, errorFromCode, type KafkaError } from '@kafkit/protocol'
import type { AdminRouter } from '../admin-router.js'
import type { EntryOutcome } from '../entry-outcomes.js'

const NOT_CONTROLLER = 41
const THROTTLING_QUOTA_EXCEEDED = 89

/**
 * One topic's answer to a change the controller makes (CreateTopics,
 * DeleteTopics, CreatePartitions). As in Java's admin client, only
 * NOT_CONTROLLER (the controller moved) and THROTTLING_QUOTA_EXCEEDED are
 * tried again: re-sending after a timeout could act twice.
 */
export function controllerOutcome<R>(
  api: string,
  entity: string,
  errorCode: number,
  errorMessage: string | null,
  result: () => R,
): EntryOutcome<R> {
  const error = errorFromCode(errorCode, { api, entity, detail: errorMessage || undefined })
  if (!error) return { result: result() }
  return { error, retry: errorCode === NOT_CONTROLLER || errorCode === THROTTLING_QUOTA_EXCEEDED }
}

/** After NOT_CONTROLLER, learns where the controller went before trying again. */
export async function refreshController(router: AdminRouter, errors: readonly KafkaError[]): Promise<void> {
  if (errors.some((error) => error instanceof ApiError && error.code === NOT_CONTROLLER)) {
    await router.client.cluster.refreshMetadata({ topics: [] }).catch(() => {})
  }
}
