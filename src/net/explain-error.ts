/**
 * The one place that rewords the failures a person ends up reading — a TLS certificate nobody trusts, a
 * host that does not resolve, msal's bare `endpoints_resolution_error` — into what failed, at which URL,
 * and the likely fix. Callers keep the original as `cause`. Pure.
 *
 * The fixes name the configuration key behind each remote (`tls.extraCaFile` for trust; the remote's
 * URL key for names and ports), since that is where a person acts.
 */

export type Explanation = {
  /** The low-level code (UNABLE_TO_VERIFY_LEAF_SIGNATURE, ENOTFOUND, endpoints_resolution_error…). */
  code: string;
  /** What happened, naming the URL. */
  problem: string;
  /** The likely fix, one sentence. */
  fix: string;
};

/** The configuration key holding each remote's URL, as the HTTP clients name remotes. */
const URL_KEYS: Record<string, string> = {
  entra: 'entra.authorityHost',
  referrals: 'partnerCenter.referralsUrl',
  webhooks: 'partnerCenter.webhooksUrl',
  dataverse: 'crm.dynamics.url',
  salesforce: 'crm.salesforce.instanceUrl',
  hubspot: 'crm.hubspot.baseUrl',
  certificates: 'partnerCenter.certificateHosts',
};

const UNTRUSTED_ISSUER = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_GET_ISSUER_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
]);

const TRUST_FIX =
  'if a private CA or a TLS-inspecting proxy signs it, put that CA (PEM) in `tls.extraCaFile`; ' +
  '`referral-connector doctor` checks the file';

/**
 * A request that got no HTTP answer. `code` is Node's or undici's error code (or the TLS verification
 * code); `remote` the client's remote name; `url` the request's URL.
 */
export function explainTransportFailure(failure: {
  kind: 'timeout' | 'connection' | 'tls' | 'response_too_large';
  code: string;
  remote: string;
  url: string;
  timeoutMs?: number;
}): Explanation {
  const { code, url } = failure;
  const target = describeTarget(url);
  const urlKey = URL_KEYS[failure.remote];
  const checkUrl = urlKey ? `check \`${urlKey}\`` : 'check the URL';
  const at = `${url}:`;
  if (failure.kind === 'timeout') {
    const within = failure.timeoutMs ? ` within ${Math.round(failure.timeoutMs / 1000)} s` : '';
    return {
      code: 'timeout',
      problem: `${at} no answer${within}`,
      fix: `${checkUrl}, and that this machine may reach ${target.host} (firewall, proxy)`,
    };
  }
  if (failure.kind === 'response_too_large') {
    return { code, problem: `${at} the answer is larger than the connector reads`, fix: checkUrl };
  }
  if (UNTRUSTED_ISSUER.has(code)) {
    const what =
      code === 'DEPTH_ZERO_SELF_SIGNED_CERT'
        ? `${target.host} presents a self-signed certificate`
        : code === 'SELF_SIGNED_CERT_IN_CHAIN'
          ? `${target.host}'s certificate chain ends in a root this machine does not trust`
          : `${target.host}'s certificate is signed by a CA this machine does not trust`;
    return { code, problem: `${at} ${what} (${code})`, fix: TRUST_FIX };
  }
  switch (code) {
    case 'CERT_HAS_EXPIRED':
    case 'CERT_NOT_YET_VALID':
      return {
        code,
        problem: `${at} ${target.host}'s certificate is ${code === 'CERT_HAS_EXPIRED' ? 'expired' : 'not valid yet'} (${code})`,
        fix: "check this machine's clock; if it is right, the server's certificate must be renewed",
      };
    case 'ERR_TLS_CERT_ALTNAME_INVALID':
      return {
        code,
        problem: `${at} the certificate presented is not for ${target.host} (${code})`,
        fix: `${checkUrl}: the host name must be the one the service's certificate names`,
      };
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return {
        code,
        problem: `${at} the host name ${target.host} does not resolve (${code})`,
        fix: `${checkUrl} for a typo, and this machine's DNS or proxy settings`,
      };
    case 'ECONNREFUSED':
      return {
        code,
        problem: `${at} nothing accepts connections at ${target.host}:${target.port} (${code})`,
        fix: `${checkUrl} (host and port), and that the service runs`,
      };
    case 'ECONNRESET':
    case 'UND_ERR_SOCKET':
    case 'EPIPE':
      return {
        code,
        problem: `${at} the connection was closed before an answer (${code})`,
        fix: `a proxy or firewall between this machine and ${target.host} may cut it; retry, then check them`,
      };
    case 'ETIMEDOUT':
    case 'ENETUNREACH':
    case 'EHOSTUNREACH':
    case 'UND_ERR_CONNECT_TIMEOUT':
      return {
        code,
        problem: `${at} ${target.host}:${target.port} cannot be reached (${code})`,
        fix: `check that this machine may reach ${target.host} (firewall, proxy, routes)`,
      };
    case 'ERR_SSL_WRONG_VERSION_NUMBER':
    case 'EPROTO':
      return {
        code,
        problem: `${at} the server did not speak TLS (${code})`,
        fix: `${checkUrl}: https to a plain-http port fails like this`,
      };
    default:
      return {
        code,
        problem: `${at} ${failure.kind === 'tls' ? 'TLS failed' : 'the connection failed'} (${code})`,
        fix: failure.kind === 'tls' ? TRUST_FIX : checkUrl,
      };
  }
}

