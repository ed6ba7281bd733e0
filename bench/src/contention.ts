/**
 * How much CPU other processes (and the hypervisor, as steal time) took while
 * the benchmarks ran. A benchmark cannot stop a neighbour, but it can say one
 * was there: numbers from a run where others used a good share of the CPUs
 * are noisy and should not be quoted. Reads Linux's /proc/stat; elsewhere it
 * reports nothing.
 */
import { readFileSync } from 'node:fs'
import { cpus } from 'node:os'
import { performance } from 'node:perf_hooks'

/** /proc/stat counts in USER_HZ ticks, 100 per second on every mainstream Linux build. */
const MICROS_PER_TICK = 10_000

interface Snapshot {
  /** CPU time of the whole machine spent busy (not idle, not waiting for I/O), in µs. */
  busy: number
  steal: number
  own: number
  at: number
}

export interface Contention {
  /** Share of all CPUs' time that other processes used during the run, in percent. */
  othersPercent: number
  /** Share of all CPUs' time the hypervisor gave to other guests, in percent. */
  stealPercent: number
}

function snapshot(): Snapshot | undefined {
  try {
    const fields = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!.trim().split(/\s+/).slice(1).map(Number)
    const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = fields
    const usage = process.cpuUsage()
    return {
      busy: (user + nice + system + irq + softirq) * MICROS_PER_TICK,
      steal: steal * MICROS_PER_TICK,
      own: usage.user + usage.system,
      at: performance.now(),
    }
  } catch {
    return undefined
  }
}

/** Starts watching; call the returned function at the end of the run. */
export function watchContention(): () => Contention | undefined {
  const start = snapshot()
  return () => {
    const end = snapshot()
    if (start === undefined || end === undefined) return undefined
    const capacity = (end.at - start.at) * 1000 * cpus().length
    const others = end.busy - start.busy - (end.own - start.own)
    return {
      othersPercent: Math.max(0, (others / capacity) * 100),
      stealPercent: ((end.steal - start.steal) / capacity) * 100,
    }
  }
}
