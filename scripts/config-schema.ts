// `npm run config:schema`: writes platform.schema.json, the JSON Schema editors use for platform.yaml,
// assembled from the components' slices. A test fails when the committed file is out of date.
import * as fs from 'fs';
import * as path from 'path';
import { editorSchema } from '../config';
import { runCommand } from '../lib';

export const SCHEMA_FILE = path.resolve(__dirname, '..', 'platform.schema.json');
export const schemaText = () => `${JSON.stringify(editorSchema(), null, 2)}\n`;

runCommand(module, {
  name: 'npm run config:schema',
  summary: 'Writes platform.schema.json, the JSON Schema of platform.yaml, from the components\' slices.',
  options: {},
}, () => {
  fs.writeFileSync(SCHEMA_FILE, schemaText());
  process.stderr.write(`wrote ${path.relative(process.cwd(), SCHEMA_FILE)}\n`);
});
