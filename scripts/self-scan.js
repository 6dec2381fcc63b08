#!/usr/bin/env node
/*
 * The self-scan behind `npm run self-scan` and the last step of `.ci/run`:
 * this repository gates itself with its own product.
 *
 * 1. Scans the repository with the pinned tools of
 *    `.security-scorecards/tools/package.json` (installed with `npm ci`,
 *    outside the Yarn workspace): a CycloneDX SBOM of every workspace (the
 *    CycloneDX Yarn plugin, merged into one), ESLint with eslint-plugin-security
 *    as SARIF, and secretlint as SARIF (with the waivers of
 *    `.security-scorecards/waivers.json` as SARIF suppressions).
 * 2. Checks each report with `security-scorecards validate`.
 * 3. Starts the demo backend on a free port (in-memory SQLite, the demo catalog
 *    with this repository's `catalog-info.yaml`) with a static token
 *    (`.security-scorecards/app-config.yaml`).
 * 4. Uploads the reports for the repository's entity with
 *    `security-scorecards upload` and runs `security-scorecards gate` with
 *    `.security-scorecards/policy.yaml`; stops the backend.
 *
 * Exit codes: 0 the gate passed, 1 the gate failed, 2 a tool, the backend or
 * an upload failed. Reports and the backend's log are left in
 * `node_modules/.cache/self-scan/`.
 *
 * With `--update-demo` it also copies the validated reports to `demo/self-scan/`
 * (gzipped when larger than 2 MB), with a `manifest.json` naming the entity and
 * each report's source: the demo backend uploads them at start-up
 * (packages/backend/src/modules/demoScans.ts), so the repository's own
 * scorecard is part of the demo data.
 *
 * Like scripts/toolchain.js it starts on plain Node.js 20 with only npm: it
 * lets toolchain.js install the workspace (fetching Node.js 24 when needed),
 * then runs itself again under that Node.js.
 */
'use strict';

const { spawn, spawnSync } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const net = require('node:net');
const path = require('node:path');
const url = require('node:url');
const zlib = require('node:zlib');

const repoRoot = path.resolve(__dirname, '..');
const configDir = path.join(repoRoot, '.security-scorecards');
const toolsDir = path.join(configDir, 'tools');
const toolsModules = path.join(toolsDir, 'node_modules');
const outputDir = path.join(repoRoot, 'node_modules', '.cache', 'self-scan');
const yarnRelease = path.join(repoRoot, '.yarn', 'releases', 'yarn-4.13.0.cjs');
const cliBin = path.join(
  repoRoot,
  'packages',
  'cli',
  'bin',
  'security-scorecards',
);
const policyFile = path.join(configDir, 'policy.yaml');
const demoDir = path.join(repoRoot, 'demo', 'self-scan');
/** Demo copies larger than this are gzipped (the upload API accepts gzip). */
const demoGzipAboveBytes = 2 * 1024 * 1024;

/** Exit code when the gate fails. */
const GATE_FAILED = 1;
/** Exit code when the scan itself could not run. */
const TOOLING_FAILED = 2;

const backendStartTimeoutMs = 5 * 60_000;
const catalogTimeoutMs = 2 * 60_000;

class ToolingError extends Error {}

const startedAt = Date.now();

function log(message) {
  console.log(`[self-scan] ${message}`);
}

function seconds(since) {
  return `${((Date.now() - since) / 1000).toFixed(1)} s`;
}

function nodeMajor(version) {
  return Number(version.replace(/^v/, '').split('.')[0]);
}

function relative(file) {
  return path.relative(repoRoot, file);
}

// ---------------------------------------------------------------------------
// Node.js: make sure the workspace is installed, then run under Node.js >= 22.

/** The Node.js that scripts/toolchain.js uses on an older system Node.js. */
function toolchainNode() {
  const source = fs.readFileSync(path.join(__dirname, 'toolchain.js'), 'utf8');
  const match = source.match(/pinnedNodeVersion = '([0-9.]+)'/);
  if (!match) {
    throw new ToolingError(
      'cannot find pinnedNodeVersion in scripts/toolchain.js',
    );
  }
  return path.join(repoRoot, '.toolchain', `node-v${match[1]}`, 'bin', 'node');
}

