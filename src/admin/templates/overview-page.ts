/** The overview: what needs attention first, then activity, queue, webhooks, Partner Center and the CRM. */

import type { WebhookRegistration } from '../../partner-center/webhooks-client.ts';
import type { SyncHour } from '../../store/console-reads.ts';
import type { QueueStats } from '../../store/ports.ts';
import { type Html, html } from '../html.ts';
import { when } from './layout.ts';

export type Probe<T> = { ok: true; value: T } | { ok: false; error: string };

export type OverviewData = {
  now: number;
  activity: SyncHour[];
  queue: QueueStats;
  lastInboxAt: string | null;
  partnerCenter: Probe<{ username: string; accessTokenExpiresAt: string | null } | null>;
  registration: Probe<WebhookRegistration | null>;
  /** The URL the connector receives webhooks at, when known. */
  webhookUrl: string | undefined;
  crm: { kind: string; reachability: Probe<{ ms: number }> };
};

export function overviewPage(data: OverviewData, csrfToken: string): Html {
  const { queue } = data;
  const deadCodes = Object.entries(queue.deadByCode).sort((a, b) => b[1] - a[1]);
  const totals = data.activity.reduce(
    (sum, hour) => ({ written: sum.written + hour.leadsWritten, failed: sum.failed + hour.failed }),
    { written: 0, failed: 0 },
  );
  const busiest = Math.max(1, ...data.activity.map((hour) => hour.leadsWritten + hour.failed));
  const signedIn = data.partnerCenter.ok ? data.partnerCenter.value : null;
  return html`${attention(data, signedIn === null)}
<div class="grid">
<section class="card" aria-labelledby="activity">
<h2 id="activity">Syncs, last 24 hours</h2>
<dl class="figures">
<div><dt>Leads written</dt><dd>${totals.written}</dd></div>
<div><dt>Failed attempts</dt><dd>${totals.failed}</dd></div>
<div><dt>Last webhook</dt><dd class="small">${when(data.lastInboxAt, data.now)}</dd></div>
</dl>
${
  data.activity.length === 0
    ? html`<p class="muted">No sync in the last 24 hours.</p>`
    : html`<table><caption>Per hour (UTC)</caption><thead><tr><th scope="col">Hour</th><th scope="col">Leads written</th><th scope="col">Failed</th><th scope="col"><span class="sr-only">Volume</span></th></tr></thead><tbody>${data.activity
        .slice(-12)
        .reverse()
        .map(
          (hour) =>
            html`<tr><td>${hour.hour.slice(11, 16)}</td><td>${hour.leadsWritten}</td><td>${hour.failed}</td><td><meter min="0" max="${busiest}" value="${hour.leadsWritten + hour.failed}" aria-label="${hour.leadsWritten + hour.failed} syncs">${hour.leadsWritten + hour.failed}</meter></td></tr>`,
        )}</tbody></table>`
}
</section>
<section class="card" aria-labelledby="queue">
<h2 id="queue">Queue</h2>
<dl class="figures">
<div><dt>Waiting</dt><dd>${queue.pending}</dd></div>
<div><dt>Running</dt><dd>${queue.running}</dd></div>
<div><dt>Dead letters</dt><dd>${queue.dead}</dd></div>
</dl>
<p class="muted">${queue.due} due now, ${queue.scheduled} scheduled for later (back-off or Retry-After)${
    queue.oldestDueAt ? html`; oldest due ${when(queue.oldestDueAt.toISOString(), data.now)}` : ''
  }.</p>
${
  deadCodes.length === 0
    ? html`<p>No dead letters.</p>`
    : html`<table><caption>Dead letters by reason</caption><thead><tr><th scope="col">Reason</th><th scope="col">Referrals</th></tr></thead><tbody>${deadCodes.map(
        ([code, count]) =>
          html`<tr><td><a href="/dead-letters?reason=${encodeURIComponent(code)}"><code>${code}</code></a></td><td>${count}</td></tr>`,
      )}</tbody></table>`
}
</section>
<section class="card" aria-labelledby="webhooks">
<h2 id="webhooks">Partner Center webhooks</h2>
${registrationView(data)}
<form method="post" action="/webhooks/test" class="actions">
<input type="hidden" name="_csrf" value="${csrfToken}">
<button type="submit" class="secondary">Send test event</button>
<span class="muted">Partner Center sends a <code>test-created</code> event to the registered URL.</span>
</form>
</section>
<section class="card" aria-labelledby="partner-center">
<h2 id="partner-center">Partner Center sign-in</h2>
${
  !data.partnerCenter.ok
    ? html`<p role="alert">Could not read the sign-in: ${data.partnerCenter.error}</p>`
    : signedIn === null
      ? html`<p role="alert">No Partner Center user is signed in. Run <code>referral-connector auth login</code>.</p>`
      : html`<dl class="fields"><dt>User</dt><dd>${signedIn.username}</dd><dt>Access token valid until</dt><dd>${
          signedIn.accessTokenExpiresAt
            ? html`${when(signedIn.accessTokenExpiresAt, data.now)} <span class="muted">(renewed from the stored sign-in while it lasts)</span>`
            : html`<span class="muted">none cached yet</span>`
        }</dd></dl>`
}
</section>
<section class="card" aria-labelledby="crm">
<h2 id="crm">CRM</h2>
<dl class="fields"><dt>Kind</dt><dd>${data.crm.kind}</dd><dt>Reachable</dt><dd>${
    data.crm.reachability.ok
      ? html`<span class="badge badge-synced">Yes</span> answered in ${data.crm.reachability.value.ms} ms`
      : html`<span class="badge badge-dead-lettered">No</span> ${data.crm.reachability.error}`
  }</dd></dl>
</section>
</div>`;
}

