import fc from 'fast-check';
import fs from 'node:fs';
import { performance } from 'node:perf_hooks';
import { collectReport } from './collectReport';
import { ParseReportOptions, readReport } from './parseReport';
import { ParsedReport, REPORT_FORMATS } from './types';
import {
  applyByteMutations,
  applyStructuralMutations,
  applyXmlMutations,
  bodyEncoding,
  byteMutation,
  decodedSize,
  describeBody,
  encodeBody,
  formatFor,
  FuzzTarget,
  fuzzTargets,
  isDocumentedError,
  readLimits,
  reportProblem,
  structuralMutation,
  timeBoundMs,
  xmlMutation,
} from './__testUtils__/fuzzReports';
import { readFixtureText } from './__testUtils__/parserFixtures';

/*
 * Fuzzing the parsers: mutated reports of every format are either read into
 * a well-formed report or refused with a documented error (InputError 400,
 * ReportTooLargeError 413, FailedScanError 422), within a time bound per
 * megabyte. FUZZ_RUNS sets the cases per property, FUZZ_SEED the seed; a
 * failure prints the seed and the counterexample that reproduce it.
 */

const DEFAULT_SEED = 20_261_213;
const DEFAULT_RUNS = 500;

const seed = Number(process.env.FUZZ_SEED ?? DEFAULT_SEED);
const numRuns = Number(process.env.FUZZ_RUNS ?? DEFAULT_RUNS);
if (!Number.isSafeInteger(seed) || !Number.isSafeInteger(numRuns)) {
  throw new Error(
    `FUZZ_SEED and FUZZ_RUNS must be integers; got ${process.env.FUZZ_SEED} and ${process.env.FUZZ_RUNS}`,
  );
}

const targets = fuzzTargets();
let casesRun = 0;
/** How the cases ended: read, or refused with which error. */
const outcomes = new Map<string, number>();
const startedAt = performance.now();

jest.setTimeout(Math.max(120_000, numRuns * 300));

afterAll(() => {
  // Jest buffers console output; stdout shows under CI=true as well.
  process.stdout.write(
    `fuzz: ${casesRun} cases over ${targets.length} formats in ${(
      (performance.now() - startedAt) /
      1000
    ).toFixed(1)} s (FUZZ_SEED=${seed} FUZZ_RUNS=${numRuns}): ${[...outcomes]
      .map(([outcome, count]) => `${count} ${outcome}`)
      .join(', ')}\n`,
  );
});

function fingerprintsOf(report: ParsedReport): string {
  return JSON.stringify([
    report.findings.map(finding => finding.fingerprint),
    report.dependencies.map(dependency => [dependency.purl, dependency.name]),
  ]);
}

/**
 * Reads a body as `readReport` and `collectReport` do, and throws when the
 * outcome is anything but a well-formed report or a documented error, when it
 * takes longer than the bound, or when it changes `Object.prototype`.
 */
function checkRead(body: Buffer, options: ParseReportOptions): void {
  casesRun++;
  const prototypeNames = Object.getOwnPropertyNames(Object.prototype).length;
  const describeCase = () =>
    `options ${JSON.stringify(options)}, body ${describeBody(body)}`;

  const started = performance.now();
  let report: ParsedReport | undefined;
  let again: ParsedReport | undefined;
  try {
    const streamed = readReport(body, options);
    report = collectReport(streamed);
    try {
      again = collectReport(streamed);
    } catch (error) {
      throw new Error(
        `The second pass over a report read once threw ${error}; ${describeCase()}`,
      );
    }
  } catch (error) {
    const { name } = error as Error;
    outcomes.set(name, (outcomes.get(name) ?? 0) + 1);
    if (!isDocumentedError(error)) {
      const { message, stack } = error as Error;
      throw new Error(
        `Undocumented ${name}: ${message}\n${describeCase()}\n${stack}`,
      );
    }
  }
  const elapsed = performance.now() - started;

  const bound = timeBoundMs(decodedSize(body, options.contentEncoding));
  if (elapsed > bound) {
    throw new Error(
      `Reading took ${elapsed.toFixed(0)} ms, more than ${bound.toFixed(
        0,
      )} ms; ${describeCase()}`,
    );
  }
  if (
    Object.getOwnPropertyNames(Object.prototype).length !== prototypeNames ||
    ({} as Record<string, unknown>).polluted !== undefined
  ) {
    throw new Error(`Object.prototype was changed; ${describeCase()}`);
  }
  if (report) {
    outcomes.set('read', (outcomes.get('read') ?? 0) + 1);
    const problem = reportProblem(report, options.format);
    if (problem) {
      throw new Error(`Malformed report: ${problem}; ${describeCase()}`);
    }
    if (fingerprintsOf(again!) !== fingerprintsOf(report)) {
      throw new Error(`A second pass read other findings; ${describeCase()}`);
    }
  }
}

/** Runs a property `numRuns` times, and returns how many cases it ran. */
function assertProperty<T>(
  arbitrary: fc.Arbitrary<T>,
  run: (value: T) => void,
): number {
  let runs = 0;
  const trace = process.env.FUZZ_TRACE;
  fc.assert(
    fc.property(arbitrary, value => {
      // The case being run, for finding one that hangs.
      if (trace) {
        fs.writeFileSync(
          trace,
          `${expect.getState().currentTestName}\n${fc
            .stringify(value)
            .slice(0, 20_000)}\n`,
        );
      }
      runs++;
      run(value);
    }),
    { seed, numRuns },
  );
  return runs;
}

