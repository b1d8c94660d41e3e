import { App, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import {
  ARGO_CD_SYNC_WAVE, assignedPhase, assignPhase, FLAT_PHASE_FILE, Phase, PHASE_FILES, PHASE_FOLDERS, PHASES, READY_BEFORE_NEXT_PHASE,
} from '../../lib/phases';

describe('the phases of the output', () => {
  test('are four, in apply order, each with the folder and the file that sort in that order', () => {
    expect(PHASES).toEqual([Phase.FOUNDATIONS, Phase.CONTROLLERS, Phase.CUSTOM_RESOURCES, Phase.APPS]);
    expect(PHASES).toEqual([1, 2, 3, 4]);
    expect(PHASES.map((p) => PHASE_FOLDERS[p])).toEqual(['01-crds-namespaces', '02-controllers', '03-custom-resources', '04-apps']);
    expect(PHASES.map((p) => PHASE_FILES[p])).toEqual([
      '01-crds-namespaces/manifests.yaml', '02-controllers/manifests.yaml', '03-custom-resources/manifests.yaml', '04-apps/manifests.yaml',
    ]);
    expect(Object.keys(PHASE_FILES)).toEqual(['1', '2', '3', '4']);
  });

  test('the annotations the output carries are the names Argo CD and npm run deploy read', () => {
    expect(ARGO_CD_SYNC_WAVE).toBe('argocd.argoproj.io/sync-wave');
    expect(READY_BEFORE_NEXT_PHASE).toBe('phases/ready-before-next-phase');
  });

  test.each([
    ['01-crds-namespaces.yaml', true],
    ['04-apps.yaml', true],
    ['09-x.yaml', true],
    ['1-apps.yaml', false],
    ['10-apps.yaml', false],
    ['01-.yaml', false],
    ['01-apps.yml', false],
    ['01-apps.yaml.bak', false],
    ['old-01-apps.yaml', false],
    ['01-crds-namespaces/manifests.yaml', false],
    ['k3d/01-apps.yaml', false],
  ])('a file named %s is a phase file of the flat layout: %s', (name, flat) => {
    expect(FLAT_PHASE_FILE.test(name)).toBe(flat);
  });
});

describe('assignPhase and assignedPhase', () => {
  test('an object takes the phase of its nearest scope that has one; nothing assigned is undefined', () => {
    const app = new App();
    const chart = new Chart(app, 'chart');
    const group = new Construct(chart, 'group');
    const inner = new Construct(group, 'inner');
    const leaf = new Construct(inner, 'leaf');
    expect(assignedPhase(leaf)).toBeUndefined();

    assignPhase(chart, Phase.CONTROLLERS);
    expect(assignedPhase(leaf)).toBe(Phase.CONTROLLERS);
    expect(assignedPhase(chart)).toBe(Phase.CONTROLLERS);
    expect(assignedPhase(app)).toBeUndefined();

    assignPhase(inner, Phase.APPS);
    expect(assignedPhase(leaf)).toBe(Phase.APPS);
    expect(assignedPhase(inner)).toBe(Phase.APPS);
    expect(assignedPhase(group)).toBe(Phase.CONTROLLERS);

    // The root's phase counts too, for whatever nothing nearer assigns.
    const other = new Construct(new Chart(app, 'other'), 'object');
    assignPhase(app, Phase.FOUNDATIONS);
    expect(assignedPhase(other)).toBe(Phase.FOUNDATIONS);
    expect(assignedPhase(leaf)).toBe(Phase.APPS);
    // Looking does not reorder the tree.
    expect(leaf.node.scopes.map((s) => s.node.id)).toEqual(['', 'chart', 'group', 'inner', 'leaf']);
  });

  test('every copy of the library reads the same mark: the registered symbol ml-platform.phase, which another version keeps too', () => {
    const app = new App();
    const chart = new Chart(app, 'chart');
    const leaf = new Construct(chart, 'leaf');
    let copy: typeof import('../../lib/phases') | undefined;
    jest.isolateModules(() => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      copy = require('../../lib/phases');
    });
    expect(copy!.assignPhase).not.toBe(assignPhase);

    copy!.assignPhase(chart, Phase.CUSTOM_RESOURCES);
    expect(assignedPhase(leaf)).toBe(Phase.CUSTOM_RESOURCES);
    assignPhase(leaf, Phase.APPS);
    expect(copy!.assignedPhase(leaf)).toBe(Phase.APPS);
    // The key is the contract between versions: an older copy marks and reads it by this name.
    expect((chart as any)[Symbol.for('ml-platform.phase')]).toBe(Phase.CUSTOM_RESOURCES);
    (app as any)[Symbol.for('ml-platform.phase')] = Phase.FOUNDATIONS;
    expect(assignedPhase(app)).toBe(Phase.FOUNDATIONS);
  });
});
