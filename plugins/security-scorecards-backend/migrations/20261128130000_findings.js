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
 * Findings and dependencies of entities, and the lifecycle counts of each scan.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('scans', table => {
    table
      .integer('findings_total')
      .notNullable()
      .defaultTo(0)
      .comment('Findings in the report, after de-duplication');
    table
      .integer('findings_new')
      .notNullable()
      .defaultTo(0)
      .comment('Findings first seen in this scan');
    table
      .integer('findings_reopened')
      .notNullable()
      .defaultTo(0)
      .comment('Fixed findings that came back in this scan');
    table
      .integer('findings_fixed')
      .notNullable()
      .defaultTo(0)
      .comment('Findings of the previous scan missing from this one');
    table
      .integer('findings_unchanged')
      .notNullable()
      .defaultTo(0)
      .comment('Findings already known and still present');
    table
      .string('dependencies_sha256', 64)
      .nullable()
      .comment(
        'SHA-256 of the dependency list, to skip rewriting an unchanged one',
      );
  });

  await knex.schema.createTable('findings', table => {
    table.comment(
      'Normalized findings of catalog entities, one row per entity, source and fingerprint',
    );
    table
      .uuid('id')
      .primary()
      .notNullable()
      .comment(
        'Derived from entity, source and fingerprint, so a finding keeps its id across scans',
      );
    table
      .string('entity_ref')
      .notNullable()
      .comment('Catalog entity the finding belongs to');
    table
      .string('source')
      .notNullable()
      .comment(
        'Scan scope that reported it; a new scan of the scope replaces its findings',
      );
    table
      .string('fingerprint', 64)
      .notNullable()
      .comment('Stable identity of the finding within entity and source');
    table
      .string('category', 16)
      .notNullable()
      .comment('sast, sca, secret, iac, container, dast or other');
    table
      .string('severity', 16)
      .notNullable()
      .comment('critical, high, medium, low or info');
    table
      .integer('severity_rank')
      .notNullable()
      .comment('0 for critical to 4 for info, for sorting');
    table
      .string('rule_id')
      .notNullable()
      .comment('Rule or advisory id of the scanner');
    table.text('title').notNullable().comment('Short title');
    table
      .text('description')
      .nullable()
      .comment('Plain text description, secrets redacted');
    table
      .string('cvss_version', 8)
      .nullable()
      .comment('CVSS version of cvss_score');
    table.float('cvss_score').nullable().comment('CVSS base score');
    table.text('cvss_vector').nullable().comment('CVSS vector string');
    table
      .text('identifiers')
      .notNullable()
      .comment('JSON array of CVE, GHSA and CWE ids');
    table
      .text('package_purl')
      .nullable()
      .comment('Package URL of the affected package');
    table
      .string('package_name')
      .nullable()
      .comment('Name of the affected package');
    table
      .string('package_version')
      .nullable()
      .comment('Installed version of the affected package');
    table
      .string('package_ecosystem', 64)
      .nullable()
      .comment('Ecosystem of the affected package');
    table
      .text('package_fixed_versions')
      .notNullable()
      .comment('JSON array of versions that fix it');
    table.text('location_path').nullable().comment('File the finding is in');
    table.integer('location_line').nullable().comment('Line of the finding');
    table.string('scanner').notNullable().comment('Tool that reported it');
    table
      .string('status', 16)
      .notNullable()
      .comment('open, fixed, waived, false_positive or not_affected');
    table
      .text('status_reason')
      .nullable()
      .comment('Why the status is not open, as reported');
    table
      .string('secret_redacted')
      .nullable()
      .comment('Redacted excerpt of a secret; never the secret');
    table.string('secret_sha256', 64).nullable().comment('SHA-256 of a secret');
    table
      .float('epss')
      .nullable()
      .comment('EPSS probability, where the source gives it');
    table
      .boolean('known_exploited')
      .notNullable()
      .defaultTo(false)
      .comment('Listed as exploited in the wild');
    table
      .text('references')
      .notNullable()
      .comment('JSON array of advisory links');
    table
      .timestamp('first_seen_at', { useTz: true, precision: 3 })
      .notNullable()
      .comment('First scan that reported it');
    table
      .timestamp('last_seen_at', { useTz: true, precision: 3 })
      .notNullable()
      .comment(
        'When it was last written; while it is not fixed, the latest scan of its source saw it too',
      );
    table
      .string('content_sha256', 64)
      .notNullable()
      .comment(
        'SHA-256 of the finding as reported, to skip rewriting unchanged findings',
      );
    table
      .timestamp('fixed_at', { useTz: true, precision: 3 })
      .nullable()
      .comment('When a scan of its source last missed it');
    table.index(
      ['entity_ref', 'status', 'severity_rank'],
      'findings_entity_status_severity_idx',
    );
  });

  await knex.schema.createTable('dependencies', table => {
    table.comment(
      'Dependencies (SBOM components) of catalog entities, replaced by each scan of their source',
    );
    table
      .string('entity_ref')
      .notNullable()
      .comment('Catalog entity that depends on the package');
    table.string('source').notNullable().comment('Scan scope that reported it');
    table
      .string('dependency_key', 512)
      .notNullable()
      .comment('Package URL, or name@version without one');
    table.text('purl').nullable().comment('Package URL');
    table
      .string('purl_base', 512)
      .nullable()
      .comment(
        'Package URL without version, qualifiers and subpath, to find every version in use',
      );
    table.string('name').notNullable().comment('Package name');
    table.string('version').nullable().comment('Package version');
    table.string('ecosystem', 64).nullable().comment('Package ecosystem');
    table
      .text('licenses')
      .notNullable()
      .comment('JSON array of licence ids or names');
    table
      .boolean('direct')
      .nullable()
      .comment('Direct dependency; null when the source does not say');
    table.primary(
      ['entity_ref', 'source', 'dependency_key'],
      'dependencies_pk',
    );
    table.index(['name'], 'dependencies_name_idx');
    table.index(['purl_base'], 'dependencies_purl_base_idx');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('dependencies');
  await knex.schema.dropTable('findings');
  await knex.schema.alterTable('scans', table => {
    table.dropColumn('findings_total');
    table.dropColumn('findings_new');
    table.dropColumn('findings_reopened');
    table.dropColumn('findings_fixed');
    table.dropColumn('findings_unchanged');
    table.dropColumn('dependencies_sha256');
  });
};
