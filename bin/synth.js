#!/usr/bin/env node
// `npm run synth`: makes sure build/ was made from the sources as they are (rebuilding it when a source
// changed, or when there is none), then hands over to build/launcher.js, which stops early when nothing
// changed since the last synth and otherwise runs build/main.js. Node's built-ins only, until esbuild
// is needed for a rebuild.
'use strict';
const path = require('path');
const { build, staleness, BUILD } = require('../scripts/build.js');

const why = staleness();
if (why) {
  const start = process.hrtime.bigint();
  try {
    build();
  } catch (e) {
    process.stderr.write(`error: build/ must be made anew (${why}), and that failed: ${e.message}\n`);
    process.exit(1);
  }
  if (!process.argv.includes('--quiet')) {
    process.stderr.write(`rebuilt build/ (${why}) in ${(Number(process.hrtime.bigint() - start) / 1e9).toFixed(1)} s\n`);
  }
}
require(path.join(BUILD, 'launcher.js')).launch();
