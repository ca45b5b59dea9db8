// Loaded with `node --require`: writes into $TRACE_BUILTINS_FILE, as the process exits, every module of
// Node's own it loaded (process.moduleLoadList), including those loaded inside Node (a stream made by
// process.stdout loads net), which the require and import traces do not see.
const file = process.env.TRACE_BUILTINS_FILE;
if (file) {
  process.on('exit', () => {
    const names = process.moduleLoadList.filter((entry) => entry.startsWith('NativeModule ')).map((entry) => entry.slice(13));
    require('node:fs').writeFileSync(file, `${names.join('\n')}\n`);
  });
}
