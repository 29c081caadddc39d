export { startFakeCluster, DEFAULT_FIXTURES, DEFAULT_TOKEN, DEFAULT_USER } from './server';
export type { AuthRule, Fault, FakeCluster, FakeClusterOptions, RequestRecord } from './server';
export type { PodTimeline, Timings } from './controllers';
export type { PrometheusRule, ProxyBackend } from './proxy';
