import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'
import { useTestCluster } from './support/test-cluster.js'

/**
 * The README's main job (`pnpm main-job`, examples/main-job.ts) does what the
 * README says: on its own it starts an embedded broker; with KAFKA_BROKERS it
 * uses that cluster. Here it is pointed at this suite's target, so on the jar
 * run it is checked against real Kafka too.
 */
const { cluster, skipReason } = await useTestCluster()
const ownBrokerSkip =
  cluster && cluster.target !== 'embedded'
    ? `the main job's own embedded broker is checked in the embedded run, not the ${cluster.target} one`
    : undefined
if (ownBrokerSkip) console.warn(`skipped: ${ownBrokerSkip}`)
const run = promisify(execFile)
const root = fileURLToPath(new URL('../../', import.meta.url))

async function mainJob(env: Record<string, string>): Promise<string> {
  const { stdout } = await run(
    process.execPath,
    ['--conditions=@kafkit/source', '--import', 'tsx', 'examples/main-job.ts'],
    { cwd: root, env: { ...process.env, ORDERS: '3000', ...env }, timeout: 120_000 },
  )
  return stdout
}

function consumersIn(output: string): { partitions: number[]; count: number }[] {
  return [...output.matchAll(/consumer-[ab]: partitions \[([\d, ]*)\], (\d+) orders/g)].map((m) => ({
    partitions: m[1] ? m[1].split(', ').map(Number) : [],
    count: Number(m[2]),
  }))
}

describe.skipIf(skipReason !== undefined)(`the main job against the ${cluster?.target} target`, () => {
  it('produces, then two consumers of one group split the partitions and read every order', async () => {
    const output = await mainJob({ KAFKA_BROKERS: cluster!.bootstrapServers.join(',') })
    expect(output).toContain(`kafkit main job on the cluster at ${cluster!.bootstrapServers.join(',')}`)
    expect(output).toMatch(/produced 3000 orders/)
    expect(output).toMatch(/consumed all 3000 orders/)
    const [a, b] = consumersIn(output)
    expect(a!.count + b!.count).toBeGreaterThanOrEqual(3000)
    // Both joined before the orders were produced: they split the six partitions and each read its own.
    expect(output).toMatch(/consumer-a joined group .* and owns partitions/)
    expect([...a!.partitions, ...b!.partitions].sort()).toEqual([0, 1, 2, 3, 4, 5])
    expect(a!.partitions.length).toBeGreaterThan(0)
    expect(b!.partitions.length).toBeGreaterThan(0)
  })

  it.skipIf(ownBrokerSkip !== undefined)('starts its own embedded broker when KAFKA_BROKERS is not set', async () => {
    const { KAFKA_BROKERS: _unset, ...env } = process.env
    const { stdout } = await run(
      process.execPath,
      ['--conditions=@kafkit/source', '--import', 'tsx', 'examples/main-job.ts'],
      { cwd: root, env: { ...env, ORDERS: '1000' }, timeout: 120_000 },
    )
    expect(stdout).toMatch(/kafkit main job on an embedded broker/)
    expect(stdout).toMatch(/consumed all 1000 orders/)
  })
})