/**
 * msal-node's own failures, which say only "See https://aka.ms/msal.js.errors#…" and drop the network
 * error behind them. `networkFailure` is what the connector saw on msal's behalf (the last failed
 * request of that app): its explanation is the useful part.
 */
export function explainMsalFailure(
  errorCode: string,
  context: {
    authority: string;
    networkFailure?: { url: string; explanation?: Explanation; status?: number } | undefined;
  },
): Explanation | undefined {
  if (!MSAL_NETWORK_CODES.has(errorCode)) return undefined;
  const metadata = `${context.authority.replace(/\/$/, '')}/v2.0/.well-known/openid-configuration`;
  const failure = context.networkFailure;
  if (failure?.explanation) {
    return {
      code: errorCode,
      problem: `msal could not reach Entra ID (${errorCode}): ${failure.explanation.problem}`,
      fix: failure.explanation.fix,
    };
  }
  if (failure?.status !== undefined) {
    return {
      code: errorCode,
      problem: `msal could not read Entra ID's sign-in metadata (${errorCode}): ${failure.url} answered ${failure.status}`,
      fix: 'check `entra.authorityHost` and the tenant id (a tenant id or verified domain of the app registration)',
    };
  }
  return {
    code: errorCode,
    problem: `msal could not read Entra ID's sign-in metadata at ${metadata} (${errorCode})`,
    fix: 'check `entra.authorityHost`, the tenant id, and that this machine reaches that host',
  };
}

/** msal error codes that mean "the network or the authority's metadata failed", not "Entra said no". */
const MSAL_NETWORK_CODES = new Set([
  'endpoints_resolution_error',
  'network_error',
  'get_request_failed',
  'post_request_failed',
  'openid_config_error',
  'untrusted_authority',
]);

function describeTarget(url: string): { host: string; port: string } {
  try {
    const parsed = new URL(url);
    return {
      host: parsed.hostname,
      port: parsed.port || (parsed.protocol === 'https:' ? '443' : '80'),
    };
  } catch {
    return { host: url, port: '' };
  }
}

/** The URL as shown in messages: scheme, host, port and path; never the query (it may carry tokens). */
export function shownUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.origin}${parsed.pathname}`;
  } catch {
    return url.split('?')[0] ?? url;
  }
}

/**
 * What to tell a person about any failure: the explained problem and fix of the first error in its
 * cause chain that has them (a TransportError, an explained AuthError, a ConfigError's problems), else
 * its message. Duck-typed, so it needs none of those classes.
 */
export function describeFailure(error: unknown): { problem: string; fix?: string } {
  for (let current = error, depth = 0; current && depth < 8; depth++) {
    const e = current as { problem?: unknown; fix?: unknown; problems?: unknown; message?: unknown };
    if (typeof e.problem === 'string' && typeof e.fix === 'string') return { problem: e.problem, fix: e.fix };
    if (Array.isArray(e.problems) && e.problems.length > 0) {
      const problems = e.problems as Array<{ path: string; problem: string; fix?: string }>;
      const fixes = problems.map((p) => p.fix).filter((fix): fix is string => typeof fix === 'string');
      return {
        problem: problems.map((p) => `${p.path}: ${p.problem}`).join('; '),
        ...(fixes.length > 0 ? { fix: fixes.join('; ') } : {}),
      };
    }
    if (typeof e.fix === 'string' && typeof e.message === 'string') {
      const suffix = `; ${e.fix}`;
      const problem = e.message.endsWith(suffix) ? e.message.slice(0, -suffix.length) : e.message;
      return { problem, fix: e.fix };
    }
    current = (current as { cause?: unknown }).cause;
  }
  return { problem: error instanceof Error ? error.message : String(error) };
}
