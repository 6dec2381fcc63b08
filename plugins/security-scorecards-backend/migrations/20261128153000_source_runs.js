/*
 * Copyright 2026 The Security Scorecards for Backstage Authors
 *
 * Licensed under the Apache License, Version 2.0 (the "License");
 * you may not use this file except in compliance with the License.
 * You may obtain a copy of the License at
 *
 *     http://www.apache.org/licenses/LICENSE-2.0
 *
 * Unless required by applicable law or agreed to in writing, software
 * distributed under the License is distributed on an "AS IS" BASIS,
 * WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
 * See the License for the specific language governing permissions and
 * limitations under the License.
 */

// @ts-check

/**
 * How each pull collector last ran for each entity.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('source_runs', table => {
    table.comment('The last run of each pull collector for each entity');
    table.string('source_id').notNullable().comment('Finding source id');
    table.string('entity_ref').notNullable().comment('Entity ref');
    table
      .timestamp('last_run_at', { useTz: true, precision: 3 })
      .notNullable()
      .comment('When it last ran');
    table
      .timestamp('last_success_at', { useTz: true, precision: 3 })
      .nullable()
      .comment('When it last ran without an error');
    table.text('last_error').nullable().comment('Why the last run failed');
    table
      .text('state')
      .nullable()
      .comment('What the collector keeps between runs, e.g. ETags of reports');
    table.primary(['source_id', 'entity_ref'], 'source_runs_pk');
    table.index(['entity_ref'], 'source_runs_entity_ref_idx');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('source_runs');
};
