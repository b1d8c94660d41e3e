// `npm run config:schema`: writes platform.schema.json, the JSON Schema editors use for platform.yaml,
// from CONFIG_SCHEMA in charts/config.ts. A test fails when the committed file is out of date.
import * as fs from 'fs';
import * as path from 'path';
import { editorSchema } from '../charts';

export const SCHEMA_FILE = path.resolve(__dirname, '..', 'platform.schema.json');
export const schemaText = () => `${JSON.stringify(editorSchema(), null, 2)}\n`;

if (require.main === module) {
  fs.writeFileSync(SCHEMA_FILE, schemaText());
  process.stderr.write(`wrote ${path.relative(process.cwd(), SCHEMA_FILE)}\n`);
}
