import type { BenchmarkGroup } from './benchmark.js'
import { MIB } from './benchmark.js'
import type { Contention } from './contention.js'
import type { Measurement } from './harness.js'

export interface CaseResult {
  client: string
  family: string
  variant: boolean
  skipped?: string
  opsPerSecond?: number
  mibPerSecond?: number
  /** Baseline (kafkit) ops/s divided by this client's: above 1, kafkit is faster. */
  kafkitRatio?: number
  cpuMicrosPerMiB?: number
  spreadPercent?: number
  outputBytes?: number
}

export interface GroupResult {
  id: string
  title: string
  payloadBytes: number
  results: CaseResult[]
}

export interface RunResult {
  node: string
  v8: string
  platform: string
  cpuModel: string
  cpus: number
  memoryGiB: number
  /** CPU taken by other processes during the measurements (see contention.ts); absent off Linux. */
  contention?: Contention
  date: string
  options: { warmupMs: number; roundMs: number; rounds: number }
  groups: GroupResult[]
}

/** Turns a group's measurements (one per case that ran, in order) into results. */
export function groupResult(group: BenchmarkGroup, measurements: Measurement[]): GroupResult {
  let next = 0
  let baseline: number | undefined
  const results = group.cases.map((c): CaseResult => {
    const who = { client: c.client, family: c.family, variant: c.variant }
    if (c.operation === undefined) return { ...who, skipped: c.skipped ?? 'not run' }
    const m = measurements[next++]!
    baseline ??= m.opsPerSecond
    const mib = group.payloadBytes / MIB
    const result: CaseResult = {
      ...who,
      opsPerSecond: m.opsPerSecond,
      mibPerSecond: m.opsPerSecond * mib,
      kafkitRatio: baseline / m.opsPerSecond,
      cpuMicrosPerMiB: m.cpuMicrosPerOp / mib,
      spreadPercent: m.spreadPercent,
    }
    if (c.outputBytes !== undefined) result.outputBytes = c.outputBytes
    return result
  })
  return { id: group.id, title: group.title, payloadBytes: group.payloadBytes, results }
}
