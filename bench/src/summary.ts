/**
 * Lines up the kafkit/peer ratios of several runs (one JSON file per Node
 * version, as main.ts writes them):
 *
 *   node --import tsx src/summary.ts results/node-v20.json results/node-v24.json
 *
 * Only each client's default path is compared (kafkit's sync codecs and the
 * peers' fallback CRCs stay in the per-run tables), and each ratio compares
 * clients measured in the same process, never across runs.
 */
import { readFileSync } from 'node:fs'
import { table } from './report.js'
import type { CaseResult, RunResult } from './results.js'

const runs = process.argv.slice(2).map((file) => JSON.parse(readFileSync(file, 'utf8')) as RunResult)

const isPeerDefault = (r: CaseResult) => r.family !== 'kafkit' && !r.variant && r.skipped === undefined

const columns = runs.flatMap((run, index) => {
  const families = new Set(run.groups.flatMap((g) => g.results.filter(isPeerDefault).map((r) => r.family)))
  return [...families].map((family) => ({ index, family, label: `kafkit/${family}, Node ${run.node}` }))
})

const ids = [...new Set(runs.flatMap((run) => run.groups.map((g) => g.id)))]
const rows = ids.map((id) => {
  const title = runs.flatMap((run) => run.groups).find((g) => g.id === id)!.title
  const cells = columns.map(({ index, family }) => {
    const group = runs[index]!.groups.find((g) => g.id === id)
    const ratio = group?.results.find((r) => isPeerDefault(r) && r.family === family)?.kafkitRatio
    return ratio === undefined ? '' : ratio.toFixed(2)
  })
  return [title, ...cells]
})

process.stdout.write(
  `\n## kafkit ops/s ÷ peer ops/s, measured in the same process (above 1: kafkit is faster)\n\n${table(['benchmark', ...columns.map((c) => c.label)], rows)}\n`,
)
