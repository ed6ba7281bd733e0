import type { JoinGroupResponse, SyncGroupResponse } from '@kafkit/protocol'

/** A protocol a member supports, with its (opaque) metadata, in the member's order of preference. */
export interface MemberProtocol {
  name: string
  metadata: Buffer
}

export const EMPTY_ASSIGNMENT: Buffer = Buffer.alloc(0)

/**
 * One member of a classic group. Its parked JoinGroup and SyncGroup are kept
 * as callbacks that answer them: the coordinator answers when the rebalance
 * moves on, whichever request or timer makes it move.
 */
export class GroupMember {
  assignment: Buffer = EMPTY_ASSIGNMENT
  /** Set while the member waits in JoinGroup for the rebalance to complete. */
  awaitingJoin: ((response: JoinGroupResponse) => void) | undefined
  /** Set while the member waits in SyncGroup for the leader's assignment. */
  awaitingSync: ((response: SyncGroupResponse) => void) | undefined
  /** Joined during the current rebalance: it has no session yet, so only the new-member join timeout applies. */
  isNew = false

  constructor(
    readonly memberId: string,
    readonly groupInstanceId: string | null,
    readonly clientId: string,
    readonly clientHost: string,
    public rebalanceTimeoutMs: number,
    public sessionTimeoutMs: number,
    readonly protocolType: string,
    public protocols: MemberProtocol[],
  ) {}

  get isStatic(): boolean {
    return this.groupInstanceId !== null
  }

  /**
   * Whether the member may outlive its session timer: a member waiting in
   * JoinGroup or SyncGroup cannot heartbeat on that connection, so waiting
   * counts as alive, except for new members (which time out to drop clients
   * that went away while parked).
   */
  hasSatisfiedHeartbeat(): boolean {
    if (this.isNew) return false
    return this.awaitingJoin !== undefined || this.awaitingSync !== undefined
  }

  /** Same protocols with the same metadata in the same order: rejoining with them changes nothing. */
  matches(protocols: readonly MemberProtocol[]): boolean {
    if (protocols.length !== this.protocols.length) return false
    return protocols.every((p, i) => {
      const mine = this.protocols[i]
      return mine !== undefined && p.name === mine.name && p.metadata.equals(mine.metadata)
    })
  }

  metadataFor(protocolName: string): Buffer {
    return this.protocols.find((p) => p.name === protocolName)?.metadata ?? EMPTY_ASSIGNMENT
  }

  /** The member's most preferred protocol among those every member supports. */
  vote(candidates: ReadonlySet<string>): string | undefined {
    return this.protocols.find((p) => candidates.has(p.name))?.name
  }

  completeJoin(response: JoinGroupResponse): boolean {
    const respond = this.awaitingJoin
    if (respond === undefined) return false
    this.awaitingJoin = undefined
    respond(response)
    return true
  }

  completeSync(response: SyncGroupResponse): boolean {
    const respond = this.awaitingSync
    if (respond === undefined) return false
    this.awaitingSync = undefined
    respond(response)
    return true
  }
}

/** Protocols from a JoinGroup request, copied out of the request frame they point into. */
export function memberProtocols(protocols: readonly { name: string; metadata: Buffer }[]): MemberProtocol[] {
  return protocols.map((p) => ({ name: p.name, metadata: Buffer.from(p.metadata) }))
}
