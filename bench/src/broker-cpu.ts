/**
 * CPU seconds used so far by the Kafka broker processes of a jar cluster
 * (Linux /proc), to show whether a run was bound by the client or by the
 * broker sharing its CPUs. Undefined where it cannot be read (an external
 * cluster, another OS).
 */
import { readdirSync, readFileSync } from 'node:fs'

/** /proc/<pid>/stat counts in USER_HZ ticks, 100 per second on mainstream Linux builds. */
const TICKS_PER_SECOND = 100

export function brokerPids(clusterDir: string | undefined): number[] {
  if (!clusterDir) return []
  const pids: number[] = []
  for (const entry of safeList('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8')
      if (cmdline.includes('kafka.Kafka') && cmdline.includes(clusterDir)) pids.push(Number(entry))
    } catch {
      // the process ended while we looked
    }
  }
  return pids
}

export function brokerCpuSeconds(pids: number[]): number | undefined {
  if (pids.length === 0) return undefined
  let ticks = 0
  for (const pid of pids) {
    // Fields after the command name (which may hold spaces) start at its closing parenthesis.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    ticks += Number(fields[11]) + Number(fields[12]) // utime, stime
  }
  return ticks / TICKS_PER_SECOND
}

function safeList(dir: string): string[] {
  try {
    return readdirSync(dir)
  } catch {
    return []
  }
}
