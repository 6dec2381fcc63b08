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

const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'];

/**
 * Scorecards: the catalog facts they need, the current result per entity,
 * daily history, CI gate runs, and the categories each scan covered.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('scans', table => {
    table
      .string('categories', 128)
      .notNullable()
      .defaultTo('')
      .comment(
        'Finding categories the scan looked for, comma separated with a leading and trailing comma',
      );
  });
  // Scans stored before this migration: what their format and findings say.
  await knex('scans')
    .whereIn('format', ['gitleaks'])
    .update({ categories: ',secret,' });
  await knex('scans')
    .whereIn('format', [
      'grype',
      'osv',
      'npm-audit',
      'github-dependabot',
      'cyclonedx',
    ])
    .update({ categories: ',sca,' });
  await knex('scans')
    .whereIn('format', ['sarif', 'github-code-scanning'])
    .update({ categories: ',sast,' });
  await knex('scans').where('format', 'trivy').update({ categories: ',sca,' });

  await knex.schema.createTable('catalog_entities', table => {
    table.comment(
      'The catalog facts scorecards and rollups need, refreshed on a schedule',
    );
    table.string('entity_ref').primary().notNullable().comment('Entity ref');
    table.string('kind', 64).notNullable().comment('Lower-case entity kind');
    table.text('title').nullable().comment('Title, or name');
    table.string('owner_ref').nullable().comment('spec.owner as an entity ref');
    table
      .string('owner_group_ref')
      .nullable()
      .comment(
        'The group that answers for the entity: the owner group, or the first group of an owning user',
      );
    table
      .string('parent_ref')
      .nullable()
      .comment('Groups: spec.parent as an entity ref');
    table
      .text('annotations')
      .notNullable()
      .comment('JSON object of the entity annotations');
    table
      .timestamp('refreshed_at', { useTz: true, precision: 3 })
      .notNullable()
      .comment('Last refresh that saw the entity in the catalog');
    table
      .timestamp('missing_since', { useTz: true, precision: 3 })
      .nullable()
      .comment(
        'First refresh that no longer saw it; its data is removed after the retention period',
      );
    table.index(['owner_group_ref'], 'catalog_entities_owner_group_idx');
    table.index(['kind'], 'catalog_entities_kind_idx');
  });

  await knex.schema.createTable('entity_scorecards', table => {
    table.comment('The latest rubric evaluation of each entity');
    table.string('entity_ref').primary().notNullable().comment('Entity ref');
    table
      .integer('level_rank')
      .notNullable()
      .comment('Maturity level reached, 0 when none');
    table.float('score').notNullable().comment('0 to 100');
    table
      .text('reason')
      .nullable()
      .comment('Why the entity is at level 0 without data');
    table
      .text('checks')
      .notNullable()
      .comment('JSON array of the check results, with evidence');
    for (const severity of SEVERITIES) {
      table
        .integer(`open_${severity}`)
        .notNullable()
        .defaultTo(0)
        .comment(`Open ${severity} findings`);
    }
    table
      .integer('past_sla')
      .notNullable()
      .defaultTo(0)
      .comment('Open findings past their SLA');
    for (const severity of SEVERITIES) {
      table
        .integer(`fixed_90d_${severity}`)
        .notNullable()
        .defaultTo(0)
        .comment(`${severity} findings fixed in the 90 days before evaluation`);
      table
        .float(`fixed_90d_days_${severity}`)
        .notNullable()
        .defaultTo(0)
        .comment(`Sum of days those ${severity} findings stayed open`);
    }
    table
      .text('last_scans')
      .notNullable()
      .comment('JSON object: latest scan time per finding category');
    table
      .string('result_sha256', 64)
      .notNullable()
      .comment('SHA-256 of the result, to skip rewriting unchanged ones');
    table
      .timestamp('evaluated_at', { useTz: true, precision: 3 })
      .notNullable()
      .comment('Latest evaluation');
    table
      .timestamp('changed_at', { useTz: true, precision: 3 })
      .notNullable()
      .comment('Latest evaluation that changed the result');
  });

  await knex.schema.createTable('entity_check_results', table => {
    table.comment(
      'One row per entity and rubric check, for compliance rollups',
    );
    table.string('entity_ref').notNullable().comment('Entity ref');
    table.string('check_id').notNullable().comment('Rubric check id');
    table
      .string('status', 16)
      .notNullable()
      .comment('pass, fail or not-applicable');
    table.primary(['entity_ref', 'check_id'], 'entity_check_results_pk');
  });

  await knex.schema.createTable('scorecard_history', table => {
    table.comment(
      'One point per entity or group per day: level, score and open findings',
    );
    table
      .string('subject_ref')
      .notNullable()
      .comment('Entity ref, or group ref for subtree rollups');
    table.string('day', 10).notNullable().comment('YYYY-MM-DD in UTC');
    table
      .integer('level_rank')
      .nullable()
      .comment('Entities: level reached; groups: null');
    table
      .float('score')
      .notNullable()
      .comment('Entities: score; groups: average score');
    table
      .integer('entity_count')
      .nullable()
      .comment('Groups: entities in the subtree');
    for (const severity of SEVERITIES) {
      table
        .integer(`open_${severity}`)
        .notNullable()
        .defaultTo(0)
        .comment(`Open ${severity} findings`);
    }
    table
      .integer('past_sla')
      .notNullable()
      .defaultTo(0)
      .comment('Open findings past their SLA');
    table.primary(['subject_ref', 'day'], 'scorecard_history_pk');
  });

  await knex.schema.createTable('gate_runs', table => {
    table.comment('CI gate evaluations, recorded for the gate-enforced check');
    table.string('id', 36).primary().notNullable().comment('UUID of the run');
    table.string('entity_ref').notNullable().comment('Entity ref');
    table.boolean('passed').notNullable().comment('Whether every rule passed');
    table.text('policy').notNullable().comment('JSON of the evaluated policy');
    table.text('result').notNullable().comment('JSON of the rule results');
    table.string('source').nullable().comment('Scan source it gated');
    table.string('commit_sha').nullable().comment('Commit it gated');
    table.string('branch').nullable().comment('Branch it gated');
    table
      .string('created_by')
      .notNullable()
      .comment('User or service that ran it');
    table
      .timestamp('created_at', { useTz: true, precision: 3 })
      .notNullable()
      .comment('When it ran');
    table.index(['entity_ref', 'created_at'], 'gate_runs_entity_created_idx');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('gate_runs');
  await knex.schema.dropTable('scorecard_history');
  await knex.schema.dropTable('entity_check_results');
  await knex.schema.dropTable('entity_scorecards');
  await knex.schema.dropTable('catalog_entities');
  await knex.schema.alterTable('scans', table => {
    table.dropColumn('categories');
  });
};
