import { describe, expect, it } from 'vitest'
import { nodeProperties, scramFormatArguments } from '../src/jar/broker-properties.js'

function parse(text: string): Map<string, string> {
  return new Map(
    text
      .trim()
      .split('\n')
      .map((line) => {
        const at = line.indexOf('=')
        return [line.slice(0, at), line.slice(at + 1)] as [string, string]
      }),
  )
}

const users = [{ username: 'alice', password: 'alice-secret' }]
const tls = { caPem: '', caPemPath: '/ca.pem', brokerKeystorePath: '/broker.p12', password: 'pw' }

describe('server.properties of a jar node', () => {
  it('opens the four client listeners and a controller listener on 127.0.0.1', () => {
    const props = parse(
      nodeProperties({
        nodeId: 1,
        dataDir: '/data',
        ports: { plaintext: 1, controller: 2, ssl: 3, saslPlaintext: 4, saslSsl: 5 },
        voters: [{ nodeId: 1, controllerPort: 2 }],
        replicationFactor: 1,
        minInsyncReplicas: 1,
        tls,
        saslUsers: users,
      }),
    )
    expect(props.get('listeners')).toBe(
      'PLAINTEXT://127.0.0.1:1,SSL://127.0.0.1:3,SASL_PLAINTEXT://127.0.0.1:4,SASL_SSL://127.0.0.1:5,CONTROLLER://127.0.0.1:2',
    )
    expect(props.get('advertised.listeners')).not.toContain('CONTROLLER')
    expect(props.get('controller.quorum.bootstrap.servers')).toBe('127.0.0.1:2')
    expect(props.has('controller.quorum.voters')).toBe(false)
    expect(props.get('ssl.keystore.location')).toBe('/broker.p12')
    expect(props.get('sasl.enabled.mechanisms')).toBe('PLAIN,SCRAM-SHA-256,SCRAM-SHA-512')
    // each SASL listener needs a JAAS entry per mechanism
    for (const listener of ['sasl_plaintext', 'sasl_ssl']) {
      expect(props.get(`listener.name.${listener}.plain.sasl.jaas.config`)).toContain('user_alice="alice-secret"')
      expect(props.get(`listener.name.${listener}.scram-sha-256.sasl.jaas.config`)).toContain('ScramLoginModule')
      expect(props.get(`listener.name.${listener}.scram-sha-512.sasl.jaas.config`)).toContain('ScramLoginModule')
    }
  })

  it('uses a static quorum and replication factor 3 for three nodes', () => {
    const props = parse(
      nodeProperties({
        nodeId: 2,
        dataDir: '/data',
        ports: { plaintext: 10, controller: 11 },
        voters: [
          { nodeId: 1, controllerPort: 21 },
          { nodeId: 2, controllerPort: 11 },
          { nodeId: 3, controllerPort: 31 },
        ],
        replicationFactor: 3,
        minInsyncReplicas: 2,
        saslUsers: [],
        overrides: { 'num.partitions': '6' },
      }),
    )
    expect(props.get('controller.quorum.voters')).toBe('1@127.0.0.1:21,2@127.0.0.1:11,3@127.0.0.1:31')
    expect(props.get('default.replication.factor')).toBe('3')
    expect(props.get('min.insync.replicas')).toBe('2')
    expect(props.get('num.partitions')).toBe('6')
    expect(props.has('sasl.enabled.mechanisms')).toBe(false)
    expect(props.get('listeners')).toBe('PLAINTEXT://127.0.0.1:10,CONTROLLER://127.0.0.1:11')
  })

  it('enforces ACLs with StandardAuthorizer, leaving resources without ACLs open and the PLAINTEXT principal and admin super users', () => {
    const props = parse(
      nodeProperties({
        nodeId: 1,
        dataDir: '/data',
        ports: { plaintext: 1, controller: 2 },
        voters: [{ nodeId: 1, controllerPort: 2 }],
        replicationFactor: 1,
        minInsyncReplicas: 1,
        saslUsers: users,
      }),
    )
    expect(props.get('authorizer.class.name')).toBe('org.apache.kafka.metadata.authorizer.StandardAuthorizer')
    expect(props.get('allow.everyone.if.no.acl.found')).toBe('true')
    expect(props.get('super.users')).toBe('User:ANONYMOUS;User:admin')
  })

  it('adds SCRAM credentials for both mechanisms at format time', () => {
    expect(scramFormatArguments(users)).toEqual([
      '--add-scram',
      'SCRAM-SHA-256=[name=alice,password=alice-secret]',
      '--add-scram',
      'SCRAM-SHA-512=[name=alice,password=alice-secret]',
    ])
  })
})
