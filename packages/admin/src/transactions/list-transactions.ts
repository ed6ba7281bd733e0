import { InvalidMessageError, UnsupportedVersionError } from '@kafkit/protocol'
import { unlessFailures } from '../admin-error.js'
import type { AdminRouter } from '../admin-router.js'
import { describe, requireOptions } from '../arguments.js'
import { entryError, retriableCode } from '../groups/group-errors.js'
import { perBroker } from '../per-entry.js'

export interface ListTransactionsOptions {
  /** Only transactions in these states (Empty, Ongoing, PrepareCommit, PrepareAbort, CompleteCommit, CompleteAbort, PrepareEpochFence, Dead). */
  states?: readonly string[]
  /** Only transactions of these producer ids. */
  producerIds?: readonly bigint[]
  /** Only transactions running longer than this many ms. Needs ListTransactions v1 (Kafka 3.8). */
  durationFilterMs?: number
  /** Only transactional ids this regular expression matches as a whole. Needs ListTransactions v2 (Kafka 4.1). */
  transactionalIdPattern?: string
}

/** A transaction as its coordinator lists it (Java's TransactionListing). */
export interface TransactionListing {
  transactionalId: string
  producerId: bigint
  state: string
  /** The transaction coordinator that listed it. */
  coordinatorId: number
}

/**
 * ListTransactions to every broker (each lists the transactional ids it
 * coordinates), merged, as Java's listTransactions. A broker that keeps
 * failing makes the call reject with AdminPartialFailureError (entry
 * `BROKER:<id>`, e.g. InvalidRegularExpressionError for a bad pattern).
 */
export async function listTransactions(
  router: AdminRouter,
  options: ListTransactionsOptions = {},
): Promise<TransactionListing[]> {
  requireOptions(options, 'listTransactions options', [
    'states',
    'producerIds',
    'durationFilterMs',
    'transactionalIdPattern',
  ])
  const states = options.states ?? []
  if (!Array.isArray(states) || !states.every((s) => typeof s === 'string' && s !== '')) {
    throw new InvalidMessageError(
      `listTransactions states must be an array of state names, e.g. ['Ongoing']; got ${describe(states)}`,
    )
  }
  const producerIds = options.producerIds ?? []
  if (!Array.isArray(producerIds) || !producerIds.every((id) => typeof id === 'bigint' && id >= 0n)) {
    throw new InvalidMessageError(
      `listTransactions producerIds must be an array of bigint ids >= 0n, e.g. [4000n]; got ${describe(producerIds)}`,
    )
  }
  const duration = options.durationFilterMs
  if (duration !== undefined && (!Number.isSafeInteger(duration) || duration < 0)) {
    throw new InvalidMessageError(
      `listTransactions durationFilterMs must be an integer >= 0 (milliseconds); got ${describe(duration)}`,
    )
  }
  const pattern = options.transactionalIdPattern
  if (pattern !== undefined && typeof pattern !== 'string') {
    throw new InvalidMessageError(`listTransactions transactionalIdPattern must be a string; got ${describe(pattern)}`)
  }
  const { succeeded, failures } = await perBroker(router, async (nodeId) => {
    const response = await router.toBroker(
      nodeId,
      'ListTransactions',
      (version) => {
        if (duration !== undefined && version < 1) throw unsupported(nodeId, 'durationFilterMs', 1, version)
        if (pattern !== undefined && pattern !== '' && version < 2) {
          throw unsupported(nodeId, 'transactionalIdPattern', 2, version)
        }
        return {
          stateFilters: [...states],
          producerIdFilters: [...producerIds],
          durationFilter: duration === undefined ? -1n : BigInt(duration),
          transactionalIdPattern: pattern ?? null,
        }
      },
      (r) => retriableCode(r.errorCode),
    )
    const error = entryError(response.errorCode, 'ListTransactions', `BROKER:${nodeId}`)
    if (error) throw error
    return response.transactionStates.map(
      (t): TransactionListing => ({
        transactionalId: t.transactionalId,
        producerId: t.producerId,
        state: t.transactionState,
        coordinatorId: nodeId,
      }),
    )
  })
  const listed = [...succeeded.values()].flat()
  listed.sort((a, b) => (a.transactionalId < b.transactionalId ? -1 : a.transactionalId > b.transactionalId ? 1 : 0))
  return unlessFailures('listTransactions', failures, listed)
}

function unsupported(nodeId: number, option: string, needed: number, version: number): UnsupportedVersionError {
  return new UnsupportedVersionError({
    api: 'ListTransactions',
    broker: String(nodeId),
    detail: `${option} needs ListTransactions v${needed}; broker ${nodeId} speaks v${version}`,
  })
}
