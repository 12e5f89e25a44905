// The real AdonisJS Lucid (22.4.2, standalone, as in ../../../shared/peers/lucid/lucid_peer.mjs) on the
// workloads W1, W2, W4, W6 of the lucid-cpp benchmark suite, on tables that `lucid_vs_peer seed` created.
// Run by bench/lucid_peer/run.sh from the folder holding node_modules (copied there).
//   env: PG_URL (postgres://user[:pw]@host:port/db), RUNS (5), RUNS_W4 (3)
// Prints one JSON object on stdout: { impl, versions, unit: "ms", workloads: { W1: { median, runs }, ... } }.
import { performance } from 'node:perf_hooks'
import { readFileSync } from 'node:fs'
import { AppFactory } from '@adonisjs/core/factories/app'
import { EmitterFactory } from '@adonisjs/core/factories/events'
import { LoggerFactory } from '@adonisjs/core/factories/logger'
import { Database } from '@adonisjs/lucid/database'
import { BaseModel, column, belongsTo } from '@adonisjs/lucid/orm'

const USERS = 10000, INSERT_ROWS = 10000, FINDS = 1000, SAVES = 1000
const RUNS = Number(process.env.RUNS ?? 5)
const RUNS_W4 = Number(process.env.RUNS_W4 ?? 3)
const url = new URL(process.env.PG_URL)

const app = new AppFactory().create(new URL('./', import.meta.url))
const emitter = new EmitterFactory().create(app)
const logger = new LoggerFactory().merge({ enabled: false }).create()
const db = new Database({
  connection: 'main',
  connections: {
    main: {
      client: 'pg',
      connection: {
        host: url.hostname, port: Number(url.port || 5432), user: decodeURIComponent(url.username || 'postgres'),
        password: decodeURIComponent(url.password || ''), database: url.pathname.slice(1) || 'postgres',
      },
      pool: { min: 1, max: 4 },
    },
  },
}, logger, emitter)
BaseModel.useAdapter(db.modelAdapter())

// Legacy decorators applied by hand (plain JS); no class fields for columns.
class User extends BaseModel {}
column({ isPrimary: true })(User.prototype, 'id')
column()(User.prototype, 'email')
column()(User.prototype, 'name')
class Profile extends BaseModel {}
column({ isPrimary: true })(Profile.prototype, 'id')
column()(Profile.prototype, 'userId')
column()(Profile.prototype, 'avatarUrl')
column()(Profile.prototype, 'isActive')
belongsTo(() => User)(Profile.prototype, 'user')

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2 }
const ids = Array.from({ length: FINDS }, (_, i) => ((i * 7919 + 13) % USERS) + 1)   // as bench::findIds
let round = 1000

async function w1() {   // createMany of 10,000 users (Lucid wraps it in one transaction)
  const rows = Array.from({ length: INSERT_ROWS }, (_, i) => ({ email: `new${i}@example.com`, name: `New ${i}` }))
  const t0 = performance.now()
  const created = await User.createMany(rows)
  const ms = performance.now() - t0
  if (created.length !== INSERT_ROWS) throw new Error('W1: createMany returned ' + created.length)
  await db.rawQuery(`delete from users where id > ${USERS}`)
  return ms
}
async function w2() {   // 1,000 x find(id)
  const t0 = performance.now()
  let sum = 0
  for (const id of ids) { const u = await User.find(id); sum += u.id + u.email.length }
  const ms = performance.now() - t0
  if (!sum) throw new Error('W2: nothing found')
  return ms
}
async function w4() {   // every profile with its user
  const t0 = performance.now()
  const ps = await Profile.query().preload('user')
  const ms = performance.now() - t0
  if (ps.length !== USERS || !ps.every((p) => p.user && p.user.id === p.userId)) throw new Error('W4: preload check failed')
  return ms
}
async function w6() {   // 1,000 x change one field + save()
  round++
  const us = await User.query().where('id', '<=', SAVES).orderBy('id')
  const names = us.map((u) => `User ${u.id} r${round}`)
  const t0 = performance.now()
  for (let i = 0; i < us.length; i++) { us[i].name = names[i]; await us[i].save() }
  return performance.now() - t0
}

async function main() {
  const v = (p) => JSON.parse(readFileSync(new URL(`./node_modules/${p}/package.json`, import.meta.url))).version
  const versions = { node: process.version, '@adonisjs/lucid': v('@adonisjs/lucid'), knex: v('knex'), pg: v('pg') }
  const workloads = {}
  const run = async (name, fn, n) => {
    await fn()   // warm-up, untimed (as lucid_vs_peer)
    const xs = []
    for (let r = 0; r < n; r++) xs.push(await fn())
    workloads[name] = { median: median(xs), runs: xs }
    process.stderr.write(`peer ${name}: median ${median(xs).toFixed(1)} ms (${xs.map((x) => x.toFixed(1)).join(', ')})\n`)
  }
  await run('W1', w1, RUNS)
  await run('W2', w2, RUNS)
  await run('W4', w4, RUNS_W4)
  await run('W6', w6, RUNS)
  console.log(JSON.stringify({ impl: 'AdonisJS Lucid', versions, unit: 'ms', workloads }))
}

try { await main() } finally { await db.manager.closeAll() }
