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
 * Failed scans in the scan history, findings their report suppressed counted
 * apart, and the key that secret hashes are made with.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('scans', table => {
    table
      .string('status', 16)
      .notNullable()
      .defaultTo('succeeded')
      .comment(
        'succeeded, or failed: the scanner did not finish and nothing was changed',
      );
    table
      .text('error')
      .nullable()
      .comment('Why a failed scan failed, as the scanner said');
    table
      .integer('findings_suppressed')
      .notNullable()
      .defaultTo(0)
      .comment(
        'Findings of the report that the report itself suppresses (waived, false positive or not affected)',
      );
  });
  await knex.schema.alterTable('findings', table => {
    table
      .boolean('suppressed_in_report')
      .notNullable()
      .defaultTo(false)
      .comment(
        'The latest report of its source suppresses it (SARIF suppression, VEX not_affected, a dismissed alert), not a waiver',
      );
  });
  // A stored finding that is waived, a false positive or not affected
  // without a waiver that made it so has that status from its report.
  await knex('findings')
    .whereIn('status', ['waived', 'false_positive', 'not_affected'])
    .whereNull('waiver_id')
    .update({ suppressed_in_report: true });

  await knex.schema.createTable('plugin_keys', table => {
    table.comment('Keys the plugin makes for itself, one row per purpose');
    table
      .string('name', 64)
      .primary()
      .notNullable()
      .comment('What the key is for, e.g. secret-hash');
    table
      .text('key')
      .notNullable()
      .comment(
        'The key, base64; made at random by the first instance to start',
      );
    table
      .timestamp('created_at', { useTz: true, precision: 3 })
      .notNullable()
      .comment('When it was made');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('plugin_keys');
  await knex.schema.alterTable('findings', table => {
    table.dropColumn('suppressed_in_report');
  });
  await knex.schema.alterTable('scans', table => {
    table.dropColumn('status');
    table.dropColumn('error');
    table.dropColumn('findings_suppressed');
  });
};
