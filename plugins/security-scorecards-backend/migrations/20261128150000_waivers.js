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
 * Waivers (risk acceptances), their history, and which waiver made a
 * finding `waived`.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('waivers', table => {
    table.comment(
      'Risk acceptances: while active, the matching open findings of the entity are waived',
    );
    table.string('id', 36).primary().notNullable().comment('UUID');
    table
      .string('entity_ref')
      .notNullable()
      .comment('Catalog entity whose findings it waives');
    table
      .string('finding_id', 36)
      .nullable()
      .comment('Scope: this one finding');
    table
      .string('rule_id')
      .nullable()
      .comment('Scope: every finding of this rule');
    table
      .text('purl')
      .nullable()
      .comment(
        'Scope: every finding in this package; without a version, in any version of it',
      );
    table
      .text('justification')
      .notNullable()
      .comment('Why the risk is accepted');
    table
      .string('vex_justification', 64)
      .nullable()
      .comment('CycloneDX VEX justification, when the requester gave one');
    table
      .string('status', 16)
      .notNullable()
      .comment('pending, active, expired, revoked or rejected');
    table.string('requested_by').notNullable().comment('Who requested it');
    table
      .timestamp('requested_at', { useTz: true, precision: 3 })
      .notNullable()
      .comment('When it was requested');
    table.string('approved_by').nullable().comment('Who approved it');
    table
      .timestamp('approved_at', { useTz: true, precision: 3 })
      .nullable()
      .comment('When it was approved');
    table.string('rejected_by').nullable().comment('Who rejected it');
    table
      .timestamp('rejected_at', { useTz: true, precision: 3 })
      .nullable()
      .comment('When it was rejected');
    table
      .timestamp('expires_at', { useTz: true, precision: 3 })
      .notNullable()
      .comment('When it ends and its findings open again');
    table.string('revoked_by').nullable().comment('Who revoked it');
    table
      .timestamp('revoked_at', { useTz: true, precision: 3 })
      .nullable()
      .comment('When it was revoked');
    table.index(['entity_ref', 'status'], 'waivers_entity_status_idx');
    table.index(['status', 'expires_at'], 'waivers_status_expires_idx');
  });

  await knex.schema.createTable('waiver_events', table => {
    table.comment('History of every waiver change');
    table.bigIncrements('id').primary().comment('Order of the events');
    table
      .string('waiver_id', 36)
      .notNullable()
      .references('id')
      .inTable('waivers')
      .onDelete('CASCADE')
      .comment('The waiver');
    table
      .string('action', 16)
      .notNullable()
      .comment('requested, approved, rejected, revoked or expired');
    table
      .string('actor')
      .notNullable()
      .comment('User or service that made the change; system for expiry');
    table
      .timestamp('at', { useTz: true, precision: 3 })
      .notNullable()
      .comment('When');
    table
      .text('detail')
      .nullable()
      .comment('JSON object: what changed, e.g. findings waived or reopened');
    table.index(['waiver_id'], 'waiver_events_waiver_idx');
  });

  await knex.schema.alterTable('findings', table => {
    table
      .string('waiver_id', 36)
      .nullable()
      .comment(
        'The waiver that made the finding waived; null when a report set its status',
      );
    table.index(['waiver_id'], 'findings_waiver_idx');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  // Findings waived by a waiver are open as far as their reports go.
  await knex('findings')
    .whereNotNull('waiver_id')
    .where('status', 'waived')
    .update({ status: 'open' });
  await knex.schema.alterTable('findings', table => {
    table.dropIndex(['waiver_id'], 'findings_waiver_idx');
    table.dropColumn('waiver_id');
  });
  await knex.schema.dropTable('waiver_events');
  await knex.schema.dropTable('waivers');
};
