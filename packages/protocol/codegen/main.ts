/**
 * Generates packages/protocol/src/generated from Kafka's message specs.
 *
 *   tsx codegen/main.ts [spec-folder] [--check]
 *
 * The spec folder defaults to ../shared/kafka-message-specs beside the repository;
 * pass another Kafka release's clients/src/main/resources/common/message to
 * regenerate against it. --check writes nothing and fails when the committed
 * output differs from what the specs produce.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { generate } from './generate.js'

const here = dirname(fileURLToPath(import.meta.url))
const repoRoot = resolve(here, '../../..')
const outputRoot = resolve(here, '../src/generated')

const args = process.argv.slice(2)
const check = args.includes('--check')
const folderArg = args.find((arg) => !arg.startsWith('--'))
const specFolder = folderArg ? resolve(process.cwd(), folderArg) : resolve(repoRoot, '../shared/kafka-message-specs')

if (!existsSync(join(specFolder, 'errors.json'))) {
  console.error(`no Kafka message specs (with errors.json) in ${specFolder}`)
  process.exit(2)
}

function listFiles(folder: string): string[] {
  if (!existsSync(folder)) return []
  return readdirSync(folder, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(outputRoot, join(entry.parentPath, entry.name)))
}

const files = generate(specFolder)
const existing = new Set(listFiles(outputRoot))
const differences: string[] = []
for (const [path, contents] of files) {
  const target = join(outputRoot, path)
  const current = existing.has(path) ? readFileSync(target, 'utf8') : undefined
  existing.delete(path)
  if (current === contents) continue
  differences.push(current === undefined ? `missing ${path}` : `differs ${path}`)
  if (!check) {
    mkdirSync(dirname(target), { recursive: true })
    writeFileSync(target, contents)
  }
}
for (const stale of existing) {
  differences.push(`stale ${stale}`)
  if (!check) rmSync(join(outputRoot, stale))
}

if (check) {
  if (differences.length > 0) {
    console.error(
      `generated code is out of date with ${specFolder}:\n  ${differences.join('\n  ')}\nrun \`pnpm generate\``,
    )
    process.exit(1)
  }
  console.log(`generated code matches ${specFolder} (${files.size} files)`)
} else {
  console.log(`generated ${files.size} files from ${specFolder} (${differences.length} changed)`)
}
