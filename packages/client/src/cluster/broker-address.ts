import { lookup } from 'node:dns/promises'
import { isIP } from 'node:net'
import { InvalidMessageError } from '@kafkit/protocol'

export interface BrokerAddress {
  host: string
  port: number
}

/** Parses "host:port" (or "[v6]:port"), failing at the call with what to write instead. */
export function parseBrokerAddress(text: string): BrokerAddress {
  const match = /^\[([^\]]+)\]:(\d+)$/.exec(text.trim()) ?? /^([^:\s]+):(\d+)$/.exec(text.trim())
  const port = match ? Number(match[2]) : Number.NaN
  if (!match || !Number.isInteger(port) || port < 1 || port > 65535) {
    throw new InvalidMessageError(`invalid broker address "${text}": use host:port, e.g. "localhost:9092"`)
  }
  return { host: match[1]!, port }
}

/**
 * Every address a bootstrap host name resolves to (Java's
 * client.dns.lookup=use_all_dns_ips), so one dead address does not stop bootstrap.
 */
export async function resolveAll(address: BrokerAddress): Promise<BrokerAddress[]> {
  if (isIP(address.host)) return [address]
  try {
    const resolved = await lookup(address.host, { all: true })
    const unique = [...new Set(resolved.map((entry) => entry.address))]
    return unique.length > 0 ? unique.map((host) => ({ host, port: address.port })) : [address]
  } catch {
    // Let the connection attempt report the failure with the broker's name.
    return [address]
  }
}
