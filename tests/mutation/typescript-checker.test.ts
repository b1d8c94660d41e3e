// The TypeScript checker npm run test:mutation uses (typescript-checker.mjs), on a project of two files:
// it must call a mutant a compile error exactly when tsc would, in the mutated file and in the files that
// import it, and forget each mutant before the next.
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { tmpDir } from '../helpers';

const CHECKER = path.join(__dirname, 'typescript-checker.mjs');

/** Runs the checker on `files` in a folder of their own; each mutant's status, or the error init threw. */
function check(files: Record<string, string>, mutants: object[]): Record<string, { status: string; reason?: string }> | { error: string } {
  const dir = tmpDir('ts-checker-');
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  const script = `
    import { IncrementalTypescriptChecker } from ${JSON.stringify(CHECKER)};
    const log = { info() {}, debug() {}, warn() {} };
    const checker = new IncrementalTypescriptChecker(log, { tsconfigFile: 'tsconfig.json' });
    const mutants = ${JSON.stringify(mutants)}.map((m) => ({ ...m, fileName: process.cwd() + '/' + m.fileName }));
    try {
      await checker.init();
    } catch (e) {
      console.log(JSON.stringify({ error: e.message }));
      process.exit(0);
    }
    const results = {};
    for (const m of mutants) Object.assign(results, await checker.check([m]));
    console.log(JSON.stringify(results));
  `;
  return JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: dir, encoding: 'utf8' }));
}

const TSCONFIG = JSON.stringify({ compilerOptions: { strict: true, noEmit: true, noUnusedLocals: true, types: [], target: 'es2022', lib: ['es2022'] }, include: ['src/**/*.ts'] });
const A = "export const n = 1;\nexport function f(): string {\n  const label = 'x';\n  return label;\n}\n";
const B = "import { n } from './a';\nexport const m: number = n * 2;\n";

/** A mutant of src/a.ts: `replacement` for the text from `start` to `end` (line and column from 0). */
const at = (id: string, line: number, start: number, end: number, replacement: string) =>
  ({ id, fileName: 'src/a.ts', replacement, mutatorName: 'test', location: { start: { line, column: start }, end: { line, column: end } } });

describe('the incremental TypeScript checker of mutation runs', () => {
  test('tells the mutants that do not compile, in the mutated file or in a file that imports it, from those that do', () => {
    const results = check({ 'tsconfig.json': TSCONFIG, 'src/a.ts': A, 'src/b.ts': B }, [
      at('1', 2, 16, 19, '""'),
      at('2', 2, 16, 19, '42'),
      at('3', 0, 17, 18, '"one"'),
      at('4', 0, 17, 18, '2'),
      at('5', 3, 9, 14, '"y"'),
      at('6', 2, 16, 19, '""'),
    ]);
    expect(Object.fromEntries(Object.entries(results).map(([id, r]) => [id, r.status]))).toEqual({
      1: 'passed', 2: 'compileError', 3: 'compileError', 4: 'passed', 5: 'passed', 6: 'passed',
    });
    const r = results as Record<string, { reason: string }>;
    expect(r[2].reason).toMatch(/^src\/a\.ts\(4,3\): error TS2322: Type 'number' is not assignable to type 'string'\./);
    expect(r[3].reason).toMatch(/^src\/b\.ts\(2,26\): error TS2362: /);
    // Mutant 5 leaves `label` unused: tsc with noUnusedLocals would fail, but as in StrykerJS's own checker, a
    // local left unused is no compile error.
  }, 60000);

  test('refuses to start on a project that does not compile, naming the error', () => {
    const results = check({ 'tsconfig.json': TSCONFIG, 'src/a.ts': 'export const s: string = 1;\n' }, []);
    expect(results).toEqual({ error: expect.stringMatching(/^the project does not compile before any mutation \(.*tsconfig\.json\):\nsrc\/a\.ts\(1,14\): error TS2322: /) });
  }, 60000);
});
