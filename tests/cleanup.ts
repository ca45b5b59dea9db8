// Loaded before every test file (vitest setupFiles): the temporary folders that file made with
// tempDir() are removed once the whole file is done. Per file rather than per test: a folder made in
// beforeAll or at the top of a file is shared by its tests, and servers, browsers and spawned
// processes that use a folder are closed by the file's own after-hooks, which run before this one.
import { afterAll } from 'vitest';
import { removeTempDirs } from './helpers.js';

afterAll(() => removeTempDirs());
