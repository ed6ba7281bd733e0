/** Renders results as Markdown tables, padded so they also read well on a terminal. */
import type { GroupResult, RunResult } from './results.js'

function significant(value: number): string {
  if (value >= 100) return Math.round(value).toLocaleString('en-US')
  if (value >= 10) return value.toFixed(1)
  return value.toFixed(2)
}

export function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]?.length ?? 0)))
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`
  return [line(header), `| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`, ...rows.map(line)].join('\n')
}

const HEADER = ['benchmark', 'client', 'ops/s', 'MiB/s', 'kafkit ×', 'CPU µs/MiB', '± %', 'bytes']

function groupRows(group: GroupResult): string[][] {
  return group.results.map((r, i) => {
    const title = i === 0 ? group.title : ''
    if (r.skipped !== undefined) return [title, r.client, `skipped: ${r.skipped}`, '', '', '', '', '']
    return [
      title,
      r.client,
      significant(r.opsPerSecond!),
      significant(r.mibPerSecond!),
      i === 0 ? '1 (base)' : r.kafkitRatio!.toFixed(2),
      significant(r.cpuMicrosPerMiB!),
      r.spreadPercent!.toFixed(0),
      r.outputBytes === undefined ? '' : r.outputBytes.toLocaleString('en-US'),
    ]
  })
}

export function groupTable(group: GroupResult): string {
  return table(HEADER, groupRows(group))
}

export function runTable(run: RunResult): string {
  return table(HEADER, run.groups.flatMap(groupRows))
}

export function machineLine(run: RunResult): string {
  const machine = `Node ${run.node} (V8 ${run.v8}), ${run.platform}, ${run.cpus} × ${run.cpuModel}, ${run.memoryGiB} GiB`
  const c = run.contention
  if (c === undefined) return machine
  return `${machine}; during the run other processes used ${c.othersPercent.toFixed(1)}% of the CPUs, steal ${c.stealPercent.toFixed(1)}%`
}
