// The server state screens share, each under one query key so a change made on one screen
// (invalidating the key) refreshes every other screen showing it.
import { useQuery } from '@tanstack/react-query';
import { api, clusterApi, enc, endpointMissing, metricsApi, pluginsApi, proxiesApi } from './lib/api.ts';
import { strategiesFrom } from './lib/faults.ts';
import type { Metrics } from './lib/types.ts';

export const keys = {
  proxies: ['proxies'] as const,
  plugins: ['plugins'] as const,
  cluster: ['cluster'] as const,
  strategies: ['strategies'] as const,
  series: (window: string, proxy?: string | null) => ['series', window, proxy || null] as const,
  metrics: (window: string, proxy?: string | null) => ['metrics', window, proxy || null] as const,
  faults: (id: string) => ['faults', id] as const,
  cache: (id: string) => ['cache', id] as const,
};

export const useProxies = () => useQuery({ queryKey: keys.proxies, queryFn: proxiesApi.list, refetchInterval: 2000 });

export const useCluster = () => useQuery({ queryKey: keys.cluster, queryFn: clusterApi.get, refetchInterval: 5_000 });

export const usePlugins = () => useQuery({ queryKey: keys.plugins, queryFn: pluginsApi.list, refetchInterval: 30_000 });

/** The described strategies, or the ids the plugins list when this Faultline describes none. */
export function useStrategies() {
  const plugins = usePlugins();
  const described = useQuery({
    queryKey: keys.strategies,
    queryFn: () => pluginsApi.strategies().catch((e) => {
      if (endpointMissing(e)) return null;
      throw e;
    }),
    staleTime: 30_000,
  });
  return { strategies: strategiesFrom(described.data, plugins.data), loaded: described.isFetched };
}

const STEP_POLL: Record<string, number> = { '5m': 5000, '1h': 10_000, '24h': 60_000 };

export const useSeries = (window: string, proxy?: string | null) => useQuery({
  queryKey: keys.series(window, proxy),
  queryFn: () => metricsApi.series(window, proxy),
  // An older Faultline without the endpoint is not asked again every step.
  refetchInterval: (query) => (endpointMissing(query.state.error) ? false : STEP_POLL[window] || 10_000),
  placeholderData: (previous) => previous,
});

export const useMetrics = (window: string, proxy?: string | null) => useQuery({
  queryKey: keys.metrics(window, proxy),
  queryFn: () => api<Metrics>('GET', `/api/metrics?window=${window}${proxy ? `&proxy=${enc(proxy)}` : ''}`),
  refetchInterval: 5000,
});
