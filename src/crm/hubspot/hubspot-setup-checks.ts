/**
 * What a HubSpot portal needs before go-live (spec crm.md §C2, §C9): the private app's token works and
 * holds the read and write scopes of the object and of contacts, the referral id has a single-line text
 * property with unique values on the object (the key that keeps one record per referral) and on contacts
 * (for customers without an e-mail), the link property exists, and the configured pipeline and stages
 * exist. Changes nothing: writes are probed with an empty update of a record id HubSpot never gives,
 * which a token without the write scope gets 403 for and one with it 404 (HubSpot checks scopes before
 * looking the record up — the emulator does; unconfirmed on a real portal, so any other answer is only
 * worth a look).
 */
import { failed, passed, type SetupCheck, skipped, warned } from '../../core/setup-check.ts';
import { describeFailure } from '../../net/explain-error.ts';
import { RemoteError } from '../../net/remote-error.ts';
import type { HubSpotClient } from './hubspot-client.ts';
import type { HubSpotObject } from './hubspot-config.ts';

export type HubSpotSetupDeps = {
  client: HubSpotClient;
  object: HubSpotObject;
  referralIdProperty: string;
  contactReferralIdProperty: string;
  referralUrlProperty: string | undefined;
  pipeline: string;
  stages: { initial: string; qualified: readonly string[]; disqualified: readonly string[] };
};

type Property = {
  name?: string;
  type?: string;
  fieldType?: string;
  hasUniqueValue?: boolean;
  modificationMetadata?: { readOnlyValue?: boolean };
};
type Pipeline = { id?: string; label?: string; stages?: Array<{ id?: string; label?: string }> };

const TOKEN = '`crm.hubspot.accessToken`';

export async function checkHubSpotSetup(deps: HubSpotSetupDeps): Promise<SetupCheck[]> {
  const { client, object } = deps;
  const get = async <T>(path: string, what: string): Promise<T> =>
    (await client.send({ method: 'GET', path }, what, (r) => r.status === 200)).json() as T;
  const identity = 'HubSpot identity';
  const later = [
    `${object} readable and writable`,
    'contacts readable and writable',
    `${object}.${deps.referralIdProperty}`,
    `contacts.${deps.contactReferralIdProperty}`,
    ...(deps.referralUrlProperty ? [`${object}.${deps.referralUrlProperty}`] : []),
    `${object} pipeline ${deps.pipeline}`,
  ];
  try {
    await get(`/crm/v3/objects/${object}?limit=1`, `list ${object}`);
  } catch (error) {
    if (error instanceof RemoteError && error.status === 401) {
      return [
        failed(
          identity,
          'HubSpot refused the token (401)',
          `set ${TOKEN} to the access token of the portal's private app`,
        ),
        ...later.map((name) => skipped(name, 'needs a working token')),
      ];
    }
    if (!(error instanceof RemoteError && error.status === 403)) {
      const { problem, fix } = describeFailure(error);
      return [
        failed(identity, problem, fix ?? 'check `crm.hubspot.baseUrl` and the token'),
        ...later.map((name) => skipped(name, 'needs a working token')),
      ];
    }
  }
  const checks: SetupCheck[] = [passed(identity, 'the token is accepted')];
  checks.push(await access(client, object), await access(client, 'contacts'));

  const property = async (owner: string, name: string): Promise<Property | undefined> => {
    try {
      return await get<Property>(
        `/crm/v3/properties/${owner}/${encodeURIComponent(name)}`,
        `property ${owner}.${name}`,
      );
    } catch (error) {
      if (error instanceof RemoteError && error.status === 404) return undefined;
      throw error;
    }
  };
  const uniqueProperty = async (owner: string, name: string, missingStatus: 'fail' | 'warn', why: string) => {
    const line = `${owner}.${name}`;
    try {
      const found = await property(owner, name);
      const fix = `create a single-line text property ${name} on ${owner} with "Require unique values" (Settings → Properties)`;
      const problem = (detail: string) => (missingStatus === 'fail' ? failed : warned)(line, detail, fix);
      if (!found) return problem(`${owner} have no property ${name}: ${why}`);
      if (found.type !== 'string')
        return problem(`${name} is of type ${found.type}; the referral id needs single-line text`);
      if (found.hasUniqueValue !== true) return problem(`${name} does not require unique values: ${why}`);
      if (found.modificationMetadata?.readOnlyValue === true)
        return problem(`${name} is read-only: the connector cannot write the referral id`);
      return passed(line, 'single-line text, unique values');
    } catch (error) {
      return requestFailure(line, error);
    }
  };
  checks.push(
    await uniqueProperty(object, deps.referralIdProperty, 'fail', 'every referral would make a new record'),
    await uniqueProperty(
      'contacts',
      deps.contactReferralIdProperty,
      'warn',
      'referrals whose customer has no e-mail address cannot be synced',
    ),
  );

  if (deps.referralUrlProperty) {
    const line = `${object}.${deps.referralUrlProperty}`;
    try {
      const found = await property(object, deps.referralUrlProperty);
      checks.push(
        !found
          ? failed(
              line,
              `${object} have no property ${deps.referralUrlProperty}, which holds the link to the referral`,
              `create it (single-line text), or unset \`crm.hubspot.referralUrlProperty\``,
            )
          : found.modificationMetadata?.readOnlyValue === true
            ? failed(
                line,
                `${deps.referralUrlProperty} is read-only`,
                'name a writable property in `crm.hubspot.referralUrlProperty`',
              )
            : passed(line, `${found.type ?? 'text'}, writable`),
      );
    } catch (error) {
      checks.push(requestFailure(line, error));
    }
  }

  checks.push(await pipelineCheck(get, deps));
  return checks;
}

