import { spawn, spawnSync } from 'node:child_process'
import { existsSync, readdirSync } from 'node:fs'
import { homedir } from 'node:os'
import { join } from 'node:path'
import type { ListenerEndpoint, SaslMechanism, SaslUser } from '@kafkit/testkit'

/**
 * kcat runs with the newest librdkafka that test/tools/install-librdkafka.sh put
 * in the cache (or KAFKIT_LIBRDKAFKA_DIR), else with the system's.
 */
function librdkafkaDir(): string | undefined {
  if (process.env.KAFKIT_LIBRDKAFKA_DIR) return process.env.KAFKIT_LIBRDKAFKA_DIR
  const cache = process.env.KAFKIT_CACHE_DIR ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'kafkit')
  if (!existsSync(cache)) return undefined
  const installed = readdirSync(cache)
    .filter((name) => name.startsWith('librdkafka-'))
    .sort()
    .map((name) => join(cache, name, 'lib'))
  return installed.at(-1)
}

const libraryDir = librdkafkaDir()
const kcatEnv = libraryDir
  ? { ...process.env, LD_LIBRARY_PATH: [libraryDir, process.env.LD_LIBRARY_PATH].filter(Boolean).join(':') }
  : process.env

/** Why kcat cannot run here, or undefined when it can. */
export function kcatUnavailable(): string | undefined {
  const probe = spawnSync('kcat', ['-V'], { stdio: 'ignore', env: kcatEnv })
  return probe.error ? 'kcat is not on the PATH (Debian package kcat)' : undefined
}

/** The librdkafka version kcat runs with, e.g. [2, 16, 0]. */
export function kcatLibrdkafkaVersion(): number[] {
  const probe = spawnSync('kcat', ['-V'], { encoding: 'utf8', env: kcatEnv })
  const match = /librdkafka (\d+)\.(\d+)\.(\d+)/.exec(probe.stdout ?? '')
  return match ? match.slice(1).map(Number) : [0, 0, 0]
}

/**
 * librdkafka before 2.6.1 repeats the client nonce in the SCRAM client-final
 * message, which Kafka 4.x rejects (librdkafka#4895). Undefined when SCRAM works.
 */
export function kcatScramUnsupported(): string | undefined {
  const [major = 0, minor = 0, patch = 0] = kcatLibrdkafkaVersion()
  const fixed = major > 2 || (major === 2 && (minor > 6 || (minor === 6 && patch >= 1)))
  return fixed
    ? undefined
    : `kcat runs librdkafka ${major}.${minor}.${patch}, whose SCRAM Kafka 4.x rejects (fixed in 2.6.1): run test/tools/install-librdkafka.sh`
}

export interface KcatSecurity {
  listener: ListenerEndpoint
  mechanism?: SaslMechanism
  user?: SaslUser
}

/** librdkafka settings (-X) for a listener: security protocol, CA file, SASL mechanism and credentials. */
export function kcatSecurityArgs({ listener, mechanism, user }: KcatSecurity): string[] {
  const settings: Record<string, string> = { 'security.protocol': listener.securityProtocol.toLowerCase() }
  if (listener.tls) settings['ssl.ca.location'] = listener.tls.caPath
  if (listener.sasl) {
    const chosen = user ?? listener.sasl.users[0]
    if (!chosen) throw new Error('the listener has no SASL user')
    settings['sasl.mechanisms'] = mechanism ?? 'PLAIN'
    settings['sasl.username'] = chosen.username
    settings['sasl.password'] = chosen.password
  }
  return Object.entries(settings).flatMap(([key, value]) => ['-X', `${key}=${value}`])
}

export interface KcatResult {
  code: number | null
  stdout: string
  stderr: string
}

/** Runs kcat with `input` on stdin, killing it after `timeoutMs`. */
export function kcat(args: readonly string[], input = '', timeoutMs = 60_000): Promise<KcatResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('kcat', args, { stdio: ['pipe', 'pipe', 'pipe'], env: kcatEnv })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8')
    })
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8')
    })
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs)
    child.on('error', reject)
    child.on('close', (code) => {
      clearTimeout(timer)
      resolve({ code, stdout, stderr })
    })
    child.stdin.end(input)
  })
}

/** Produces `key:value` lines to `topic` and fails with kcat's output if it does not exit cleanly. */
export async function kcatProduce(
  bootstrap: string,
  topic: string,
  lines: readonly string[],
  extraArgs: readonly string[] = [],
): Promise<void> {
  const result = await kcat(['-b', bootstrap, '-t', topic, '-P', '-K', ':', ...extraArgs], `${lines.join('\n')}\n`)
  if (result.code !== 0) throw new Error(`kcat produce failed (${result.code}): ${result.stderr}`)
}

/** Consumes `topic` from the beginning to its end, as `key:value` lines. */
export async function kcatConsume(
  bootstrap: string,
  topic: string,
  extraArgs: readonly string[] = [],
): Promise<string[]> {
  const result = await kcat([
    '-b',
    bootstrap,
    '-t',
    topic,
    '-C',
    '-o',
    'beginning',
    '-e',
    '-q',
    '-f',
    '%k:%s\\n',
    ...extraArgs,
  ])
  if (result.code !== 0) throw new Error(`kcat consume failed (${result.code}): ${result.stderr}`)
  return result.stdout.split('\n').filter((line) => line.length > 0)
}

export interface KcatPartitionMetadata {
  partition: number
  leader: number
  replicas: { id: number }[]
  isrs: { id: number }[]
}

/** A topic's partitions as the cluster describes them (kcat -L -J). */
export async function kcatPartitions(bootstrap: string, topic: string): Promise<KcatPartitionMetadata[]> {
  const result = await kcat(['-b', bootstrap, '-L', '-J', '-t', topic, '-m', '5'])
  if (result.code !== 0) throw new Error(`kcat metadata failed (${result.code}): ${result.stderr}`)
  const metadata = JSON.parse(result.stdout) as { topics: { topic: string; partitions: KcatPartitionMetadata[] }[] }
  return metadata.topics.find((t) => t.topic === topic)?.partitions ?? []
}
