import { renameSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { policyValidatorSource } from './policy-validator-source.js'

// npm run generate:policy-schema — rewrites the precompiled structure validator
const target = fileURLToPath(new URL('../src/analyze/policy-schema.generated.ts', import.meta.url))
const temporary = `${target}.${process.pid}.tmp`
writeFileSync(temporary, policyValidatorSource())
renameSync(temporary, target)
