import { createHook } from 'node:async_hooks'

/**
 * Timers created by the code under test (anything under packages/, not the
 * test runner) that are still pending, referenced or not. The runner's own
 * timers come and go during a test, so a count of active timers alone can
 * hide a leak behind one of them finishing; this names the leak instead.
 */
export class TimerTracker {
  private readonly pending = new Map<number, string>()
  private readonly hook = createHook({
    init: (asyncId, type) => {
      if (type !== 'Timeout') return
      const limit = Error.stackTraceLimit
      Error.stackTraceLimit = 30
      const stack = new Error().stack ?? ''
      Error.stackTraceLimit = limit
      const origin = stack
        .split('\n')
        .find(
          (line) => line.includes('/packages/') && !line.includes('node_modules') && !line.includes('/timer-tracker.'),
        )
      // The polling helpers' own timers are not under test.
      if (origin && !origin.includes('/test/support/eventually.')) this.pending.set(asyncId, origin.trim())
    },
    destroy: (asyncId) => {
      this.pending.delete(asyncId)
    },
  })

  start(): void {
    this.pending.clear()
    this.hook.enable()
  }

  stop(): void {
    this.hook.disable()
  }

  /** Where each timer still pending was created. */
  get leftovers(): string[] {
    return [...this.pending.values()]
  }
}
