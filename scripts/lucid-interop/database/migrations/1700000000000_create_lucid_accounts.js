// The Node service's own migration: its table lucid_accounts (batch 1 of the shared database).
import { BaseSchema } from '@adonisjs/lucid/schema'

export default class extends BaseSchema {
  async up() {
    this.schema.createTable('lucid_accounts', (table) => {
      table.increments('id')
      table.string('email').notNullable().unique()
    })
  }

  async down() {
    this.schema.dropTable('lucid_accounts')
  }
}