/** Read: one record listed. Write: an empty update of a record that cannot exist (see the header). */
async function access(client: HubSpotClient, object: string): Promise<SetupCheck> {
  const name = `${object} readable and writable`;
  const scopes = `crm.objects.${object}.read and crm.objects.${object}.write`;
  const fix = `give the private app the ${scopes} scopes (Settings → Integrations → Private apps), then use its new token`;
  try {
    await client.send(
      { method: 'GET', path: `/crm/v3/objects/${object}?limit=1` },
      `list ${object}`,
      (r) => r.status === 200,
    );
  } catch (error) {
    if (error instanceof RemoteError && error.status === 403)
      return failed(name, `reading ${object} is refused (403)`, fix);
    return requestFailure(name, error);
  }
  try {
    await client.send(
      { method: 'PATCH', path: `/crm/v3/objects/${object}/0`, body: JSON.stringify({ properties: {} }) },
      `probe ${object} write scope`,
      (r) => r.status === 404,
    );
    return passed(name, `both scopes held (${scopes})`);
  } catch (error) {
    if (error instanceof RemoteError && error.status === 403)
      return failed(name, `writing ${object} is refused (403)`, fix);
    return warned(
      name,
      `the write probe answered ${error instanceof RemoteError ? error.status : 'with an error'}: cannot tell`,
      fix,
    );
  }
}

async function pipelineCheck(
  get: <T>(path: string, what: string) => Promise<T>,
  deps: HubSpotSetupDeps,
): Promise<SetupCheck> {
  const name = `${deps.object} pipeline ${deps.pipeline}`;
  const key = `crm.hubspot.${deps.object}`;
  try {
    const { results = [] } = await get<{ results?: Pipeline[] }>(
      `/crm/v3/pipelines/${deps.object}`,
      `${deps.object} pipelines`,
    );
    const pipeline = results.find((p) => p.id === deps.pipeline);
    if (!pipeline) {
      return failed(
        name,
        `no ${deps.object} pipeline has the id ${deps.pipeline} (there are ${results.map((p) => `${p.id} "${p.label}"`).join(', ') || 'none'})`,
        `set \`${key}.pipeline\` to one of those ids`,
      );
    }
    const ids = new Set((pipeline.stages ?? []).map((stage) => stage.id));
    const configured = [deps.stages.initial, ...deps.stages.qualified, ...deps.stages.disqualified];
    const unknown = configured.filter((stage) => !ids.has(stage));
    if (unknown.length > 0) {
      return failed(
        name,
        `the pipeline has no stage ${unknown.join(', ')} (its stages: ${(pipeline.stages ?? []).map((s) => `${s.id} "${s.label}"`).join(', ')})`,
        `set \`${key}.initialStage\`, \`qualifiedStages\` and \`disqualifiedStages\` to stage ids of the pipeline`,
      );
    }
    return passed(name, `"${pipeline.label}" has the configured stages (${configured.join(', ')})`);
  } catch (error) {
    return requestFailure(name, error);
  }
}

function requestFailure(name: string, error: unknown): SetupCheck {
  const { problem, fix } = describeFailure(error);
  return failed(name, problem, fix ?? 'run doctor again; if it fails the same way, check the portal');
}
