// A long-running Java KafkaConsumer (kafka-clients 4.1.1) in a classic cooperative-sticky group:
// the `group-consume` command, which streams its rebalance callbacks and records as JSON lines.
import { spawn } from 'node:child_process'
import { JAVA_CLASSPATH, JAVA_MAIN_CLASS } from './java-build.js'

const JVM_FLAGS = ['-XX:TieredStopAtLevel=1', '-XX:+UseSerialGC', '-Xshare:auto', '-Djava.awt.headless=true']
const STDERR_KEPT = 16_000

export interface JavaGroupConsumerOptions {
  bootstrap: readonly string[]
  groupId: string
  topic: string
  clientId?: string
  /** Extra consumer properties (Java names), e.g. { 'session.timeout.ms': '10000' }. */
  properties?: Record<string, string>
  /** Called with each rebalance callback as its line arrives (before `owned` changes). */
  onRebalance?: (event: JavaRebalanceEvent, ownedBefore: number) => void
}

export type JavaRebalanceEvent = { kind: 'assigned' | 'revoked' | 'lost'; partitions: number[] }

export interface JavaConsumedRecord {
  partition: number
  offset: bigint
  value: string | null
}

type Line =
  | { event: 'assigned' | 'revoked' | 'lost'; partitions: number[] }
  | { event: 'record'; partition: number; offset: string; value: string | null }
  | { id: unknown; records?: number; error?: string }

/** A running Java group member: what it consumed and its rebalance callbacks, as they happen. */
export interface JavaGroupConsumer {
  readonly records: JavaConsumedRecord[]
  readonly rebalances: JavaRebalanceEvent[]
  /** The partitions it owns now, per its callbacks. */
  readonly owned: Set<number>
  /** Tells it to stop (it closes its KafkaConsumer, leaving the group) and waits for the JVM to exit. */
  stop(timeoutMs?: number): Promise<void>
  /** Kills the JVM at once (cleanup after a failure). */
  kill(): void
  /** Its stderr so far, for failure messages. */
  stderr(): string
  /** Why it ended before stop() was called (the command's error or the JVM's exit), or undefined while it runs. */
  failure(): string | undefined
}

/** Starts the JVM; the member joins its group on its own. Build first with javaReferenceAvailability(). */
export function startJavaGroupConsumer(options: JavaGroupConsumerOptions): JavaGroupConsumer {
  const child = spawn('java', [...JVM_FLAGS, '-cp', JAVA_CLASSPATH, JAVA_MAIN_CLASS, 'group-consume'], {
    stdio: ['pipe', 'pipe', 'pipe'],
  })
  const records: JavaConsumedRecord[] = []
  const rebalances: JavaRebalanceEvent[] = []
  const owned = new Set<number>()
  let reply: { records?: number; error?: string } | undefined
  let partial = ''
  let stderr = ''
  let exitCode: number | null | undefined
  const onLine = (text: string) => {
    if (text === '') return
    const line = JSON.parse(text) as Line
    if ('event' in line) {
      if (line.event === 'record') {
        records.push({ partition: line.partition, offset: BigInt(line.offset), value: line.value })
        return
      }
      const event = { kind: line.event, partitions: line.partitions }
      options.onRebalance?.(event, owned.size)
      rebalances.push(event)
      for (const p of line.partitions) {
        if (line.event === 'assigned') owned.add(p)
        else owned.delete(p)
      }
      return
    }
    reply = line
  }
  child.stdout.setEncoding('utf8')
  child.stdout.on('data', (chunk: string) => {
    const parts = (partial + chunk).split('\n')
    partial = parts.pop() ?? ''
    for (const part of parts) onLine(part)
  })
  child.stderr.setEncoding('utf8')
  child.stderr.on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-STDERR_KEPT)
  })
  child.stdin.on('error', () => {})
  const exited = new Promise<number | null>((resolve, reject) => {
    child.on('error', reject)
    child.on('close', (code) => {
      exitCode = code
      resolve(code)
    })
  })
  exited.catch(() => {})
  child.stdin.write(
    `${JSON.stringify({
      id: 0,
      bootstrap: options.bootstrap.join(','),
      groupId: options.groupId,
      topic: options.topic,
      clientId: options.clientId ?? 'kafkit-java-group-consume',
      properties: options.properties ?? {},
    })}\n`,
  )

  return {
    records,
    rebalances,
    owned,
    stderr: () => stderr,
    failure: () =>
      reply?.error ?? (exitCode === undefined ? undefined : `the JVM exited with ${exitCode}: ${stderr.slice(-2000)}`),
    kill: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
    },
    async stop(timeoutMs = 60_000) {
      // The end of stdin is the stop signal; Main then also sees the end of its request lines and exits.
      child.stdin.end()
      let timer: NodeJS.Timeout | undefined
      const timedOut = new Promise<'timeout'>((resolve) => {
        timer = setTimeout(() => resolve('timeout'), timeoutMs)
      })
      try {
        const code = await Promise.race([exited, timedOut])
        if (code === 'timeout')
          throw new Error(`the Java group consumer did not stop within ${timeoutMs} ms: ${stderr}`)
        if (code !== 0) throw new Error(`the Java group consumer exited with ${code}: ${stderr}`)
        if (reply?.error) throw new Error(`the Java group consumer failed: ${reply.error}`)
      } finally {
        clearTimeout(timer)
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
      }
    },
  }
}
