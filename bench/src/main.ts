/**
 * Runs every benchmark group in this Node process and prints one table:
 *
 *   node --expose-gc --conditions=@kafkit/source --import tsx src/main.ts [--quick] [--filter ID] [--out FILE]
 *
 * `run.mjs` calls this once per Node version. --quick shortens every phase for a
 * smoke test (its numbers are not worth quoting); --filter keeps the groups whose
 * id contains ID (e.g. `encode`, `zstd`, `crc32c`, `produce`).
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { cpus, totalmem } from 'node:os'
import { dirname } from 'node:path'
import { parseArgs } from 'node:util'
import type { BenchmarkGroup } from './benchmark.js'
import { watchContention } from './contention.js'
import { makeRecords } from './fixtures.js'
import { type MeasureOptions, measureGroup, type Operation } from './harness.js'
import { createKafkajsPeer, kafkajsCrc32c } from './peers/kafkajs.js'
import { createKafkitPeer, kafkitCrc32c } from './peers/kafkit.js'
import type { Client } from './peers/peer.js'
import { platformaticClients } from './peers/platformatic-loader.js'
import { machineLine, runTable } from './report.js'
import { type GroupResult, groupResult, type RunResult } from './results.js'
import { crc32cGroups } from './suites/crc32c.js'
import { producePartitions, produceRequestGroup } from './suites/produce-request.js'
import { recordBatchGroups } from './suites/record-batch.js'

const { values: args } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    filter: { type: 'string' },
    out: { type: 'string' },
  },
})

const options: MeasureOptions = args.quick
  ? { warmupMs: 50, roundMs: 50, rounds: 3 }
  : { warmupMs: 500, roundMs: 150, rounds: 15 }

async function buildGroups(): Promise<BenchmarkGroup[]> {
  const kafkit = createKafkitPeer()
  const kafkajs = createKafkajsPeer()
  const platformatic = await platformaticClients()
  const records = makeRecords(1024, 1024)
  const encoders: Client[] = [kafkit, createKafkitPeer({ sync: true }), kafkajs, platformatic.peer]
  const decoders: Client[] = [kafkit, createKafkitPeer({ skipCrcCheck: true }), kafkajs, platformatic.peer]
  return [
    ...(await recordBatchGroups({ encoders, decoders }, records)),
    await produceRequestGroup([kafkit, kafkajs, platformatic.peer], producePartitions(1024)),
    ...crc32cGroups([...kafkitCrc32c, kafkajsCrc32c, ...platformatic.crc32c]),
  ]
}

async function main(): Promise<void> {
  const groups = (await buildGroups()).filter((g) => args.filter === undefined || g.id.includes(args.filter))
  const results: GroupResult[] = []
  const contention = watchContention()
  for (const group of groups) {
    process.stderr.write(`measuring ${group.title}\n`)
    const operations = group.cases.flatMap((c): Operation[] => (c.operation === undefined ? [] : [c.operation]))
    results.push(groupResult(group, await measureGroup(operations, options)))
  }
  const cpu = cpus()
  const run: RunResult = {
    node: process.version,
    v8: process.versions.v8,
    platform: `${process.platform}-${process.arch}`,
    cpuModel: cpu[0]?.model.trim() ?? 'unknown',
    cpus: cpu.length,
    memoryGiB: Math.round(totalmem() / 1024 ** 3),
    date: new Date().toISOString(),
    options,
    groups: results,
  }
  const others = contention()
  if (others !== undefined) run.contention = others
  process.stdout.write(`\n${machineLine(run)}\n\n${runTable(run)}\n\n`)
  if (args.out !== undefined) {
    mkdirSync(dirname(args.out), { recursive: true })
    writeFileSync(args.out, `${JSON.stringify(run, null, 2)}\n`)
  }
}

await main()
