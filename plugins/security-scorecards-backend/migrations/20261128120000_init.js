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
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('scans', table => {
    table.comment('One scan report ingested for a catalog entity');
    table.string('id', 36).primary().notNullable().comment('UUID of the scan');
    table
      .string('entity_ref')
      .notNullable()
      .comment(
        'Catalog entity the scan is about, e.g. component:default/payments',
      );
    table
      .string('source')
      .notNullable()
      .comment(
        'Scope a later scan of the same entity replaces; defaults to the scanner name',
      );
    table
      .string('format')
      .notNullable()
      .comment('Report format, e.g. sarif, cyclonedx');
    table
      .string('scanner')
      .notNullable()
      .comment('Tool that produced the report');
    table
      .string('scanner_version')
      .nullable()
      .comment('Version of that tool, when reported');
    table
      .string('commit_sha')
      .nullable()
      .comment('Commit the scan ran on, when given');
    table
      .string('branch')
      .nullable()
      .comment('Branch the scan ran on, when given');
    table
      .string('created_by')
      .notNullable()
      .comment('User or service entity ref of the uploader');
    table
      .timestamp('created_at', { useTz: true, precision: 3 })
      .notNullable()
      .comment('When the scan was ingested');
    for (const severity of ['critical', 'high', 'medium', 'low', 'info']) {
      table
        .integer(`open_${severity}`)
        .notNullable()
        .defaultTo(0)
        .comment(`Open ${severity} findings in the scan`);
    }
    table
      .integer('dependency_count')
      .notNullable()
      .defaultTo(0)
      .comment('Dependencies (SBOM components) in the scan');
    table.index(
      ['entity_ref', 'created_at'],
      'scans_entity_ref_created_at_idx',
    );
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('scans');
};
