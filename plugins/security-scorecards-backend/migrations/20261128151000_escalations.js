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
 * SLA escalations: one per entity and breach episode, and the ladder steps
 * sent for it, each claimed once (escalation, level) across backend instances.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('escalations', table => {
    table.comment(
      'Escalations of SLA breaches of an entity up its owner group hierarchy',
    );
    table
      .string('id', 36)
      .primary()
      .notNullable()
      .comment('UUID of the escalation');
    table
      .string('entity_ref')
      .notNullable()
      .comment('Catalog entity whose open findings are past their SLA');
    table
      .string('state', 16)
      .notNullable()
      .comment('active while breached findings are open, then closed');
    table
      .string('closed_reason', 32)
      .nullable()
      .comment('resolved (fixed or waived) or entity-removed');
    table
      .string('owner_group_ref')
      .nullable()
      .comment(
        'The group at level 1: the owner group, or the fallback group for entities without one',
      );
    table
      .integer('level')
      .notNullable()
      .comment('Highest level of the ladder reached at the latest run');
    table.string('target_ref').notNullable().comment('The group of that level');
    table
      .integer('finding_count')
      .notNullable()
      .comment('Open findings past their SLA at the latest run');
    table
      .string('severity', 16)
      .notNullable()
      .comment('Highest (SLA) severity among them');
    table
      .timestamp('breached_at', { useTz: true, precision: 3 })
      .notNullable()
      .comment(
        'Earliest due date of those findings; the ladder is timed from it',
      );
    table
      .timestamp('next_step_at', { useTz: true, precision: 3 })
      .nullable()
      .comment('When the next level is reached; null at the top');
    table
      .text('ladder')
      .notNullable()
      .comment(
        'JSON array of the planned levels (level, targetRef, dueAt) at the latest run',
      );
    table
      .timestamp('created_at', { useTz: true, precision: 3 })
      .notNullable()
      .comment('When the escalation was opened');
    table
      .timestamp('updated_at', { useTz: true, precision: 3 })
      .notNullable()
      .comment('Latest run that changed it');
    table
      .timestamp('closed_at', { useTz: true, precision: 3 })
      .nullable()
      .comment('When it was closed');
    table.index(['entity_ref', 'created_at'], 'escalations_entity_idx');
    table.index(['owner_group_ref'], 'escalations_owner_group_idx');
    table.index(['state'], 'escalations_state_idx');
  });
  // At most one active escalation per entity, also with several backend
  // instances opening them at once (a partial unique index on both databases).
  await knex.raw(
    `CREATE UNIQUE INDEX escalations_active_entity_idx ON escalations (entity_ref) WHERE state = 'active'`,
  );

  await knex.schema.createTable('escalation_steps', table => {
    table.comment(
      'Ladder steps of escalations: claimed before the notification is sent, so each is sent once',
    );
    table
      .string('escalation_id', 36)
      .notNullable()
      .references('id')
      .inTable('escalations')
      .onDelete('CASCADE')
      .comment('The escalation');
    table.integer('level').notNullable().comment('Level of the ladder, from 1');
    table.string('target_ref').notNullable().comment('The group notified');
    table
      .timestamp('due_at', { useTz: true, precision: 3 })
      .notNullable()
      .comment('When the level was reached');
    table
      .timestamp('claimed_at', { useTz: true, precision: 3 })
      .notNullable()
      .comment('When a run claimed the step to send it');
    table
      .timestamp('notified_at', { useTz: true, precision: 3 })
      .nullable()
      .comment('When the notification was sent; null while being sent');
    table.primary(['escalation_id', 'level'], 'escalation_steps_pk');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('escalation_steps');
  await knex.schema.dropTable('escalations');
};
