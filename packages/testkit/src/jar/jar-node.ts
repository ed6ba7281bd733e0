import { type ChildProcess, spawn } from 'node:child_process'
import { createWriteStream, type WriteStream } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'

const READY_LINE = 'Kafka Server started'
const HEAP = ['-Xms128m', '-Xmx512m']

/** Every broker process this Node process started, so none outlives it. */
const running = new Set<ChildProcess>()
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL')
})

/**
 * One Kafka process (combined broker and controller) started from the jars.
 * Its output goes to `server.log` in its folder; it is ready when the log says
 * "Kafka Server started".
 */
export class JarKafkaNode {
  private child: ChildProcess | undefined
  private log: WriteStream | undefined

  constructor(
    readonly nodeId: number,
    readonly dir: string,
    private readonly libsDir: string,
  ) {}

  get logPath(): string {
    return join(this.dir, 'server.log')
  }

  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null
  }

  /** Starts the process and resolves once it serves requests. */
  async start(readyTimeoutMs = 120_000): Promise<void> {
    if (this.running) throw new Error(`node ${this.nodeId} is already running`)
    const log = createWriteStream(this.logPath, { flags: 'a' })
    this.log = log
    const child = spawn(
      'java',
      [
        ...HEAP,
        `-Dlog4j2.configurationFile=${join(this.dir, 'log4j2.properties')}`,
        '-cp',
        `${this.libsDir}/*`,
        'kafka.Kafka',
        join(this.dir, 'server.properties'),
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    )
    this.child = child
    running.add(child)
    child.once('exit', () => running.delete(child))
    let ready = false
    let tail = ''
    const readiness = new Promise<void>((resolve, reject) => {
      const settle = (error?: Error) => {
        if (ready) return
        ready = true
        clearTimeout(timer)
        if (error) {
          child.kill('SIGKILL')
          reject(new Error(`Kafka node ${this.nodeId} failed to start: ${error.message}; log: ${this.logPath}`))
        } else resolve()
      }
      const timer = setTimeout(() => settle(new Error(`not ready after ${readyTimeoutMs} ms`)), readyTimeoutMs)
      child.stdout?.on('data', (chunk: Buffer) => {
        log.write(chunk)
        if (ready) return
        // Keep just enough text to find the ready line across chunk boundaries.
        tail = (tail + chunk.toString('utf8')).slice(-4096)
        if (tail.includes(READY_LINE)) settle()
      })
      child.stderr?.on('data', (chunk: Buffer) => log.write(chunk))
      child.once('error', (error) => settle(error))
      child.once('exit', (code, signal) => settle(new Error(`exited with ${signal ?? code}`)))
    })
    await readiness
  }

  /** A clean shutdown (SIGTERM), falling back to SIGKILL if the broker hangs. */
  async stop(timeoutMs = 30_000): Promise<void> {
    await this.signal('SIGTERM', timeoutMs)
  }

  /** kill -9: the broker gets no chance to hand over leadership. */
  async kill(): Promise<void> {
    await this.signal('SIGKILL', 10_000)
  }

  private async signal(signal: NodeJS.Signals, timeoutMs: number): Promise<void> {
    const child = this.child
    if (!child || !this.running) return
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
    child.kill(signal)
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs)
    await exited
    clearTimeout(timer)
    await new Promise<void>((resolve) => (this.log ? this.log.end(resolve) : resolve()))
    this.child = undefined
  }

  async logTail(lines = 40): Promise<string> {
    const text = await readFile(this.logPath, 'utf8').catch(() => '')
    return text.split('\n').slice(-lines).join('\n')
  }
}
