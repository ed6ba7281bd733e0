import { existsSync, readdirSync } from 'node:fs'
import { mkdir, rm, writeFile } from 'node:fs/promises'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { TargetUnavailableError } from '../target-unavailable.js'
import { kafkitCacheDir } from './cache-dir.js'
import { commandExists, runChecked } from './commands.js'
import { withFileLock } from './file-lock.js'

export const KAFKA_VERSION = '4.1.1'

const POM = resolve(dirname(fileURLToPath(import.meta.url)), '../../kafka-jars/pom.xml')

/**
 * The folder holding Apache Kafka's jars and their dependencies, copied from
 * Maven Central by `mvn dependency:copy-dependencies` on first use and reused
 * afterwards. A `.complete` marker tells a finished copy from an interrupted one.
 */
export async function kafkaJarsDir(): Promise<string> {
  const libs = join(kafkitCacheDir(), `kafka-${KAFKA_VERSION}`, 'libs')
  const marker = join(libs, '.complete')
  if (existsSync(marker)) return libs
  if (!commandExists('java'))
    throw new TargetUnavailableError('jar', 'java is not on the PATH (Java 17+ runs Kafka 4.1)')
  if (!commandExists('mvn', '-v'))
    throw new TargetUnavailableError('jar', 'mvn is not on the PATH (Maven fetches the Kafka jars)')
  await mkdir(dirname(libs), { recursive: true })
  await withFileLock(`${libs}.lock`, async () => {
    if (existsSync(marker)) return
    await rm(libs, { recursive: true, force: true })
    await runChecked(
      'mvn',
      ['-q', '-B', '-f', POM, 'dependency:copy-dependencies', `-DoutputDirectory=${libs}`, '-DincludeScope=runtime'],
      { timeoutMs: 20 * 60_000 },
    )
    const jars = readdirSync(libs).filter((name) => name.endsWith('.jar'))
    if (!jars.some((name) => name.startsWith('kafka_2.13-')))
      throw new Error(`Maven did not copy the Kafka jars into ${libs}`)
    await writeFile(marker, `${jars.length} jars\n`)
  })
  return libs
}
