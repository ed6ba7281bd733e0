#!/usr/bin/env node
// In a checkout of the repository (tsx installed, no build step needed) this
// runs the TypeScript sources, with the workspace packages resolved to their
// sources as well; an installed package runs its build.
import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'

/** tsx's loader as a URL, resolved from this package (the caller's folder may not see it). */
let tsx
try {
  tsx = import.meta.resolve('tsx')
} catch {
  tsx = undefined
}

if (tsx === undefined) {
  await import(new URL('../dist/main.js', import.meta.url).href)
} else {
  const source = fileURLToPath(new URL('../src/main.ts', import.meta.url))
  const child = spawn(
    process.execPath,
    ['--conditions=@kafkit/source', '--import', tsx, source, ...process.argv.slice(2)],
    {
      stdio: 'inherit',
    },
  )
  // Pass interrupts on, so the command shuts down cleanly rather than being orphaned.
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal))
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)))
}
