export { App, type AppProps } from './app.js';
export { runTui, type RunOptions } from './run.js';
export { storeSource, type TuiSource, type ReportScope } from './source.js';
export { reportExporter } from './export.js';
export { plainOverview } from './plain.js';