describe.each(targets.map(target => [target.name, target] as const))(
  'fuzzing %s',
  (_name, target: FuzzTarget) => {
    const seeds = target.seeds;

    it('starts from seeds that read cleanly', () => {
      for (const { name, text } of seeds) {
        for (const format of [target.format, 'auto'] as const) {
          const report = collectReport(
            readReport(Buffer.from(text, 'utf8'), { format }),
          );
          expect({
            name,
            format,
            problem: reportProblem(report, format),
          }).toEqual({ name, format, problem: undefined });
          expect(report.format).toBe(target.format);
          expect(
            report.findings.length + report.dependencies.length,
          ).toBeGreaterThan(0);
        }
      }
    });

    if (target.xml) {
      it('refuses mutated XML only with documented errors', () => {
        expect(
          assertProperty(
            fc.record({
              seed: fc.constantFrom(...seeds),
              mutations: fc.array(xmlMutation, { minLength: 1, maxLength: 4 }),
              format: formatFor(target.format),
              limits: readLimits,
              encoding: bodyEncoding,
            }),
            ({ seed: start, mutations, format, limits, encoding }) => {
              const text = applyXmlMutations(start.text, mutations);
              const { body, contentEncoding } = encodeBody(
                Buffer.from(text, 'utf8'),
                encoding,
              );
              checkRead(body, { format, contentEncoding, ...limits });
            },
          ),
        ).toBe(numRuns);
      });
    } else {
      it('refuses structurally mutated JSON only with documented errors', () => {
        const documents = new Map(
          seeds.map(({ name, text }) => [name, text] as const),
        );
        expect(
          assertProperty(
            fc.record({
              seed: fc.constantFrom(...seeds.map(({ name }) => name)),
              mutations: fc.array(structuralMutation, {
                minLength: 1,
                maxLength: 4,
              }),
              format: formatFor(target.format),
              limits: readLimits,
              pretty: fc.boolean(),
              gzip: fc.boolean(),
            }),
            ({ seed: name, mutations, format, limits, pretty, gzip }) => {
              const document = applyStructuralMutations(
                JSON.parse(documents.get(name)!),
                mutations,
              );
              const text = JSON.stringify(
                document,
                null,
                pretty ? 2 : undefined,
              );
              const { body, contentEncoding } = encodeBody(
                Buffer.from(text ?? 'null', 'utf8'),
                gzip
                  ? { kind: 'gzip', header: 'gzip', corruption: [] }
                  : { kind: 'plain' },
              );
              checkRead(body, { format, contentEncoding, ...limits });
            },
          ),
        ).toBe(numRuns);
      });
    }

    it('refuses mutated bytes only with documented errors', () => {
      expect(
        assertProperty(
          fc.record({
            seed: fc.constantFrom(...seeds),
            mutations: fc.array(byteMutation, { minLength: 1, maxLength: 3 }),
            format: formatFor(target.format),
            limits: readLimits,
            encoding: bodyEncoding,
          }),
          ({ seed: start, mutations, format, limits, encoding }) => {
            const bytes = applyByteMutations(
              Buffer.from(start.text, 'utf8'),
              mutations,
            );
            const { body, contentEncoding } = encodeBody(bytes, encoding);
            checkRead(body, { format, contentEncoding, ...limits });
          },
        ),
      ).toBe(numRuns);
    });
  },
);

describe('fuzzing generated reports', () => {
  it('refuses arbitrary JSON and bytes of any format only with documented errors', () => {
    expect(
      assertProperty(
        fc.record({
          body: fc.oneof(
            fc
              .jsonValue({ maxDepth: 6 })
              .map(value => Buffer.from(JSON.stringify(value) ?? 'null')),
            fc.uint8Array({ maxLength: 256 }).map(bytes => Buffer.from(bytes)),
            fc
              .string({ unit: 'binary' })
              .map(text => Buffer.from(text, 'utf8')),
          ),
          format: fc.constantFrom(...REPORT_FORMATS, 'auto' as const),
          encoding: bodyEncoding,
        }),
        ({ body: bytes, format, encoding }) => {
          const { body, contentEncoding } = encodeBody(bytes, encoding);
          checkRead(body, { format, contentEncoding });
        },
      ),
    ).toBe(numRuns);
  });
});

describe('counterexamples found by fuzzing', () => {
  it('keeps an npm audit CVSS score outside 0 to 10 out of the report', () => {
    // FUZZ_SEED=20261213: a score replaced by 9007199254740994 was kept as is.
    const document = JSON.parse(readFixtureText('npm-audit/many_vulns.json'));
    document.vulnerabilities.semver.via[0].cvss.score = 9007199254740994;
    const body = Buffer.from(JSON.stringify(document));

    expect(() => checkRead(body, { format: 'npm-audit' })).not.toThrow();
    const semver = collectReport(
      readReport(body, { format: 'npm-audit' }),
    ).findings.find(finding => finding.ruleId === 'GHSA-c2qf-rxjj-qqgw');
    expect(semver?.cvss).toEqual({
      version: '3.1',
      vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:L',
    });
  });
});
