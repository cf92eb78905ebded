/**
 * Partner Center's webhook side: the tenant's one registration sends the configured events to this
 * connector's URL with the configured signature header (otherwise the command that fixes it), and the
 * signing certificate downloads from the configured host and chains to a trusted root, as the ingress
 * will do for the first webhook. Reads only: doctor never registers (a PUT replaces the tenant's list).
 */
import type { Config } from '../config/config-schema.ts';
import { failed, passed, type SetupCheck, skipped, warned } from '../core/setup-check.ts';
import { createCertificateSource } from '../ingress/certificate-source.ts';
import { INGRESS_DEFAULTS } from '../ingress/ingress-defaults.ts';
import { describeFailure } from '../net/explain-error.ts';
import type { HttpClient } from '../net/http-client.ts';
import type { WebhooksClient } from '../partner-center/webhooks-client.ts';

/** The documented name of the signing certificate on its host (partner-center.md §5). */
export const SIGNING_CERTIFICATE_PATH = '/cert/pcnotifications-dispatch.microsoft.com.cer';
const REGISTER = '`referral-connector webhooks register`';

export async function checkWebhookRegistration(
  webhooks: WebhooksClient,
  config: Config,
): Promise<SetupCheck> {
  const name = 'registration';
  const publicUrl = config.server.publicUrl;
  let registration: Awaited<ReturnType<WebhooksClient['get']>>;
  try {
    registration = await webhooks.get();
  } catch (error) {
    const { problem, fix } = describeFailure(error);
    return failed(
      name,
      problem,
      fix ?? 'check `partnerCenter.webhooksUrl` and the app or user the webhook API token is for',
    );
  }
  if (!registration) {
    return failed(
      name,
      'the tenant has no webhook registration: Partner Center sends no events',
      `run ${REGISTER}`,
    );
  }
  const events = registration.webhookEvents.join(', ') || 'none';
  if (!publicUrl) {
    return warned(
      name,
      `events go to ${registration.webhookUrl} (${events}); without \`server.publicUrl\` doctor cannot tell whether that is here`,
      'set `server.publicUrl`',
    );
  }
  const ours = `${publicUrl.replace(/\/$/, '')}${INGRESS_DEFAULTS.path}`;
  if (registration.webhookUrl !== ours) {
    return failed(
      name,
      `the events go to ${registration.webhookUrl}, not to this connector (${ours})`,
      `run ${REGISTER} --force (the integration at that URL then stops receiving them: one URL per tenant)`,
    );
  }
  const wanted = config.partnerCenter.webhookEvents;
  const registered = new Set(registration.webhookEvents.map((event) => event.toLowerCase()));
  const missing = wanted.filter((event) => !registered.has(event));
  if (missing.length > 0) {
    return failed(
      name,
      `${ours} is registered without ${missing.join(', ')} (it has ${events})`,
      `run ${REGISTER}`,
    );
  }
  const msHeader = config.partnerCenter.signatureInHeader === 'x-ms-signature';
  if (registration.signatureInMsSignatureHeader !== msHeader) {
    return failed(
      name,
      `Partner Center puts the signature in ${registration.signatureInMsSignatureHeader ? 'x-ms-signature' : 'Authorization'}, the connector reads ${config.partnerCenter.signatureInHeader}`,
      `run ${REGISTER}, or set \`partnerCenter.signatureInHeader\` to match`,
    );
  }
  return passed(name, `${ours} receives ${events}`);
}

/**
 * Downloads the signing certificate from the first configured host and resolves its chain exactly as
 * the ingress does (trusted roots, intermediates, AIA hosts, `tls.extraCaFile` for the download).
 */
export async function checkSigningCertificate(
  config: Config,
  trust: { trustedRootsPem?: string; intermediatesPem?: string; downloadCaPem?: string },
  http: HttpClient,
): Promise<SetupCheck> {
  const name = 'signing certificate';
  const pc = config.partnerCenter;
  const host = pc.certificateHosts.find((candidate) => !candidate.startsWith('*.'));
  if (!host) return skipped(name, 'partnerCenter.certificateHosts names wildcard hosts only: no URL to try');
  const url = `https://${host}${SIGNING_CERTIFICATE_PATH}`;
  // Our own client first: its failure says why (TLS, DNS) where the ingress only says it could not fetch.
  try {
    const response = await http.send({
      method: 'GET',
      url,
      maxBodyBytes: INGRESS_DEFAULTS.certificateMaxBytes,
    });
    if (response.status === 404) {
      return warned(
        name,
        `${url} answered 404: cannot check the chain before the first webhook`,
        'check `partnerCenter.certificateHosts`; the first webhook names the URL Partner Center uses',
      );
    }
  } catch (error) {
    const { problem, fix } = describeFailure(error);
    return failed(name, problem, fix ?? 'check `partnerCenter.certificateHosts`');
  }
  const source = createCertificateSource({
    allowedHosts: pc.certificateHosts,
    issuerHosts: pc.issuerCertificateHosts,
    ...(trust.trustedRootsPem ? { trustedRootsPem: trust.trustedRootsPem } : {}),
    ...(trust.intermediatesPem ? { intermediatesPem: trust.intermediatesPem } : {}),
    ...(trust.downloadCaPem ? { downloadCaPem: trust.downloadCaPem } : {}),
  });
  try {
    const resolved = await source.lookup(url);
    if (!resolved.ok) {
      return failed(
        name,
        `${url}: ${resolved.reason}${resolved.detail ? ` (${resolved.detail})` : ''}: every webhook would be refused`,
        resolved.reason === 'certificate_untrusted'
          ? "put the root of Partner Center's signing chain in `partnerCenter.trustedRootsFile`, or allow its AIA host in `partnerCenter.issuerCertificateHosts`"
          : 'check `partnerCenter.certificateHosts` and `partnerCenter.issuerCertificateHosts`',
      );
    }
    const { leaf, chain } = resolved.certificate;
    const subject = (certificate: { subject: string }) => certificate.subject.replaceAll('\n', ', ');
    const root = chain.at(-1);
    return passed(name, `${subject(leaf)}, chains to ${root ? subject(root) : 'a trusted root'}`);
  } finally {
    await source.close();
  }
}
