// `node dist/bin.js` runs the binary too, for scripts written before it became dist/bin.cjs (which
// starts faster: a CommonJS entry does not set up Node's ES module loader).
import './bin.cjs';
