// 'sticky' (eager): as balanced as 'roundrobin' while moving as few partitions as possible.
// Because an eager rebalance revokes everything first, members report their previous
// assignment and its generation in the user data (Java's StickyAssignor format).
import { AbstractStickyAssignor } from './abstract-sticky-assignor.js'
import { decodeStickyUserData, encodeStickyUserData, type MemberData } from './sticky-user-data.js'
import type { MemberHistory, RebalanceProtocol, Subscription } from './types.js'

export class StickyAssignor extends AbstractStickyAssignor {
  readonly name = 'sticky'
  readonly supportedProtocols: readonly RebalanceProtocol[] = ['EAGER']

  /** Null before the first assignment, as Java sends none until it has one. */
  subscriptionUserData(previous: MemberHistory | undefined): Uint8Array | null {
    if (previous === undefined) return null
    return encodeStickyUserData(previous.partitions, previous.generationId)
  }

  protected memberData(subscription: Subscription): MemberData {
    return decodeStickyUserData(subscription.userData)
  }
}
