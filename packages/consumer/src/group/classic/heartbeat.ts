import type { Cluster } from '@kafkit/client'
import { errorFromCode } from '@kafkit/protocol'
import type { ClassicMembershipOptions } from './classic-membership-options.js'
import { actionFor } from './group-errors.js'

/** What the heartbeat needs from the membership and tells it. */
export interface HeartbeatHooks {
  identity(): { generationId: number; memberId: string }
  /** REBALANCE_IN_PROGRESS only matters once SyncGroup is done (Java ignores it while completing a rebalance). */
  isStable(): boolean
  onRejoinNeeded(reason: string): void
  onGenerationLost(reason: string, resetMemberId: boolean): void
  onFatal(error: Error): void
  /** After each successful heartbeat: a moment to look at the metadata. */
  onBeat(): void
}

/**
 * The heartbeat of a joined member (Java's HeartbeatThread): one Heartbeat every
 * heartbeatIntervalMs on its own timer, so record processing never delays it.
 * Without a successful answer for sessionTimeoutMs the coordinator is looked up
 * again, as Java marks it unknown.
 */
export class Heartbeat {
  private timer: NodeJS.Timeout | undefined
  private running = false
  private inFlight: Promise<void> | undefined
  private lastSuccessAt = 0

  constructor(
    private readonly cluster: Cluster,
    private readonly options: ClassicMembershipOptions,
    private readonly hooks: HeartbeatHooks,
  ) {}

  start(): void {
    if (this.running) return
    this.running = true
    this.lastSuccessAt = performance.now()
    this.schedule(this.options.heartbeatIntervalMs)
  }

  stop(): void {
    this.running = false
    clearTimeout(this.timer)
    this.timer = undefined
  }

  /** Resolves once no heartbeat is in flight. */
  async idle(): Promise<void> {
    await this.inFlight
  }

  private schedule(ms: number): void {
    clearTimeout(this.timer)
    this.timer = setTimeout(() => {
      this.timer = undefined
      this.inFlight = this.beat().finally(() => {
        this.inFlight = undefined
      })
    }, ms)
  }

  private async beat(): Promise<void> {
    if (!this.running) return
    const sent = this.hooks.identity()
    const { groupId } = this.options
    let nextMs = this.options.heartbeatIntervalMs
    try {
      const coordinator = await this.cluster.findCoordinator('group', groupId, {
        deadlineMs: this.options.requestTimeoutMs,
      })
      const response = await this.cluster.request(
        coordinator,
        'Heartbeat',
        {
          groupId,
          generationId: sent.generationId,
          memberId: sent.memberId,
          groupInstanceId: this.options.groupInstanceId,
        },
        { purpose: 'group', timeoutMs: this.options.requestTimeoutMs },
      )
      if (!this.current(sent)) return
      const error = errorFromCode(response.errorCode, { api: 'Heartbeat', entity: groupId })
      if (error === undefined) {
        this.lastSuccessAt = performance.now()
        this.hooks.onBeat()
      } else nextMs = this.handle(error)
    } catch (error) {
      if (!this.current(sent)) return
      nextMs = this.handle(error)
    }
    if (!this.running) return
    if (performance.now() - this.lastSuccessAt > this.options.sessionTimeoutMs) {
      this.options.logger.warn('no heartbeat answer within the session timeout: looking up the coordinator again', {
        groupId,
      })
      this.cluster.invalidateCoordinator('group', groupId)
      this.lastSuccessAt = performance.now()
    }
    this.schedule(nextMs)
  }

  private current(sent: { generationId: number; memberId: string }): boolean {
    const now = this.hooks.identity()
    return this.running && now.generationId === sent.generationId && now.memberId === sent.memberId
  }

  /** Acts on a heartbeat error; returns when to send the next one. */
  private handle(error: unknown): number {
    const message = (error as Error).message
    switch (actionFor(error)) {
      case 'rejoin':
        // The coordinator answered: the session is alive.
        this.lastSuccessAt = performance.now()
        if (this.hooks.isStable()) this.hooks.onRejoinNeeded('the group is rebalancing')
        return this.options.heartbeatIntervalMs
      case 'resetGeneration':
        this.hooks.onGenerationLost(message, false)
        return this.options.heartbeatIntervalMs
      case 'resetMember':
        this.hooks.onGenerationLost(message, true)
        return this.options.heartbeatIntervalMs
      case 'findCoordinator':
        this.options.logger.info('heartbeat: coordinator unavailable, looking it up again', {
          groupId: this.options.groupId,
          error: message,
        })
        this.cluster.invalidateCoordinator('group', this.options.groupId)
        return this.options.retryBackoffMs
      case 'retry':
        return this.options.retryBackoffMs
      case 'fatal':
        this.hooks.onFatal(error as Error)
        return this.options.heartbeatIntervalMs
    }
  }
}
