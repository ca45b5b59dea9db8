// Loaded with `node --require`: records into $TRACE_MISSING_FILE every path under $TRACE_MISSING_ROOT
// (outside node_modules) that chronicle looks for and does not find, so a test can prove the bundled
// CLI finds its own files (templates, compiled templates, the code it fingerprints) where they are.
const fs = require('node:fs');
const { appendFileSync } = fs;

const file = process.env.TRACE_MISSING_FILE;
const root = process.env.TRACE_MISSING_ROOT;
const watched = (path) => {
  const text = path instanceof URL ? path.pathname : String(path);
  return text.startsWith(root) && !text.includes('/node_modules/');
};
const record = (path) => appendFileSync(file, `${path instanceof URL ? path.pathname : path}\n`);

function wrapSync(target, name) {
  const real = target[name];
  target[name] = function traced(path, ...rest) {
    try {
      const result = real.call(this, path, ...rest);
      if (result === undefined && name.startsWith('stat') && watched(path)) record(path);
      return result;
    } catch (error) {
      if (error?.code === 'ENOENT' && watched(path)) record(path);
      throw error;
    }
  };
}
function wrapAsync(target, name) {
  const real = target[name];
  target[name] = async function traced(path, ...rest) {
    try {
      return await real.call(this, path, ...rest);
    } catch (error) {
      if (error?.code === 'ENOENT' && watched(path)) record(path);
      throw error;
    }
  };
}
if (file && root) {
  for (const name of ['readFileSync', 'readdirSync', 'statSync', 'openSync']) wrapSync(fs, name);
  for (const name of ['readFile', 'readdir', 'stat', 'open']) wrapAsync(fs.promises, name);
}
