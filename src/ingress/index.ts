export type { CallbackCredentials, CallbackHeaders } from './callback-headers.ts';
export { headersFromRaw, headersFromRecord } from './callback-headers.ts';
export type { CallbackRequest, CallbackVerification, CallbackVerifierDeps } from './callback-verifier.ts';
export { verifyCallback } from './callback-verifier.ts';
export { IngressConfigurationError } from './certificate-encoding.ts';
export type {
  CertificateLookup,
  CertificateResolution,
  CertificateSource,
  CertificateSourceOptions,
  ResolvedCertificate,
} from './certificate-source.ts';
export { createCertificateSource } from './certificate-source.ts';
export type { InboxEntry } from './inbox-entry.ts';
export type { IngressCounters } from './ingress-counters.ts';
export { createIngressCounters } from './ingress-counters.ts';
export { INGRESS_DEFAULTS } from './ingress-defaults.ts';
export type { IngressLogger, IngressRouteOptions } from './ingress-route.ts';
export { createIngressRoutes } from './ingress-route.ts';
export type { NotificationKind, PartnerCenterNotification } from './notification.ts';
export type { RejectionReason } from './rejection-reasons.ts';
export { REJECTION_REASONS, REJECTION_STATUS } from './rejection-reasons.ts';
