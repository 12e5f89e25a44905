// The C++ service's migration as the Node service ships it (same name, same table): Lucid rolls a batch
// back only with a file for every migration in it, so a shared schema history ships both services' files.
import { BaseSchema } from '@adonisjs/lucid/schema'

export default class extends BaseSchema {
  async up() {
    this.schema.createTable('cpp_events', (table) => {
      table.bigIncrements('id')
      table.string('kind').notNullable()
      table.timestamp('created_at', { useTz: true })
    })
  }

  async down() {
    this.schema.dropTable('cpp_events')
  }
}
