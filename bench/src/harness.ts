/**
 * A deliberately small timing harness. Each case of a group is warmed up (which
 * also calibrates how many iterations fill a round), then the group runs
 * several rounds with the cases interleaved (A B C, A B C, ...), so slow drift
 * of the machine (frequency, noisy neighbours) spreads over every client alike;
 * the median round is reported.
 *
 * Every operation is awaited before the next starts (no overlap), so an
 * asynchronous codec that offloads to libuv's thread pool is timed end to end;
 * `process.cpuUsage()` counts every thread of the process, so that offloaded
 * work still shows in the CPU column.
 */
import { performance } from 'node:perf_hooks'

export interface MeasureOptions {
  /** Time each case runs untimed first, so the JIT and caches settle. */
  warmupMs: number
  /** Target duration of one timed round of one case. */
  roundMs: number
  rounds: number
}

export interface Measurement {
  /** Median over the rounds. */
  opsPerSecond: number
  /** (fastest round - slowest round) / median, in percent: how far to trust the median. */
  spreadPercent: number
  /** User + system CPU of the whole process during this case's rounds, per operation. */
  cpuMicrosPerOp: number
  iterations: number
}

export type Operation = () => unknown

/** Results land here so the optimiser cannot drop an operation whose result is unused. */
export const sink: { last: unknown } = { last: undefined }

const gc = (globalThis as { gc?: () => void }).gc

function isPromise(value: unknown): value is Promise<unknown> {
  return typeof (value as { then?: unknown } | null)?.then === 'function'
}

interface Calibrated {
  operation: Operation
  asynchronous: boolean
  iterations: number
  rates: number[]
  cpuMicros: number
}

async function runFor(operation: Operation, iterations: number, asynchronous: boolean): Promise<void> {
  if (asynchronous) {
    for (let i = 0; i < iterations; i++) sink.last = await operation()
  } else {
    for (let i = 0; i < iterations; i++) sink.last = operation()
  }
}

async function calibrate(operation: Operation, options: MeasureOptions): Promise<Calibrated> {
  const first = operation()
  const asynchronous = isPromise(first)
  sink.last = asynchronous ? await first : first
  let count = 0
  const start = performance.now()
  while (performance.now() - start < options.warmupMs) {
    await runFor(operation, 1, asynchronous)
    count++
  }
  const perOpMs = (performance.now() - start) / Math.max(1, count)
  return {
    operation,
    asynchronous,
    iterations: Math.max(1, Math.round(options.roundMs / perOpMs)),
    rates: [],
    cpuMicros: 0,
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = sorted.length >> 1
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2
}

/** Measures every operation of a group, interleaving their rounds. */
export async function measureGroup(operations: Operation[], options: MeasureOptions): Promise<Measurement[]> {
  const cases: Calibrated[] = []
  for (const operation of operations) cases.push(await calibrate(operation, options))
  for (let round = 0; round < options.rounds; round++) {
    for (const c of cases) {
      // Garbage left by the previous case is collected outside the timed region;
      // what this operation allocates is still collected (and paid for) inside it.
      gc?.()
      const cpuBefore = process.cpuUsage()
      const start = performance.now()
      await runFor(c.operation, c.iterations, c.asynchronous)
      const elapsedMs = performance.now() - start
      const cpu = process.cpuUsage(cpuBefore)
      c.cpuMicros += cpu.user + cpu.system
      c.rates.push((c.iterations * 1000) / elapsedMs)
    }
  }
  return cases.map((c) => {
    const opsPerSecond = median(c.rates)
    return {
      opsPerSecond,
      spreadPercent: ((Math.max(...c.rates) - Math.min(...c.rates)) / opsPerSecond) * 100,
      cpuMicrosPerOp: c.cpuMicros / (c.iterations * options.rounds),
      iterations: c.iterations * options.rounds,
    }
  })
}
