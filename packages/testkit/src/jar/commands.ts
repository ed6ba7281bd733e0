import { spawn, spawnSync } from 'node:child_process'

/** Whether `command` runs at all (used to tell "not installed" from "failed"). */
export function commandExists(command: string, versionFlag = '-version'): boolean {
  const result = spawnSync(command, [versionFlag], { stdio: 'ignore' })
  return result.error === undefined
}

export interface CommandResult {
  code: number | null
  output: string
}

/** Runs a command to completion, collecting stdout and stderr together. */
export function runCommand(
  command: string,
  args: readonly string[],
  options: { cwd?: string; timeoutMs?: number } = {},
): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, stdio: ['ignore', 'pipe', 'pipe'] })
    const chunks: Buffer[] = []
    child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk))
    child.stderr.on('data', (chunk: Buffer) => chunks.push(chunk))
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 600_000)
    child.on('error', (error) => {
      clearTimeout(timer)
      reject(error)
    })
    child.on('close', (code) => {
      clearTimeout(timer)
      resolve({ code, output: Buffer.concat(chunks).toString('utf8') })
    })
  })
}

/** Runs a command and fails with its output when it exits non-zero. */
export async function runChecked(
  command: string,
  args: readonly string[],
  options: { cwd?: string; timeoutMs?: number } = {},
): Promise<string> {
  const result = await runCommand(command, args, options)
  if (result.code !== 0) {
    throw new Error(`${command} ${args.join(' ')} exited with ${result.code}:\n${result.output.slice(-4000)}`)
  }
  return result.output
}
