import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'

/** The raw JSON shape of a Kafka message spec file (see the specs' README). */
export interface RawField {
  name: string
  type: string
  versions?: string
  nullableVersions?: string
  taggedVersions?: string
  flexibleVersions?: string
  tag?: number
  default?: string | number | boolean
  ignorable?: boolean
  mapKey?: boolean
  entityType?: string
  zeroCopy?: boolean
  about?: string
  fields?: RawField[]
}

export interface RawStruct {
  name: string
  versions?: string
  fields: RawField[]
}

export interface RawSpec {
  apiKey?: number
  type: 'request' | 'response' | 'header' | 'data' | 'metadata'
  name: string
  validVersions: string
  flexibleVersions: string
  latestVersionUnstable?: boolean
  listeners?: string[]
  fields: RawField[]
  commonStructs?: RawStruct[]
}

/** Removes `//` comments, leaving `//` inside string literals (URLs in "about") alone. */
export function stripComments(text: string): string {
  let out = ''
  let inString = false
  for (let i = 0; i < text.length; i++) {
    const c = text[i]
    if (inString) {
      out += c
      if (c === '\\') out += text[++i] ?? ''
      else if (c === '"') inString = false
    } else if (c === '"') {
      inString = true
      out += c
    } else if (c === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') i++
      out += '\n'
    } else out += c
  }
  return out
}

/** Every message spec in `folder`, sorted by file name so output is stable. */
export function readSpecFolder(folder: string): RawSpec[] {
  return readdirSync(folder)
    .filter((name) => name.endsWith('.json') && name !== 'errors.json')
    .sort()
    .map((name) => JSON.parse(stripComments(readFileSync(join(folder, name), 'utf8'))) as RawSpec)
}

export interface RawError {
  code: number
  name: string
  retriable: boolean
  exception: string | null
  message: string | null
}

export function readErrors(folder: string): RawError[] {
  return JSON.parse(readFileSync(join(folder, 'errors.json'), 'utf8')) as RawError[]
}
