/**
 * Keyed timers of the group coordinator, like the coordinator runtime's timer
 * in Kafka: scheduling a key again replaces its pending timer, so a heartbeat
 * pushes its member's expiry back. Timers are unref'd, so a forgotten cluster
 * never keeps the process alive, and `stop()` cancels them all for good.
 */
export class GroupTimers {
  private readonly timers = new Map<string, NodeJS.Timeout>()
  private stopped = false

  schedule(key: string, delayMs: number, task: () => void): void {
    this.cancel(key)
    if (this.stopped) return
    const timer = setTimeout(() => {
      this.timers.delete(key)
      task()
    }, delayMs)
    timer.unref()
    this.timers.set(key, timer)
  }

  cancel(key: string): void {
    const timer = this.timers.get(key)
    if (timer === undefined) return
    clearTimeout(timer)
    this.timers.delete(key)
  }

  /** Cancels every timer; later schedules are ignored (the cluster is shutting down). */
  stop(): void {
    this.stopped = true
    for (const timer of this.timers.values()) clearTimeout(timer)
    this.timers.clear()
  }

  get pending(): number {
    return this.timers.size
  }
}

export const joinKey = (groupId: string) => `join/${groupId}`
export const syncKey = (groupId: string) => `sync/${groupId}`
export const heartbeatKey = (groupId: string, memberId: string) => `heartbeat/${groupId}/${memberId}`