function bootstrap() {
  const install = spawnSync(
    process.execPath,
    [path.join(__dirname, 'toolchain.js'), 'install'],
    { cwd: repoRoot, stdio: 'inherit' },
  );
  if (install.status !== 0) {
    throw new ToolingError(
      `node scripts/toolchain.js install failed (exit ${install.status})`,
    );
  }
  if (nodeMajor(process.version) >= 22) {
    return undefined;
  }
  const node = toolchainNode();
  if (!fs.existsSync(node)) {
    throw new ToolingError(`${relative(node)} is missing after the install`);
  }
  log(
    `Node.js ${process.version} is older than 22: running under ${relative(
      node,
    )}`,
  );
  const child = spawn(node, [__filename, ...process.argv.slice(2)], {
    cwd: repoRoot,
    stdio: 'inherit',
    env: {
      ...process.env,
      SELF_SCAN_BOOTSTRAPPED: '1',
      npm_config_nodedir: path.dirname(path.dirname(node)),
    },
  });
  // The child stops the backend it started when it is told to stop.
  const forward = signal => child.kill(signal);
  process.on('SIGINT', forward);
  process.on('SIGTERM', forward);
  return new Promise(resolve =>
    child.on('close', code => resolve(code ?? TOOLING_FAILED)),
  );
}

// ---------------------------------------------------------------------------
// Processes

/** The environment of every tool: this Node.js first on the PATH. */
function toolEnvironment(extra = {}) {
  return {
    ...process.env,
    PATH: [path.dirname(process.execPath), process.env.PATH].join(
      path.delimiter,
    ),
    FORCE_COLOR: '0',
    ...extra,
  };
}

/**
 * Runs a command to completion. Resolves with its exit code and output;
 * output is shown as it comes unless `quiet`.
 */
function run(command, args, { cwd = repoRoot, env, quiet = false } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd,
      env: env ?? toolEnvironment(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const collect = stream => chunk => {
      output += chunk;
      if (!quiet) stream.write(chunk);
    };
    child.stdout.on('data', collect(process.stdout));
    child.stderr.on('data', collect(process.stderr));
    child.on('error', reject);
    child.on('close', (code, signal) =>
      resolve({ code: code ?? (signal ? 128 : 0), output }),
    );
  });
}

async function runOrFail(what, command, args, options) {
  const result = await run(command, args, options);
  if (result.code !== 0) {
    if (options && options.quiet) process.stderr.write(result.output);
    throw new ToolingError(`${what} failed (exit ${result.code})`);
  }
  return result;
}

function node(args, options) {
  return run(process.execPath, args, options);
}

