/** Live checks against a cluster: the API the CLI, the language server and the side panel use. */
export { runChecks, criteriaToRun, exitCodeOf, summarize } from './run';
export { formatReport, REPORT_FORMATS, type ReportFormat } from './report';
export { LiveError, SkipCheck, type LiveErrorKind } from './errors';
export { listContexts, loadKubeConfig } from './kube';
export { resolveSettings, readLiveSection, defaultSettings } from './settings';
export { CHECKS } from './checks';
export type * from './types';
