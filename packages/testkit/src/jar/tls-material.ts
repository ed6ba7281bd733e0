import { existsSync } from 'node:fs'
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { kafkitCacheDir } from './cache-dir.js'
import { runChecked } from './commands.js'
import { withFileLock } from './file-lock.js'

/** TLS files for a test broker: a CA, and a broker keystore signed by it for 127.0.0.1 and localhost. */
export interface TlsMaterial {
  /** The CA certificate (PEM) clients trust. */
  caPem: string
  caPemPath: string
  /** PKCS12 keystore with the broker's key and certificate chain. */
  brokerKeystorePath: string
  /** Password of the keystore and of its key (test material, not a secret). */
  password: string
}

const PASSWORD = 'kafkit-test'
// Bump when the way the material is made changes, so old caches are not reused.
const LAYOUT_VERSION = 'tls-v1'

/**
 * A self-made CA and a broker certificate (SAN IP:127.0.0.1, DNS:localhost),
 * made with keytool once and cached: keytool starts a JVM per step, and the
 * certificates are valid for ten years.
 */
export async function tlsMaterial(): Promise<TlsMaterial> {
  const dir = join(kafkitCacheDir(), LAYOUT_VERSION)
  const material: TlsMaterial = {
    caPem: '',
    caPemPath: join(dir, 'ca.pem'),
    brokerKeystorePath: join(dir, 'broker.p12'),
    password: PASSWORD,
  }
  const marker = join(dir, '.complete')
  if (!existsSync(marker)) {
    await mkdir(dirname(dir), { recursive: true })
    await withFileLock(`${dir}.lock`, async () => {
      if (existsSync(marker)) return
      await rm(dir, { recursive: true, force: true })
      await mkdir(dir, { recursive: true })
      await makeMaterial(dir)
      await writeFile(marker, 'ok\n')
    })
  }
  material.caPem = await readFile(material.caPemPath, 'utf8')
  return material
}

async function makeMaterial(dir: string): Promise<void> {
  const keytool = (...args: string[]) => runChecked('keytool', args, { cwd: dir, timeoutMs: 60_000 })
  const store = (name: string) => ['-keystore', join(dir, name), '-storetype', 'PKCS12', '-storepass', PASSWORD]
  const validity = ['-validity', '3650']
  await keytool(
    '-genkeypair',
    '-alias',
    'ca',
    '-dname',
    'CN=kafkit test CA',
    '-ext',
    'bc:c',
    '-keyalg',
    'RSA',
    '-keysize',
    '2048',
    ...validity,
    ...store('ca.p12'),
  )
  await keytool('-exportcert', '-rfc', '-alias', 'ca', '-file', 'ca.pem', ...store('ca.p12'))
  await keytool(
    '-genkeypair',
    '-alias',
    'broker',
    '-dname',
    'CN=localhost',
    '-keyalg',
    'RSA',
    '-keysize',
    '2048',
    ...validity,
    ...store('broker.p12'),
  )
  await keytool('-certreq', '-alias', 'broker', '-file', 'broker.csr', ...store('broker.p12'))
  await keytool(
    '-gencert',
    '-alias',
    'ca',
    '-infile',
    'broker.csr',
    '-outfile',
    'broker.pem',
    '-rfc',
    '-ext',
    'SAN=IP:127.0.0.1,DNS:localhost',
    '-ext',
    'EKU=serverAuth,clientAuth',
    ...validity,
    ...store('ca.p12'),
  )
  // The chain must be importable: the CA first, then the signed certificate under the key's alias.
  await keytool('-importcert', '-noprompt', '-alias', 'ca', '-file', 'ca.pem', ...store('broker.p12'))
  await keytool('-importcert', '-noprompt', '-alias', 'broker', '-file', 'broker.pem', ...store('broker.p12'))
}
