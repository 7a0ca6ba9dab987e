// Runs one bundled benchmark module's default export and writes its results as JSON.
const { writeFileSync } = require('node:fs');
const [, , modulePath, resultFile] = process.argv;
(async () => {
  const mod = require(modulePath);
  const run = mod.default ?? mod.run;
  const results = await run();
  writeFileSync(resultFile, JSON.stringify(results));
  process.exit(0);
})().catch((e) => {
  console.error(e);
  process.exit(1);
});
