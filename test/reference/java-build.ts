// Finds java and mvn and builds the Java reference once, for every test file that asks.
import { spawn } from 'node:child_process'
import { mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { delimiter, join } from 'node:path'
import { fileURLToPath } from 'node:url'

export type JavaReferenceAvailability = { available: true } | { available: false; reason: string }

export const JAVA_PROJECT_DIR = fileURLToPath(new URL('./java/', import.meta.url))
const TARGET_DIR = join(JAVA_PROJECT_DIR, 'target')
// Written only after a successful build, so a half-finished or failed build is never trusted.
const STAMP = join(TARGET_DIR, 'kafkit-build.stamp')
// mkdir is atomic, so a directory is a lock that parallel vitest workers can share.
const LOCK = join(TARGET_DIR, 'kafkit-build.lock')
const BUILD_TIMEOUT_MS = 10 * 60_000
const LOCK_POLL_MS = 250

export const JAVA_CLASSPATH = [join(TARGET_DIR, 'classes'), join(TARGET_DIR, 'lib', '*')].join(delimiter)
export const JAVA_MAIN_CLASS = 'dev.kafkit.reference.Main'

let availability: Promise<JavaReferenceAvailability> | undefined

/** Whether the Java reference can run here; builds it on first use (once per process). */
export function javaReferenceAvailability(): Promise<JavaReferenceAvailability> {
  availability ??= checkAndBuild()
  return availability
}

async function checkAndBuild(): Promise<JavaReferenceAvailability> {
  const missing: string[] = []
  if (!(await runs('java', ['-version']))) missing.push('java')
  if (!(await runs('mvn', ['-v']))) missing.push('mvn')
  if (missing.length > 0) {
    return {
      available: false,
      reason: `${missing.join(' and ')} not found on PATH; the cross-check against the Java client is skipped`,
    }
  }
  try {
    await buildIfStale()
    return { available: true }
  } catch (error) {
    return {
      available: false,
      reason: `building the Java reference (test/reference/java) failed, so the cross-check against the Java client is skipped: ${(error as Error).message}`,
    }
  }
}

async function buildIfStale(): Promise<void> {
  if (await isFresh()) return
  await mkdir(TARGET_DIR, { recursive: true })
  await withLock(async () => {
    if (await isFresh()) return // another worker built it while we waited
    await rm(STAMP, { force: true })
    const result = await run('mvn', [
      '-q',
      '-B',
      '-Dstyle.color=never',
      '-f',
      join(JAVA_PROJECT_DIR, 'pom.xml'),
      'package',
    ])
    if (result.code !== 0) throw new Error(`mvn exited with ${result.code}:\n${result.output.slice(-4000)}`)
    await writeFile(STAMP, `${new Date().toISOString()}\n`)
  })
}

async function isFresh(): Promise<boolean> {
  const built = await mtimeMs(STAMP)
  if (built === undefined) return false
  const sources = [join(JAVA_PROJECT_DIR, 'pom.xml'), ...(await filesUnder(join(JAVA_PROJECT_DIR, 'src')))]
  for (const file of sources) {
    const changed = await mtimeMs(file)
    if (changed === undefined || changed > built) return false
  }
  return true
}

async function withLock(work: () => Promise<void>): Promise<void> {
  const deadline = Date.now() + BUILD_TIMEOUT_MS
  for (;;) {
    try {
      await mkdir(LOCK)
      break
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
      if (await lockIsStale()) {
        await rm(LOCK, { recursive: true, force: true })
        continue
      }
      if (Date.now() > deadline) throw new Error(`timed out waiting for another build to release ${LOCK}`)
      await new Promise((resolve) => setTimeout(resolve, LOCK_POLL_MS))
    }
  }
  try {
    await writeFile(join(LOCK, 'pid'), String(process.pid))
    await work()
  } finally {
    await rm(LOCK, { recursive: true, force: true })
  }
}

// A lock left by a killed test run would otherwise block every later run.
async function lockIsStale(): Promise<boolean> {
  const created = await mtimeMs(LOCK)
  if (created === undefined) return false
  if (Date.now() - created > BUILD_TIMEOUT_MS) return true
  const pid = Number(await readFile(join(LOCK, 'pid'), 'utf8').catch(() => ''))
  if (!Number.isInteger(pid) || pid <= 0) return Date.now() - created > 5_000 // owner has not written its pid yet
  try {
    process.kill(pid, 0) // signal 0 only probes whether the owner is alive
    return false
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH'
  }
}

async function filesUnder(dir: string): Promise<string[]> {
  const files: string[] = []
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) files.push(...(await filesUnder(path)))
    else files.push(path)
  }
  return files
}

async function mtimeMs(path: string): Promise<number | undefined> {
  return stat(path).then(
    (s) => s.mtimeMs,
    () => undefined,
  )
}

async function runs(command: string, args: string[]): Promise<boolean> {
  return run(command, args).then(
    (result) => result.code === 0,
    () => false,
  )
}

function run(command: string, args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: JAVA_PROJECT_DIR, stdio: ['ignore', 'pipe', 'pipe'] })
    let output = ''
    const collect = (chunk: Buffer) => {
      output = (output + chunk.toString('utf8')).slice(-64_000)
    }
    child.stdout.on('data', collect)
    child.stderr.on('data', collect)
    const timer = setTimeout(() => child.kill('SIGKILL'), BUILD_TIMEOUT_MS)
    child.on('error', (error) => {
      clearTimeout(timer)
      reject(error)
    })
    child.on('close', (code) => {
      clearTimeout(timer)
      resolve({ code, output })
    })
  })
}
