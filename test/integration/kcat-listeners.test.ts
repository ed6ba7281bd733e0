import type { ListenerEndpoint, SaslMechanism } from '@kafkit/testkit'
import { describe, expect, it } from 'vitest'
import {
  kcat,
  kcatConsume,
  kcatProduce,
  kcatScramUnsupported,
  kcatSecurityArgs,
  kcatUnavailable,
} from './support/kcat.js'
import { uniqueTopic, useTestCluster } from './support/test-cluster.js'

/**
 * librdkafka (through kcat) produces to and consumes from every listener the
 * target offers, with each SASL mechanism: proof that the broker's listeners,
 * TLS material and SASL users are what startKafka() says they are.
 */
const kcatMissing = kcatUnavailable()
const scramUnsupported = kcatMissing ? undefined : kcatScramUnsupported()
if (kcatMissing) console.warn(`skipped: ${kcatMissing}`)
const { cluster, skipReason } = kcatMissing ? { cluster: undefined, skipReason: kcatMissing } : await useTestCluster()

const cases: { name: string; listener: ListenerEndpoint; mechanism?: SaslMechanism }[] = []
for (const listener of Object.values(cluster?.listeners ?? {})) {
  if (listener.sasl) {
    for (const mechanism of listener.sasl.mechanisms)
      cases.push({ name: `${listener.securityProtocol} ${mechanism}`, listener, mechanism })
  } else cases.push({ name: listener.securityProtocol, listener })
}

describe.skipIf(skipReason !== undefined)(`kcat against the ${cluster?.target} target`, () => {
  it.for(cases)('round-trips records over $name', async ({ listener, mechanism }, { skip }) => {
    if (mechanism?.startsWith('SCRAM') && scramUnsupported) return skip(scramUnsupported)
    const bootstrap = listener.bootstrapServers.join(',')
    const security = kcatSecurityArgs({ listener, mechanism })
    const topic = uniqueTopic(`kcat-${listener.securityProtocol.toLowerCase()}`)
    const lines = Array.from({ length: 5 }, (_, i) => `key-${i}:value-${i}-${mechanism ?? 'none'}`)
    await kcatProduce(bootstrap, topic, lines, security)
    expect(await kcatConsume(bootstrap, topic, security)).toEqual(lines)
  })

  it('rejects a SASL user with a wrong password', async ({ skip }) => {
    const listener = cluster?.listeners.SASL_PLAINTEXT
    if (!listener?.sasl) return skip('the target has no SASL_PLAINTEXT listener')
    if (scramUnsupported) return skip(scramUnsupported)
    const security = kcatSecurityArgs({
      listener,
      mechanism: 'SCRAM-SHA-256',
      user: { username: 'alice', password: 'wrong' },
    })
    const result = await kcat(['-b', listener.bootstrapServers.join(','), '-L', '-m', '5', ...security])
    expect(result.code).not.toBe(0)
    expect(result.stderr).toMatch(/invalid credentials/)
  })

  it('serves the listeners a single-node jar broker promises', ({ skip }) => {
    if (cluster?.target !== 'jar') return skip(`the ${cluster?.target} target defines its own listeners`)
    expect(Object.keys(cluster.listeners).sort()).toEqual(['PLAINTEXT', 'SASL_PLAINTEXT', 'SASL_SSL', 'SSL'])
    expect(cases).toHaveLength(8)
  })
})
