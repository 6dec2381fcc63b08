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
 * Check results counted per owner group, so that compliance rollups read
 * one row per group and check instead of one per entity and check.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('owner_group_check_counts', table => {
    table.comment(
      'Rubric check results of the scored entities, counted per owner group',
    );
    table
      .string('owner_group_ref')
      .notNullable()
      .comment('The owner group of the entities; empty for none');
    table.string('check_id').notNullable().comment('Rubric check id');
    table.integer('pass').notNullable().comment('Entities that pass');
    table.integer('fail').notNullable().comment('Entities that fail');
    table
      .integer('not_applicable')
      .notNullable()
      .comment('Entities the check does not apply to');
    table.primary(
      ['owner_group_ref', 'check_id'],
      'owner_group_check_counts_pk',
    );
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('owner_group_check_counts');
};
