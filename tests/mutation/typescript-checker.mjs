// The TypeScript checker of npm run test:mutation: it tells StrykerJS which mutants do not compile, so that
// jest never runs them. StrykerJS's own checker (@stryker-mutator/typescript-checker) builds the project with
// TypeScript's solution builder, which parses every file of the program again for each mutant: this project
// holds 686 files, among them 4.8 MB of code generated from CRDs (imports/), so each check took about 2 s
// and the checkers, not the tests, set the pace of a run. This one keeps the parsed files: each check parses
// the mutated file alone and lets TypeScript's builder recheck what the change affects (the file, and the
// files that import it when its exported types change), as `tsc --watch` does.
//
// What counts as a compile error is what the project's `tsc --noEmit` (npm test) reports for every file the
// change affects, with the project's tsconfig.json and the overrides of StrykerJS's checker: a local left
// unused or code left unreachable is not an error, since most mutants of a block leave some (a check of style,
// not of behaviour, would otherwise hide mutants that the tests must kill).
import { createHash } from 'crypto';
import * as path from 'path';
import ts from 'typescript';
import { CheckStatus } from '@stryker-mutator/api/check';
import { commonTokens, declareClassPlugin, PluginKind, tokens } from '@stryker-mutator/api/plugin';

const VERSION_OF_ORIGINAL = 'original';

/** The text of `original` with `mutant`'s replacement at its location (lines and columns count from 0). */
export function applyMutant(original, mutant) {
  const lineStarts = [0];
  for (let i = original.indexOf('\n'); i >= 0; i = original.indexOf('\n', i + 1)) lineStarts.push(i + 1);
  const offset = ({ line, column }) => {
    if (line >= lineStarts.length) throw new Error(`mutant ${mutant.id} of ${mutant.fileName}: line ${line + 1} is past the file's end`);
    return lineStarts[line] + column;
  };
  return original.slice(0, offset(mutant.location.start)) + mutant.replacement + original.slice(offset(mutant.location.end));
}

function describeDiagnostics(diagnostics) {
  return ts.formatDiagnostics(diagnostics, {
    getCanonicalFileName: (fileName) => fileName,
    getCurrentDirectory: () => process.cwd(),
    getNewLine: () => '\n',
  });
}

export class IncrementalTypescriptChecker {
  static inject = tokens(commonTokens.logger, commonTokens.options);

  /** Parsed files of the unmutated project, by file name: each check reuses them. */
  originals = new Map();
  /** The file the current check mutates and its mutated text; undefined between checks. */
  mutated = undefined;

  constructor(log, options) {
    this.log = log;
    this.tsconfigFile = path.resolve(options.tsconfigFile ?? 'tsconfig.json');
  }

  async init() {
    const parsed = ts.getParsedCommandLineOfConfigFile(this.tsconfigFile, {}, {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (d) => { throw new Error(`${this.tsconfigFile}: ${describeDiagnostics([d])}`); },
    });
    if (parsed.errors.length) throw new Error(`${this.tsconfigFile}: ${describeDiagnostics(parsed.errors)}`);
    this.compilerOptions = {
      ...parsed.options,
      allowUnreachableCode: true, noUnusedLocals: false, noUnusedParameters: false,
      // The project compiles nothing to disk; nothing here must write either.
      noEmit: true, incremental: false, composite: false, tsBuildInfoFile: undefined,
    };
    this.rootNames = parsed.fileNames;
    const host = ts.createCompilerHost(this.compilerOptions, true);
    const parse = (fileName, languageVersion, text, version) => {
      const sourceFile = ts.createSourceFile(fileName, text, languageVersion, true);
      sourceFile.version = version;
      return sourceFile;
    };
    host.getSourceFile = (fileName, languageVersion, onError) => {
      if (this.mutated && fileName === this.mutated.fileName) {
        const { text } = this.mutated;
        return parse(fileName, languageVersion, text, createHash('sha256').update(text).digest('hex'));
      }
      let sourceFile = this.originals.get(fileName);
      if (!sourceFile) {
        const text = ts.sys.readFile(fileName);
        if (text === undefined) {
          onError?.(`cannot read ${fileName}`);
          return undefined;
        }
        sourceFile = parse(fileName, languageVersion, text, VERSION_OF_ORIGINAL);
        this.originals.set(fileName, sourceFile);
      }
      return sourceFile;
    };
    this.host = host;
    const started = Date.now();
    const errors = this.build();
    if (errors.length) {
      throw new Error(`the project does not compile before any mutation (${this.tsconfigFile}):\n${describeDiagnostics(errors)}`);
    }
    this.log.info(`Type checked ${this.rootNames.length} files in ${Date.now() - started} ms; each mutant is checked incrementally`);
  }

  /** Builds the program with the current mutant; the diagnostics of every file the change affects. */
  build() {
    this.builder = ts.createSemanticDiagnosticsBuilderProgram(this.rootNames, this.compilerOptions, this.host, this.builder);
    const program = this.builder.getProgram();
    const diagnostics = [...program.getConfigFileParsingDiagnostics(), ...program.getOptionsDiagnostics(), ...program.getGlobalDiagnostics()];
    // Syntax: the mutated file's, or every file's before any mutation.
    const parsedAgain = this.mutated ? [program.getSourceFile(this.mutated.fileName)] : program.getSourceFiles();
    for (const sourceFile of parsedAgain) if (sourceFile) diagnostics.push(...program.getSyntacticDiagnostics(sourceFile));
    for (let next = this.builder.getSemanticDiagnosticsOfNextAffectedFile(); next; next = this.builder.getSemanticDiagnosticsOfNextAffectedFile()) {
      diagnostics.push(...next.result);
    }
    return diagnostics;
  }

  async check(mutants) {
    const results = Object.fromEntries(mutants.map((m) => [m.id, { status: CheckStatus.Passed }]));
    for (const mutant of mutants) {
      // TypeScript names files with forward slashes.
      const fileName = path.resolve(mutant.fileName).split(path.sep).join('/');
      const original = this.originals.get(fileName);
      if (!original) continue; // not part of the TypeScript project: nothing to check
      this.mutated = { fileName, text: applyMutant(original.text, mutant) };
      try {
        const errors = this.build();
        if (errors.length) results[mutant.id] = { status: CheckStatus.CompileError, reason: describeDiagnostics(errors) };
      } finally {
        this.mutated = undefined;
      }
    }
    return results;
  }
}

export const strykerPlugins = [declareClassPlugin(PluginKind.Checker, 'typescript-incremental', IncrementalTypescriptChecker)];
