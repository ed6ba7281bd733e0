// Runs one Java reference process over a batch of request lines.
import { spawn } from 'node:child_process'
import { JAVA_CLASSPATH, JAVA_MAIN_CLASS } from './java-build.js'

// Start-up dominates short runs; C1 alone and the serial collector start fastest, and the
// work per line is small enough that C2 never pays off.
const JVM_FLAGS = ['-XX:TieredStopAtLevel=1', '-XX:+UseSerialGC', '-Xshare:auto', '-Djava.awt.headless=true']
const STDERR_KEPT = 16_000

export interface RunOptions {
  /** Kill the JVM and reject if all replies have not arrived by then. */
  readonly timeoutMs?: number
}

/**
 * Sends every line to one JVM running `command` and resolves with its reply lines, in order.
 * Writing honours back-pressure while replies are read as they come, so neither pipe can fill
 * up and stall the other however many lines there are.
 */
export async function runJavaLines(
  command: string,
  lines: readonly string[],
  options: RunOptions = {},
): Promise<string[]> {
  const timeoutMs = options.timeoutMs ?? 120_000
  const child = spawn('java', [...JVM_FLAGS, '-cp', JAVA_CLASSPATH, JAVA_MAIN_CLASS, command], {
    stdio: ['pipe', 'pipe', 'pipe'],
  })
  const replies: string[] = []
  let partial = ''
  let stderr = ''
  child.stdout.setEncoding('utf8')
  child.stdout.on('data', (chunk: string) => {
    const parts = (partial + chunk).split('\n')
    partial = parts.pop() ?? ''
    replies.push(...parts)
  })
  child.stderr.setEncoding('utf8')
  child.stderr.on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-STDERR_KEPT)
  })
  // A JVM that dies early closes stdin under us; its exit status tells the real story.
  child.stdin.on('error', () => {})

  const exited = new Promise<number | null>((resolve, reject) => {
    child.on('error', reject)
    child.on('close', (code) => resolve(code))
  })
  exited.catch(() => {}) // awaited below; this only keeps an early spawn failure from counting as unhandled
  let timedOut = false
  const timer = setTimeout(() => {
    timedOut = true
    child.kill('SIGKILL')
  }, timeoutMs)

  try {
    await writeLines(child.stdin, lines)
    const code = await exited
    const context = () =>
      `(java ${command}: ${replies.length} of ${lines.length} replies; stderr: ${stderr.trim() || '<empty>'})`
    if (timedOut) throw new Error(`the Java reference did not finish within ${timeoutMs} ms ${context()}`)
    if (code !== 0) throw new Error(`the Java reference exited with ${code} ${context()}`)
    if (partial !== '' || replies.length !== lines.length) {
      throw new Error(`the Java reference answered ${replies.length} lines for ${lines.length} requests ${context()}`)
    }
    return replies
  } finally {
    clearTimeout(timer)
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
  }
}

async function writeLines(stdin: NodeJS.WritableStream, lines: readonly string[]): Promise<void> {
  for (const line of lines) {
    if (line.includes('\n')) throw new Error('a request line must not contain a newline')
    if (!stdin.write(`${line}\n`)) {
      // 'close' and 'error' also end the wait, so a JVM that died mid-stream cannot leave us hanging.
      await new Promise<void>((resolve) => {
        const done = () => {
          stdin.off('drain', done)
          stdin.off('close', done)
          stdin.off('error', done)
          resolve()
        }
        stdin.on('drain', done)
        stdin.on('close', done)
        stdin.on('error', done)
      })
    }
  }
  stdin.end()
}
