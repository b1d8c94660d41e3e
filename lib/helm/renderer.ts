import { spawn } from 'child_process';
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import * as yaml from 'js-yaml';
import { HelmBinary, isolatedHelmEnv } from './binary';
import { LockedChart } from './lock';
import { ChartStore } from './store';

/** The cluster the charts are rendered for: what `.Capabilities` tells the templates. */
export interface RenderTarget {
  /** Kubernetes version, e.g. `1.33.5`. */
  readonly kubeVersion: string;
  /** API versions the cluster serves (`--api-versions`), e.g. `policy/v1/PodDisruptionBudget`. */
  readonly apiVersions: readonly string[];
}

/** Everything helm needs to render one release. */
export interface ReleaseRequest {
  readonly releaseName: string;
  readonly namespace: string;
  readonly chart: LockedChart;
  /** Values files, in order (`-f`). */
  readonly valuesFiles: readonly string[];
  /** Computed values, applied after the files, so they win. */
  readonly values: Record<string, unknown>;
}

export interface HelmRendererOptions {
  readonly helm: HelmBinary;
  readonly store: ChartStore;
  readonly target: RenderTarget;
  /** Helm's private home: config, cache, data and the computed values files. */
  readonly homeDir: string;
  /** Where warnings go. @default - stderr */
  readonly warn?: (message: string) => void;
}

/** The output of `helm template` for one release, one object per element. */
export type RenderedObject = Record<string, any>;

/** Runs `helm template` from the local chart store only, with every input explicit and helm isolated from the machine. */
export class HelmRenderer {
  private readonly warn: (message: string) => void;
  constructor(private readonly options: HelmRendererOptions) {
    this.warn = options.warn ?? ((m) => process.stderr.write(`warning: ${m}\n`));
  }

  public get helm(): HelmBinary {
    return this.options.helm;
  }

  /** The helm arguments for a release; the archive must already be checked. */
  public args(request: ReleaseRequest, archive: string, computedValuesFile: string): string[] {
    const { target } = this.options;
    return [
      'template', request.releaseName, archive,
      '--namespace', request.namespace,
      '--version', request.chart.version,
      '--kube-version', target.kubeVersion,
      ...target.apiVersions.flatMap((v) => ['--api-versions', v]),
      '--include-crds',
      '--skip-tests',
      ...request.valuesFiles.flatMap((f) => ['--values', f]),
      '--values', computedValuesFile,
    ];
  }

  /** Renders one release; rejects with helm's own message and the release named. */
  public async render(request: ReleaseRequest): Promise<RenderedObject[]> {
    const checked = this.options.store.check(request.chart);
    if (checked.warning) this.warn(checked.warning);
    for (const f of request.valuesFiles) {
      if (!fs.existsSync(f)) throw new Error(`release "${request.releaseName}": values file ${f} does not exist: create it or remove it from the release`);
    }
    const home = this.options.homeDir;
    const env = isolatedHelmEnv(home);
    const valuesDir = path.join(home, 'values');
    fs.mkdirSync(valuesDir, { recursive: true });
    const computed = yaml.dump(request.values, { lineWidth: -1, noRefs: true });
    const valuesFile = path.join(valuesDir, `${request.releaseName}-${createHash('sha256').update(computed).digest('hex').slice(0, 16)}.yaml`);
    // Computed values may hold derived secrets: the file lives only while helm reads it.
    fs.writeFileSync(valuesFile, computed, { mode: 0o600 });
    let stdout: string;
    try {
      stdout = await run(this.options.helm.path, this.args(request, checked.file, valuesFile), env, request);
    } finally {
      fs.rmSync(valuesFile, { force: true });
    }
    let docs: unknown[];
    try {
      docs = yaml.loadAll(stdout);
    } catch (e) {
      throw new Error(`release "${request.releaseName}" (chart ${request.chart.chart} ${request.chart.version}): helm printed YAML that does not parse: ${(e as Error).message}`);
    }
    return docs.filter((d): d is RenderedObject => d !== null && typeof d === 'object');
  }
}

function run(bin: string, args: string[], env: NodeJS.ProcessEnv, request: ReleaseRequest): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', (e) => reject(new Error(`release "${request.releaseName}": could not run helm at ${bin}: ${e.message}`)));
    child.on('close', (code) => {
      if (code === 0) return resolve(Buffer.concat(out).toString('utf8'));
      const message = Buffer.concat(err).toString('utf8').trim() || `exit code ${code}`;
      reject(new Error(`release "${request.releaseName}" (chart ${request.chart.chart} ${request.chart.version}) failed to render: ${message}`));
    });
  });
}
