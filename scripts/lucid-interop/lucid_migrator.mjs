// The Node service's `node ace migration:run|rollback|status`, standalone: AdonisJS Lucid's own MigrationRunner
// on the PostgreSQL database PG_URL names, with the migration files of ./database/migrations (next to this file).
//   node lucid_migrator.mjs run | rollback [--batch=N] [--step=N] | status
import { AppFactory } from '@adonisjs/core/factories/app'
import { EmitterFactory } from '@adonisjs/core/factories/events'
import { LoggerFactory } from '@adonisjs/core/factories/logger'
import { Database } from '@adonisjs/lucid/database'
import { MigrationRunner } from '@adonisjs/lucid/migration'

const [command = 'status', ...flags] = process.argv.slice(2)
const flag = (name) => {
  const f = flags.find((a) => a.startsWith(`--${name}=`))
  return f === undefined ? undefined : Number(f.slice(name.length + 3))
}
// the app root gives the migrations folder (database/migrations), as in an AdonisJS application
const app = new AppFactory().create(new URL('./', import.meta.url), () => {})
await app.init()
const url = new URL(process.env.PG_URL)
const connection = {
  host: url.hostname, port: Number(url.port || 5432), user: decodeURIComponent(url.username || 'postgres'),
  password: decodeURIComponent(url.password), database: url.pathname.slice(1),
}
const db = new Database({ connection: 'pg', connections: { pg: { client: 'pg', connection } } },
                       new LoggerFactory().create(), new EmitterFactory().create(app))
const table = (head, rows) => {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)))
  const line = (cells) => '| ' + cells.map((c, i) => String(c).padEnd(widths[i])).join(' | ') + ' |'
  console.log([line(head), '|' + widths.map((w) => '-'.repeat(w + 2)).join('|') + '|', ...rows.map(line)].join('\n'))
}

let code = 0
try {
  if (command === 'status') {
    const list = await new MigrationRunner(db, app, { direction: 'up', connectionName: 'pg' }).getList()
    table(['Name', 'Status', 'Batch'], list.map((m) => [m.name, m.status, m.batch ?? 'NA']))
  } else if (command === 'run' || command === 'rollback') {
    const runner = new MigrationRunner(db, app, {
      direction: command === 'run' ? 'up' : 'down', connectionName: 'pg', batch: flag('batch'), step: flag('step'),
    })
    await runner.run()
    const files = Object.values(runner.migratedFiles)
    for (const f of files) console.log(`${command === 'run' ? 'migrated' : 'reverted'} ${f.file.name} (batch ${f.batch}): ${f.status}`)
    if (!files.length && !runner.error) console.log(command === 'run' ? 'Already up to date' : 'Already at the latest batch')
    if (runner.error) {
      console.error(`lucid_migrator: ${runner.error.code ?? ''} ${runner.error.message}`)
      code = 1
    }
  } else {
    console.error(`lucid_migrator: unknown command "${command}" (run | rollback | status)`)
    code = 2
  }
} finally {
  await db.manager.closeAll()
}
process.exit(code)
