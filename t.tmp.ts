import { loadConfig } from './charts';
for (const f of process.argv.slice(2)) { try { console.log(JSON.stringify(loadConfig(f).config).slice(0, 300)); } catch (e) { console.log((e as Error).message); } }
