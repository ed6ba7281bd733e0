import type { Operation } from './harness.js'
import type { Identity } from './peers/peer.js'

/** One client's way of doing a group's work, or why it cannot. */
export interface BenchmarkCase {
  client: string
  family: string
  variant: boolean
  operation?: Operation
  skipped?: string
  /** Size of what the operation produces (encoded batch, request frame), when that is worth showing. */
  outputBytes?: number
}

/**
 * Clients doing the same work on the same input. The first case is kafkit's
 * default path, the baseline every ratio is taken against.
 */
export interface BenchmarkGroup {
  id: string
  title: string
  /** User bytes (keys and values, or the CRC'd bytes) one operation handles: the MiB of MiB/s. */
  payloadBytes: number
  cases: BenchmarkCase[]
}

/** A case's identity fields, from the peer, CRC implementation or skipped client it measures. */
export function caseOf(who: Identity, name = who.name): Pick<BenchmarkCase, 'client' | 'family' | 'variant'> {
  return { client: name, family: who.family, variant: who.variant === true }
}

export const MIB = 1024 * 1024
