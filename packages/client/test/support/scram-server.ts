import { createHash, createHmac, pbkdf2Sync, randomBytes } from 'node:crypto'

/**
 * A SCRAM server written from RFC 5802 with node:crypto, independent of the
 * client code: it checks the client's proof against the stored key and
 * answers with its server signature (or e=invalid-proof). With `acceptAnyProof`
 * it plays an impostor broker that lets any client in.
 */
export function scramServer(
  digest: 'sha256' | 'sha512',
  username: string,
  password: string,
  options: { acceptAnyProof?: boolean } = {},
): ((token: Buffer) => Buffer)[] {
  const salt = randomBytes(16)
  const iterations = 4096
  const hmac = (key: Buffer, text: string) => createHmac(digest, key).update(text).digest()
  const saltedPassword = pbkdf2Sync(password, salt, iterations, digest === 'sha512' ? 64 : 32, digest)
  const storedKey = createHash(digest).update(hmac(saltedPassword, 'Client Key')).digest()
  const serverKey = hmac(saltedPassword, 'Server Key')
  let clientFirstBare = ''
  let serverFirst = ''
  let nonce = ''
  const expectedName = username.replaceAll('=', '=3D').replaceAll(',', '=2C')
  return [
    (token: Buffer) => {
      const match = /^n,,(n=([^,]*),r=([^,]+))$/.exec(token.toString())
      if (!match || match[2] !== expectedName) return Buffer.from('e=unknown-user')
      clientFirstBare = match[1]!
      nonce = match[3]! + randomBytes(18).toString('base64')
      serverFirst = `r=${nonce},s=${salt.toString('base64')},i=${iterations}`
      return Buffer.from(serverFirst)
    },
    (token: Buffer) => {
      const match = /^(c=biws,r=([^,]+)),p=([^,]+)$/.exec(token.toString())
      if (!match || match[2] !== nonce) return Buffer.from('e=invalid-encoding')
      const authMessage = `${clientFirstBare},${serverFirst},${match[1]}`
      const clientSignature = hmac(storedKey, authMessage)
      const proof = Buffer.from(match[3]!, 'base64')
      const clientKey = Buffer.from(proof.map((byte, i) => byte ^ (clientSignature[i] ?? 0)))
      const valid = createHash(digest).update(clientKey).digest().equals(storedKey)
      if (!valid && !options.acceptAnyProof) return Buffer.from('e=invalid-proof')
      return Buffer.from(`v=${hmac(serverKey, authMessage).toString('base64')}`)
    },
  ]
}