function readJson(file) {
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

function writeJson(file, value) {
  fs.writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`);
}

function sha256(text) {
  return crypto.createHash('sha256').update(text).digest('hex');
}

// ---------------------------------------------------------------------------
// The scanners

/** `npm ci` of the pinned scanners, again only when their lock file changed. */
async function installTools() {
  const stamp = path.join(toolsModules, '.self-scan-install');
  const digest = sha256(
    fs.readFileSync(path.join(toolsDir, 'package-lock.json')) +
      process.execPath,
  );
  if (fs.existsSync(stamp) && fs.readFileSync(stamp, 'utf8') === digest) {
    log('scanners already installed');
    return;
  }
  log('installing the scanners (npm ci in .security-scorecards/tools)');
  // With the PATH this script was started with: the system's npm on the
  // system's Node.js, and so with the system's npm configuration.
  await runOrFail(
    'npm ci of the scanners',
    'npm',
    ['ci', '--no-audit', '--no-fund', '--loglevel=error'],
    { cwd: toolsDir, env: { ...process.env, FORCE_COLOR: '0' } },
  );
  fs.writeFileSync(stamp, digest);
}

function toolVersion(name) {
  return readJson(path.join(toolsModules, name, 'package.json')).version;
}

/**
 * One CycloneDX SBOM for the repository: the Yarn plugin describes one
 * workspace and what it depends on, so it runs for each workspace and the
 * results are merged (components and dependency edges, without duplicates)
 * under the root workspace.
 */
async function scanSbom() {
  const plugin = path.join(
    toolsModules,
    '@cyclonedx',
    'yarn-plugin-cyclonedx',
    'yarn-plugin-cyclonedx.cjs',
  );
  const { output } = await runOrFail(
    'yarn workspaces list',
    process.execPath,
    [yarnRelease, 'workspaces', 'list', '--json'],
    { quiet: true },
  );
  const workspaces = output
    .split('\n')
    .filter(line => line.startsWith('{'))
    .map(line => JSON.parse(line));
  const partsDir = path.join(outputDir, 'sbom-workspaces');
  fs.rmSync(partsDir, { recursive: true, force: true });
  fs.mkdirSync(partsDir, { recursive: true });
  const env = toolEnvironment({ YARN_PLUGINS: plugin });

  const parts = [];
  const queue = [...workspaces];
  // Two at a time: each is a Yarn process reading the whole project.
  const worker = async () => {
    for (let workspace = queue.shift(); workspace; workspace = queue.shift()) {
      const file = path.join(
        partsDir,
        `${workspace.name.replace(/[@/]/g, '_')}.cdx.json`,
      );
      const args = [
        yarnRelease,
        'cyclonedx',
        '--output-reproducible',
        '--output-file',
        file,
      ];
      if (workspace.location === '.') args.push('--mc-type', 'library');
      const result = await run(process.execPath, args, {
        cwd: path.join(repoRoot, workspace.location),
        env,
        quiet: true,
      });
      if (result.code !== 0 || !fs.existsSync(file)) {
        process.stderr.write(result.output);
        throw new ToolingError(
          `the CycloneDX Yarn plugin failed on ${workspace.location} (exit ${result.code})`,
        );
      }
      parts.push({ workspace, bom: readJson(file) });
    }
  };
  await Promise.all([worker(), worker()]);

  const root = parts.find(part => part.workspace.location === '.');
  const merged = root.bom;
  const components = new Map();
  const dependencies = new Map();
  const addEdges = (ref, dependsOn = []) => {
    const edges = dependencies.get(ref) ?? new Set();
    dependsOn.forEach(edge => edges.add(edge));
    dependencies.set(ref, edges);
  };
  const rootRef = merged.metadata.component['bom-ref'];
  for (const { workspace, bom } of parts) {
    const main = bom.metadata.component;
    if (workspace.location !== '.') {
      if (!components.has(main['bom-ref'])) {
        components.set(main['bom-ref'], main);
      }
      addEdges(rootRef, [main['bom-ref']]);
    }
    for (const component of bom.components ?? []) {
      if (!components.has(component['bom-ref'])) {
        components.set(component['bom-ref'], component);
      }
    }
    for (const dependency of bom.dependencies ?? []) {
      addEdges(dependency.ref, dependency.dependsOn);
    }
  }
  merged.components = [...components.values()].sort((a, b) =>
    a['bom-ref'].localeCompare(b['bom-ref']),
  );
  merged.dependencies = [...dependencies.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([ref, dependsOn]) => ({ ref, dependsOn: [...dependsOn].sort() }));
  const file = path.join(outputDir, 'sbom.cdx.json');
  writeJson(file, merged);
  const packages = new Set(merged.components.map(c => c.purl).filter(Boolean));
  log(
    `SBOM: ${merged.components.length} components (${packages.size} distinct package URLs) ` +
      `from ${workspaces.length} workspaces, CycloneDX ${merged.specVersion}`,
  );
  return file;
}

/** The SARIF file URI of a path in the repository, relative to it. */
function repositoryUri(uri) {
  if (!uri.startsWith('file:')) return uri;
  const file = url.fileURLToPath(uri);
  const inRepo = path.relative(repoRoot, file);
  return inRepo.startsWith('..') ? uri : inRepo.split(path.sep).join('/');
}

function relativizeSarif(sarif) {
  for (const run of sarif.runs ?? []) {
    for (const artifact of run.artifacts ?? []) {
      if (artifact.location?.uri) {
        artifact.location.uri = repositoryUri(artifact.location.uri);
        artifact.location.uriBaseId = '%SRCROOT%';
      }
    }
    for (const result of run.results ?? []) {
      for (const location of result.locations ?? []) {
        const artifact = location.physicalLocation?.artifactLocation;
        if (artifact?.uri) {
          artifact.uri = repositoryUri(artifact.uri);
          artifact.uriBaseId = '%SRCROOT%';
        }
      }
    }
  }
}

/** packages/<name>/src and plugins/<name>/src, as they are on disk. */
function sourceDirectories() {
  return ['packages', 'plugins'].flatMap(parent =>
    fs
      .readdirSync(path.join(repoRoot, parent))
      .map(name => path.join(parent, name, 'src'))
      .filter(dir => fs.existsSync(path.join(repoRoot, dir)))
      .sort(),
  );
}

async function scanEslint() {
  const file = path.join(outputDir, 'eslint-security.sarif');
  fs.rmSync(file, { force: true });
  const directories = sourceDirectories();
  const result = await node(
    [
      path.join(toolsModules, 'eslint', 'bin', 'eslint.js'),
      '--no-eslintrc',
      '--config',
      path.join(configDir, 'eslintrc.json'),
      '--resolve-plugins-relative-to',
      toolsDir,
      '--ext',
      '.js,.jsx,.ts,.tsx,.mjs,.cjs',
      '--format',
      path.join(
        toolsModules,
        '@microsoft',
        'eslint-formatter-sarif',
        'sarif.js',
      ),
      '--output-file',
      file,
      ...directories,
    ],
    { quiet: true },
  );
  // 0: no error-level finding, 1: some (the gate judges them), 2: a crash.
  if (result.code > 1 || !fs.existsSync(file)) {
    process.stderr.write(result.output);
    throw new ToolingError(`ESLint failed (exit ${result.code})`);
  }
  const sarif = readJson(file);
  relativizeSarif(sarif);
  writeJson(file, sarif);
  const results = sarif.runs[0].results ?? [];
  const byRule = {};
  for (const finding of results) {
    byRule[finding.ruleId] = (byRule[finding.ruleId] ?? 0) + 1;
  }
  const errors = results.filter(finding => finding.level === 'error').length;
  log(
    `ESLint security: ${
      results.length
    } findings (${errors} errors) in ${directories.join(', ')}` +
      Object.entries(byRule)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([rule, count]) => `\n    ${count}\t${rule}`)
        .join(''),
  );
  return file;
}

/** Every file in git, and those not yet added (but not ignored). */
function repositoryFiles() {
  const git = spawnSync(
    'git',
    ['ls-files', '-z', '--cached', '--others', '--exclude-standard'],
    { cwd: repoRoot, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
  );
  if (git.status !== 0) {
    throw new ToolingError(`git ls-files failed: ${git.stderr}`);
  }
  return git.stdout
    .split('\0')
    .filter(file => file && fs.existsSync(path.join(repoRoot, file)));
}

/** Marks the results the waivers name as suppressed (accepted) in the SARIF. */
function applyWaivers(tool, sarif) {
  const { waivers } = readJson(path.join(configDir, 'waivers.json'));
  const mine = waivers.filter(waiver => waiver.tool === tool);
  const used = new Set();
  let waived = 0;
  for (const result of sarif.runs[0].results ?? []) {
    const location = result.locations?.[0]?.physicalLocation;
    const uri = location?.artifactLocation?.uri;
    const region = location?.region;
    if (!uri || !region?.startLine) continue;
    const lines = fs.readFileSync(path.join(repoRoot, uri), 'utf8').split('\n');
    const line = lines[region.startLine - 1] ?? '';
    const matched =
      region.endLine === region.startLine && region.endColumn
        ? line.slice((region.startColumn ?? 1) - 1, region.endColumn - 1)
        : line;
    const waiver = mine.find(
      candidate =>
        candidate.path === uri &&
        (result.ruleId === candidate.rule ||
          result.ruleId.endsWith(` > ${candidate.rule}`)) &&
        candidate.sha256 === sha256(matched),
    );
    if (waiver) {
      result.suppressions = [
        {
          kind: 'external',
          status: 'accepted',
          justification: waiver.justification,
        },
      ];
      used.add(waiver);
      waived += 1;
    }
  }
  for (const waiver of mine.filter(candidate => !used.has(candidate))) {
    log(
      `warning: waiver not used, remove it: ${waiver.rule} in ${waiver.path}`,
    );
  }
  return waived;
}

async function scanSecrets() {
  const file = path.join(outputDir, 'secretlint.sarif');
  fs.rmSync(file, { force: true });
  const files = repositoryFiles();
  const result = await node(
    [
      path.join(toolsModules, 'secretlint', 'bin', 'secretlint.js'),
      '--no-glob',
      '--no-color',
      '--secretlintrc',
      path.join(configDir, 'secretlintrc.json'),
      '--format',
      '@secretlint/secretlint-formatter-sarif',
      '--output',
      file,
      ...files,
    ],
    { quiet: true },
  );
  // 0: nothing found, 1: secrets found (the gate judges them).
  if (result.code > 1 || !fs.existsSync(file)) {
    process.stderr.write(result.output);
    throw new ToolingError(`secretlint failed (exit ${result.code})`);
  }
  const sarif = readJson(file);
  relativizeSarif(sarif);
  const waived = applyWaivers('secretlint', sarif);
  writeJson(file, sarif);
  const found = (sarif.runs[0].results ?? []).length;
  log(
    `secretlint: ${files.length} files, ${found} secrets found, ${waived} of them waived (.security-scorecards/waivers.json)`,
  );
  return file;
}

// ---------------------------------------------------------------------------
// The backend

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

const sleep = ms => new Promise(resolve => setTimeout(resolve, ms));

/** Starts the demo backend in its own process group; `stop()` ends the group. */
async function startBackend({ port, token }) {
  const logFile = path.join(outputDir, 'backend.log');
  const logFd = fs.openSync(logFile, 'w');
  const child = spawn(
    process.execPath,
    [
      yarnRelease,
      'workspace',
      'backend',
      'start',
      '--config',
      path.join(repoRoot, 'app-config.yaml'),
      '--config',
      path.join(configDir, 'app-config.yaml'),
    ],
    {
      cwd: repoRoot,
      env: toolEnvironment({
        SELF_SCAN_BACKEND_PORT: String(port),
        SECURITY_SCORECARDS_CI_TOKEN: token,
      }),
      stdio: ['ignore', logFd, logFd],
      detached: true,
    },
  );
  fs.closeSync(logFd);
  let exited = false;
  const exit = new Promise(resolve =>
    child.on('exit', code => {
      exited = true;
      resolve(code);
    }),
  );
  const signalGroup = signal => {
    try {
      process.kill(-child.pid, signal);
    } catch {
      // already gone
    }
  };
  const backend = {
    logFile,
    exited: () => exited,
    async stop() {
      if (exited) return;
      signalGroup('SIGTERM');
      const stopped = await Promise.race([exit, sleep(15_000)]);
      if (!exited && stopped === undefined) signalGroup('SIGKILL');
    },
    signalGroup,
  };
  return backend;
}

async function waitFor(what, timeoutMs, backend, probe) {
  const since = Date.now();
  for (;;) {
    if (backend.exited()) {
      throw new ToolingError(`the backend exited while waiting for ${what}`);
    }
    try {
      if (await probe()) return;
    } catch (error) {
      if (error instanceof ToolingError) throw error;
      // not listening yet
    }
    if (Date.now() - since > timeoutMs) {
      throw new ToolingError(
        `timed out after ${timeoutMs / 1000} s waiting for ${what}`,
      );
    }
    await sleep(1000);
  }
}

/** `component:default/name` of catalog-info.yaml (kind, namespace, name). */
function entityRefOfCatalogInfo() {
  const text = fs.readFileSync(
    path.join(repoRoot, 'catalog-info.yaml'),
    'utf8',
  );
  const kind = text.match(/^kind:\s*(\S+)/m);
  const name = text.match(/^ {2}name:\s*(\S+)/m);
  const namespace = text.match(/^ {2}namespace:\s*(\S+)/m);
  if (!kind || !name) {
    throw new ToolingError(
      'cannot read kind and metadata.name of catalog-info.yaml',
    );
  }
  return `${kind[1].toLowerCase()}:${namespace ? namespace[1] : 'default'}/${
    name[1]
  }`;
}

function git(args) {
  const result = spawnSync('git', args, { cwd: repoRoot, encoding: 'utf8' });
  return result.status === 0 ? result.stdout.trim() : undefined;
}

/**
 * `--update-demo`: copies the reports to demo/self-scan/ for the demo backend,
 * with a manifest of the entity and each report's source. The secretlint
 * report carries the waivers as SARIF suppressions, so the demo shows those
 * findings as waived, as the gate sees them.
 */
function updateDemo(entityRef, reports) {
  const manifestFile = path.join(demoDir, 'manifest.json');
  if (fs.existsSync(manifestFile)) {
    for (const report of readJson(manifestFile).reports) {
      fs.rmSync(path.join(demoDir, report.file), { force: true });
    }
  }
  fs.mkdirSync(demoDir, { recursive: true });
  const manifest = { entityRef, reports: [] };
  for (const { source, file } of reports) {
    const bytes = fs.readFileSync(path.join(repoRoot, file));
    const gzip = bytes.length > demoGzipAboveBytes;
    const name = `${path.basename(file)}${gzip ? '.gz' : ''}`;
    fs.writeFileSync(
      path.join(demoDir, name),
      gzip ? zlib.gzipSync(bytes, { level: 9 }) : bytes,
    );
    manifest.reports.push({
      source,
      file: name,
      ...(gzip ? { contentEncoding: 'gzip' } : {}),
    });
  }
  writeJson(manifestFile, manifest);
  log(
    `demo data updated: ${relative(demoDir)}/ (${manifest.reports
      .map(report => report.file)
      .join(', ')}) for ${entityRef}`,
  );
}

// ---------------------------------------------------------------------------

async function main() {
  if (!process.env.SELF_SCAN_BOOTSTRAPPED) {
    const code = await bootstrap();
    if (code !== undefined) return code;
  }
  fs.mkdirSync(outputDir, { recursive: true });

  let since = Date.now();
  await installTools();
  const { dependencies } = readJson(path.join(toolsDir, 'package.json'));
  log(
    `scanners (${seconds(since)}): ${Object.keys(dependencies)
      .map(name => `${name}@${toolVersion(name)}`)
      .join(', ')}`,
  );

  // Each report with the source it is sent as: a new scan of a source
  // replaces the previous one. The quick scans first, to fail fast.
  const reports = [];
  for (const [source, scan] of [
    ['eslint-security', scanEslint],
    ['secretlint', scanSecrets],
    ['sbom', scanSbom],
  ]) {
    since = Date.now();
    reports.push({ source, file: relative(await scan()) });
    log(`  (${seconds(since)})`);
  }

  since = Date.now();
  for (const { file } of reports) {
    const { code } = await node([cliBin, 'validate', file]);
    if (code !== 0) {
      throw new ToolingError(
        `security-scorecards validate ${file} failed (exit ${code})`,
      );
    }
  }
  log(`reports valid (${seconds(since)})`);

  const entityRef = process.env.SELF_SCAN_ENTITY || entityRefOfCatalogInfo();
  if (process.argv.includes('--update-demo')) updateDemo(entityRef, reports);
  const port = Number(process.env.SELF_SCAN_BACKEND_PORT) || (await freePort());
  const token =
    process.env.SECURITY_SCORECARDS_CI_TOKEN ||
    crypto.randomBytes(24).toString('hex');
  const backendUrl = `http://localhost:${port}`;

  since = Date.now();
  log(
    `starting the backend on ${backendUrl} (log: ${relative(
      path.join(outputDir, 'backend.log'),
    )})`,
  );
  const backend = await startBackend({ port, token });
  const onSignal = signal => {
    backend.signalGroup('SIGTERM');
    process.exit(signal === 'SIGINT' ? 130 : 143);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    await waitFor(
      '/api/security-scorecards/health',
      backendStartTimeoutMs,
      backend,
      async () => {
        const response = await fetch(
          `${backendUrl}/api/security-scorecards/health`,
        );
        return response.ok;
      },
    );
    log(`backend healthy (${seconds(since)})`);
    const [kind, rest] = entityRef.split(':');
    const [namespace, name] = rest.split('/');
    await waitFor(
      `${entityRef} in the catalog`,
      catalogTimeoutMs,
      backend,
      async () => {
        const response = await fetch(
          `${backendUrl}/api/catalog/entities/by-name/${kind}/${namespace}/${name}`,
          { headers: { Authorization: `Bearer ${token}` } },
        );
        if (response.status === 401 || response.status === 403) {
          throw new ToolingError(
            `the catalog refused the self-scan token (${response.status})`,
          );
        }
        return response.ok;
      },
    );
    log(`${entityRef} is in the catalog (${seconds(since)})`);

    const cliEnv = toolEnvironment({
      BACKSTAGE_URL: backendUrl,
      BACKSTAGE_TOKEN: token,
      BACKSTAGE_PORTAL_URL: 'http://localhost:3000',
    });
    const context = [];
    const commit = git(['rev-parse', 'HEAD']);
    const branch = git(['rev-parse', '--abbrev-ref', 'HEAD']);
    if (commit) context.push('--commit', commit);
    if (branch && branch !== 'HEAD') context.push('--branch', branch);

    for (const { source, file } of reports) {
      const upload = await node(
        [
          cliBin,
          'upload',
          '--entity',
          entityRef,
          '--file',
          file,
          '--source',
          source,
          ...context,
        ],
        { env: cliEnv },
      );
      if (upload.code !== 0) {
        throw new ToolingError(
          `security-scorecards upload of ${file} failed (exit ${upload.code})`,
        );
      }
    }

    const gate = await node(
      [
        cliBin,
        'gate',
        '--entity',
        entityRef,
        '--policy',
        relative(policyFile),
        ...context,
      ],
      { env: cliEnv },
    );
    if (gate.code === GATE_FAILED) {
      log(
        `FAILED: ${entityRef} does not pass ${relative(policyFile)} (${seconds(
          startedAt,
        )} in all)`,
      );
      return GATE_FAILED;
    }
    if (gate.code !== 0) {
      throw new ToolingError(
        `security-scorecards gate could not run (exit ${gate.code})`,
      );
    }
    log(
      `passed: ${entityRef} passes ${relative(policyFile)} (${seconds(
        startedAt,
      )} in all)`,
    );
    return 0;
  } catch (error) {
    if (fs.existsSync(backend.logFile)) {
      const tail = fs
        .readFileSync(backend.logFile, 'utf8')
        .split('\n')
        .slice(-40)
        .join('\n');
      console.error(
        `[self-scan] the last lines of ${relative(backend.logFile)}:\n${tail}`,
      );
    }
    throw error;
  } finally {
    await backend.stop();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

main().then(
  code => process.exit(code),
  error => {
    console.error(
      `\n[self-scan] ${
        error instanceof ToolingError ? error.message : error.stack ?? error
      }`,
    );
    console.error('[self-scan] the self-scan could not run (exit 2)');
    process.exit(TOOLING_FAILED);
  },
);
