import { CommandSpec, helpText, parseCommandLine, positiveInteger, runCommand, startCommand, UsageError, usageLine } from '../../lib/cli';

const SPEC = {
  name: 'npm run pool',
  summary: 'Sets the MetalLB address pool.',
  options: {
    file: { type: 'string', value: 'FILE', description: 'the docker network, as JSON' },
    'dry-run': { type: 'boolean', description: 'print, write nothing' },
    timeout: { type: 'string', description: 'how long to wait' },
  },
  positionals: { usage: '[DIR]', max: 1, description: 'the repository' },
  environment: [['PLATFORM_CONFIG', 'the configuration file'], ['K', 'short']],
  exitCodes: [[3, 'the cluster is not there']],
} as const satisfies CommandSpec<any>;

const BARE = { name: 'node synth.js', summary: 'Synthesizes.', options: {} } as const satisfies CommandSpec<any>;

describe('usageLine and helpText', () => {
  test('the usage names every option with its value, then the positionals; npm scripts take them after --', () => {
    expect(usageLine(SPEC)).toBe('usage: npm run pool -- [--file FILE] [--dry-run] [--timeout VALUE] [DIR]');
    expect(usageLine(BARE)).toBe('usage: node synth.js');
    expect(usageLine({ ...BARE, options: { check: { type: 'boolean', description: 'd' } } })).toBe('usage: node synth.js [--check]');
  });

  test('the help is the summary, the usage, then options, environment and exit codes in aligned tables', () => {
    expect(helpText(SPEC)).toBe([
      'Sets the MetalLB address pool.',
      '',
      'usage: npm run pool -- [--file FILE] [--dry-run] [--timeout VALUE] [DIR]',
      '',
      'options:',
      '  --file FILE      the docker network, as JSON',
      '  --dry-run        print, write nothing',
      '  --timeout VALUE  how long to wait',
      '  --help           print this help and exit',
      '  [DIR]            the repository',
      '',
      'environment:',
      '  PLATFORM_CONFIG  the configuration file',
      '  K                short',
      '',
      'exit codes:',
      '  0  success',
      '  1  an error, said on stderr',
      '  2  a bad argument',
      '  3  the cluster is not there',
    ].join('\n'));
    expect(helpText(BARE)).toBe([
      'Synthesizes.', '', 'usage: node synth.js', '', 'options:', '  --help  print this help and exit', '',
      'exit codes:', '  0  success', '  1  an error, said on stderr', '  2  a bad argument',
    ].join('\n'));
  });
});

describe('parseCommandLine', () => {
  test('parses options and positionals; --help or -h anywhere asks for the help', () => {
    expect(parseCommandLine(SPEC, ['--file', 'n.json', '--dry-run', 'repo'])).toEqual({ help: false, options: { file: 'n.json', 'dry-run': true }, positionals: ['repo'] });
    expect(parseCommandLine(SPEC, [])).toEqual({ help: false, options: {}, positionals: [] });
    expect(parseCommandLine(SPEC, ['--bogus', '--help'])).toEqual({ help: true, options: {}, positionals: [] });
    expect(parseCommandLine(SPEC, ['-h'])).toEqual({ help: true, options: {}, positionals: [] });
  });

  test.each([
    [['--bogus'], 'Unknown option \'--bogus\''],
    [['--file'], 'Option \'--file <value>\' argument missing'],
    [['a', 'b'], 'unexpected argument "b"'],
  ])('refuses %j with a usage error: %s', (argv, message) => {
    let error: unknown;
    try {
      parseCommandLine(SPEC, argv);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toBe(message);
  });

  test('a command without positionals refuses one', () => {
    expect(() => parseCommandLine(BARE, ['x'])).toThrow(UsageError);
    expect(() => parseCommandLine(BARE, ['x'])).toThrow(/^Unexpected argument 'x'\. This command does not take positional arguments$/);
  });
});

describe('positiveInteger', () => {
  test.each([['1', 1], ['42', 42], ['999999999', 999999999]])('%s is %d', (value, n) => {
    expect(positiveInteger('--timeout', value, 'a number of seconds', '300')).toBe(n);
  });

  test.each(['0', '-1', '1.5', '01', '', ' 1', '1 ', '1000000000', '1e3', 'x'.repeat(50)])('%j is refused, naming the option, the value cut to 40 and an example', (value) => {
    expect(() => positiveInteger('--timeout', value, 'a number of seconds', '300')).toThrow(
      new UsageError(`--timeout ${JSON.stringify(value.slice(0, 40))} is not a number of seconds: use e.g. --timeout 300`));
  });
});

describe('startCommand and runCommand', () => {
  let argv: string[];
  let out: string[];
  let err: string[];
  beforeEach(() => {
    argv = process.argv;
    out = [];
    err = [];
    jest.spyOn(process.stdout, 'write').mockImplementation((s) => { out.push(String(s)); return true; });
    jest.spyOn(process.stderr, 'write').mockImplementation((s) => { err.push(String(s)); return true; });
    process.exitCode = undefined;
  });
  afterEach(() => {
    process.argv = argv;
    process.exitCode = undefined;
    jest.restoreAllMocks();
  });
  const settle = () => new Promise((resolve) => setImmediate(resolve));

  test('calls main with the parsed arguments', async () => {
    process.argv = ['node', 'pool.js', '--dry-run', 'dir'];
    const main = jest.fn();
    startCommand(SPEC, main);
    await settle();
    expect(main).toHaveBeenCalledWith({ 'dry-run': true }, ['dir']);
    expect(process.exitCode).toBeUndefined();
  });

  test('prints the help, and does not run', async () => {
    process.argv = ['node', 'pool.js', '--help'];
    const main = jest.fn();
    startCommand(SPEC, main);
    await settle();
    expect(main).not.toHaveBeenCalled();
    expect(out.join('')).toBe(`${helpText(SPEC)}\n`);
    expect(process.exitCode).toBeUndefined();
  });

  test('a bad argument: the error, the usage and where help is, exit code 2', async () => {
    process.argv = ['node', 'pool.js', '--bogus'];
    startCommand(SPEC, jest.fn());
    await settle();
    expect(err.join('')).toBe(`error: Unknown option '--bogus'\n${usageLine(SPEC)}\n(npm run pool -- --help for more)\n`);
    expect(process.exitCode).toBe(2);
    err.length = 0;
    startCommand(BARE, jest.fn());
    await settle();
    expect(err.join('')).toBe(`error: Unknown option '--bogus'\nusage: node synth.js\n(node synth.js --help for more)\n`);
  });

  test('an error of main: one line, exit code 1; a thrown non-error is said as it is', async () => {
    process.argv = ['node', 'pool.js'];
    startCommand(SPEC, async () => { throw new Error('the cluster is gone'); });
    await settle();
    expect(err.join('')).toBe('error: the cluster is gone\n');
    expect(process.exitCode).toBe(1);
    err.length = 0;
    startCommand(SPEC, () => { throw 'plain'; });
    await settle();
    expect(err.join('')).toBe('error: plain\n');
  });

  test('runCommand runs only for the program node started', async () => {
    process.argv = ['node', 'pool.js'];
    const main = jest.fn();
    runCommand({} as NodeJS.Module, SPEC, main);
    await settle();
    expect(main).not.toHaveBeenCalled();
    runCommand(require.main as NodeJS.Module, SPEC, main);
    await settle();
    expect(main).toHaveBeenCalledTimes(1);
  });
});
