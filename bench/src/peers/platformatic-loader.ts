/**
 * @platformatic/kafka runs only on Node >= 22.22 (22.x) or >= 24.6, and fails
 * at import on older ones, so it is imported only where it can run; elsewhere
 * its cases are reported as skipped (run.mjs measures them under Node 24).
 */
import type { Client, Crc32cImplementation, SkippedClient } from './peer.js'

export const PLATFORMATIC = '@platformatic/kafka'

export function platformaticRuns(version = process.versions.node): boolean {
  const [major = 0, minor = 0] = version.split('.').map(Number)
  return major > 24 || (major === 24 && minor >= 6) || (major === 22 && minor >= 22)
}

export async function platformaticClients(): Promise<{
  peer: Client
  crc32c: (Crc32cImplementation | SkippedClient)[]
}> {
  if (!platformaticRuns()) {
    const skipped = `needs Node >= 22.22 or >= 24.6 (this is ${process.version})`
    const client: SkippedClient = { name: PLATFORMATIC, family: PLATFORMATIC, skipped }
    return { peer: client, crc32c: [client] }
  }
  const module = await import('./platformatic.js')
  return { peer: module.createPlatformaticPeer(), crc32c: module.platformaticCrc32c }
}
