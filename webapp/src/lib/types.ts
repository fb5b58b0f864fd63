// The shapes the admin API answers, as far as the dashboard reads them. Fields a Faultline may
// lack (an older one, a feature not loaded) are optional.

export type ProxyStatus = 'running' | 'stopped' | 'failed';

export interface Block { [key: string]: unknown }

export interface Proxy {
  id: string;
  owner?: string;
  name: string;
  provider: string;
  upstream: string | null;
  port: number | null;
  url?: string;
  status: ProxyStatus;
  error?: string | null;
  in_flight?: number;
  require_api_key?: boolean;
  options?: Record<string, unknown>;
  faults?: FaultEntry[];
  fault_options?: { seed: number | null; header_override: boolean };
  cache?: Block;
  ip?: { allow: string[]; block: string[] };
  caller_limit?: Block;
  logging?: { enabled: boolean; bodies?: boolean; max_body_bytes?: number };
  created_at?: string;
  updated_at?: string;
}

export interface ParamSpec {
  name: string;
  type: 'integer' | 'number' | 'boolean' | 'string';
  description?: string;
  default?: unknown;
  min?: number | null;
  max?: number | null;
  choices?: string[] | null;
  required?: boolean;
}

export interface Strategy { id: string; description: string; params: ParamSpec[] | null }
export type StrategiesAnswer = Array<{ id: string; description?: string; params?: ParamSpec[] }> | { strategies: Array<{ id: string; description?: string; params?: ParamSpec[] }> };

export interface Schedule { from_sec?: number; until_sec?: number; next_requests?: number }
export interface FaultEntry {
  strategy: string;
  rate?: number;
  params?: Record<string, unknown>;
  schedule?: Schedule;
  [key: string]: unknown;
}

export interface PluginInfo {
  id: string;
  version?: string;
  provider?: string;
  description?: string;
  file?: string;
  extensions?: string[];
  requires?: string;
  options?: ParamSpec[] | Record<string, ParamSpec[]>;
  providers?: Array<{ id: string; options?: ParamSpec[] }>;
}
/** GET /api/cluster: the nodes of the cluster (one node alone, clustered false, when not clustered). */
export interface ClusterNode {
  id: string;
  address: string | null;
  version: string | null;
  started_at?: string | null;
  uptime_seconds: number | null;
  health: 'ok' | 'degraded' | 'unreachable';
}
export interface ClusterAnswer {
  clustered: boolean;
  node_id: string;
  nodes: ClusterNode[];
}

export interface PluginsAnswer {
  plugin_api_version?: string;
  folder?: string;
  plugins: PluginInfo[];
  failed?: Array<{ file?: string; id?: string; reason?: string; error?: string }>;
  providers?: Array<{ id: string; options?: ParamSpec[] }>;
}

export interface LogEntry {
  id?: number;
  ts: string;
  proxy_id: string;
  request_id?: string;
  client_ip?: string;
  method?: string;
  path?: string;
  model?: string | null;
  stream?: boolean;
  status: number;
  outcome?: string;
  latency_ms?: number | null;
  ttfb_ms?: number | null;
  upstream_ms?: number | null;
  cache_status?: string | null;
  fault?: string | null;
  error_type?: string | null;
  error_message?: string | null;
  retry_after?: number | string | null;
  prompt_tokens?: number | null;
  completion_tokens?: number | null;
  total_tokens?: number | null;
  cached_tokens?: number | null;
  usage_estimated?: boolean;
  cost_usd?: number | null;
  cost_source?: string | null;
  cost_saved_usd?: number | null;
  bytes_in?: number;
  bytes_out?: number;
  request_body?: string | null;
  response_body?: string | null;
}
export interface LogPage { entries: LogEntry[]; next_cursor?: string | null }

export interface SeriesPoint {
  t: number;
  requests: number;
  rate: number;
  status_classes: Record<string, number>;
  statuses?: Record<string, number>;
  errors: number;
  p50_ms: number | null;
  p95_ms: number | null;
  p99_ms: number | null;
  tokens: number;
  cost_usd: number;
  cache_hits: number;
  faulted: number;
}
export interface Annotation { t: number; proxy: string; kind: string; text: string }
export interface FaultWindow { from: number; to: number | null; proxy: string; strategies: string[] }
export interface Series {
  window: string;
  step_seconds: number;
  from: number;
  to: number;
  points: SeriesPoint[];
  annotations: Annotation[];
  fault_windows: FaultWindow[];
}

export interface Metrics {
  window: string;
  requests?: number;
  requests_per_second?: number;
  error_rate?: { total?: number; '4xx'?: number; '5xx'?: number } | number;
  latency_ms?: { p50?: number; p95?: number; p99?: number };
  cache?: { hit_rate?: number | null };
  tokens?: { in?: number; out?: number };
  cost_usd?: number;
  cost_saved_usd?: number;
  unpriced_requests?: number;
  faults?: Record<string, number>;
}

export interface CacheItem {
  key: string;
  model?: string | null;
  path?: string;
  status?: number;
  stream?: boolean;
  size?: number;
  hits?: number;
  created_at?: string;
  last_hit_at?: string | null;
  preview?: string | null;
  last_user_message?: string | null;
}
export interface CacheAnswer {
  proxy_id?: string;
  settings?: Block;
  entries?: number;
  bytes?: number;
  stats?: { hits?: number; misses?: number; bypasses?: number; hit_rate?: number | null; lookup_errors?: number; store_errors?: number };
  items?: CacheItem[];
}

export interface Me { id: string; email: string; role: 'admin' | 'user'; verified?: boolean; created_at?: string | number }
export interface AuthConfig { setup_needed?: boolean; registration?: boolean; oauth_providers?: Array<{ id: string; name: string }> }
export interface Token { id: string; name: string; read_only?: boolean; created_at?: string; expires_at?: string | null; last_used_at?: string | null; token?: string }
export interface User { id: string; email: string; role: string; verified?: boolean; disabled?: boolean; created_at?: string | number }
export interface AuditEntry { id: number | string; ts: number | string; actor_id?: string; actor_email?: string; action: string; target_type?: string; target_id?: string; detail?: unknown }
export interface AuditPage { entries: AuditEntry[] }

export interface PlaygroundRequest { model: string; messages: Array<{ role: string; content: string }>; stream: boolean; api_key?: string }
export interface PlaygroundAnswer { status: number; headers: Record<string, string>; ttfb_ms: number | null; total_ms: number | null; body: string }
