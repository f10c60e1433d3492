/**
 * Loads the built package (`dist/`, through the package's own name) for the notebooks.
 * tslab runs each cell in a vm context, where `import()` has no module loader, and
 * `require()` cannot load ibvf (an ES module graph with top-level await); a CommonJS
 * file that `require` loads has the loader, so it does the import for the cell:
 *
 *   const ibvf = await require('./ibvf.cjs')();
 */
module.exports = () => import('ibvf');
