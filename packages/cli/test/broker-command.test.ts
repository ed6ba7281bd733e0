import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { KafkaClient } from '@kafkit/client'
import { describe, expect, it } from 'vitest'
import { parseBrokerArgs } from '../src/broker-command.js'

const BIN = fileURLToPath(new URL('../bin/kafkit.mjs', import.meta.url))

describe('kafkit broker arguments', () => {
  it('parse ports, broker count and data dir', () => {
    expect(parseBrokerArgs(['--port', '19092', '--brokers', '3', '--data-dir', '/tmp/x'])).toEqual({
      port: 19092,
      brokers: 3,
      dataDir: '/tmp/x',
      partitions: 1,
    })
  })

  it('fail with a message that says what to change', () => {
    expect(() => parseBrokerArgs(['--brokers', 'two'])).toThrow(/--brokers must be an integer from 1 to 32/)
    expect(() => parseBrokerArgs(['--port', '70000'])).toThrow(/--port must be an integer from 1 to 65535/)
    expect(() => parseBrokerArgs(['--colour'])).toThrow(/colour/)
  })
})

describe('kafkit broker', () => {
  it('serves Kafka clients until it is interrupted', async () => {
    const child = spawn(process.execPath, [BIN, 'broker', '--brokers', '2'], { stdio: ['ignore', 'pipe', 'pipe'] })
    let output = ''
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString()
    })
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString()
    })
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve))
    try {
      const servers = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no bootstrap line in: ${output}`)), 60_000)
        child.stdout.on('data', () => {
          const match = /bootstrap servers (\S+)/.exec(output)
          if (match) {
            clearTimeout(timer)
            resolve(match[1]!)
          }
        })
      })
      await using client = new KafkaClient({ brokers: servers.split(',') })
      await client.connect()
      expect(client.cluster.metadata.brokers.map((b) => b.nodeId).sort()).toEqual([1, 2])
    } finally {
      child.kill('SIGTERM')
    }
    expect(await exited).toBe(0)
    expect(output).toContain('stopped')
  })
})