function attention(data: OverviewData, noUser: boolean): Html {
  const problems: Html[] = [];
  if (data.queue.dead > 0)
    problems.push(
      html`<li><a href="/dead-letters">${data.queue.dead} ${data.queue.dead === 1 ? 'referral is' : 'referrals are'} dead-lettered</a>: they will not sync again until replayed.</li>`,
    );
  if (data.partnerCenter.ok && noUser)
    problems.push(html`<li>No Partner Center user is signed in: nothing can sync.</li>`);
  if (!data.crm.reachability.ok)
    problems.push(html`<li>The CRM does not answer: ${data.crm.reachability.error}</li>`);
  if (data.registration.ok && data.registration.value === null)
    problems.push(html`<li>No webhook is registered with Partner Center.</li>`);
  if (problems.length === 0)
    return html`<p class="notice" role="status">Everything is running: no dead letters, Partner Center and the CRM answer.</p>`;
  return html`<div class="alert" role="alert"><h2>Needs attention</h2><ul>${problems}</ul></div>`;
}

function registrationView(data: OverviewData): Html {
  if (!data.registration.ok)
    return html`<p role="alert">Could not read the registration: ${data.registration.error}</p>`;
  const registration = data.registration.value;
  if (registration === null)
    return html`<p>No registration. Run <code>referral-connector webhooks register</code>.</p>`;
  const ours = data.webhookUrl === undefined || registration.webhookUrl === data.webhookUrl;
  return html`<dl class="fields">
<dt>URL</dt><dd><code>${registration.webhookUrl}</code>${ours ? '' : html` <strong>(not this connector: ${data.webhookUrl})</strong>`}</dd>
<dt>Events</dt><dd>${registration.webhookEvents.join(', ')}</dd>
<dt>Signature header</dt><dd>${registration.signatureInMsSignatureHeader ? 'x-ms-signature' : 'Authorization'}</dd>
<dt>Last received</dt><dd>${when(data.lastInboxAt, data.now)}</dd>
</dl>`;
}
