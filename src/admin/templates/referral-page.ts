/**
 * One referral: its fields as last read, the lead and its link into the CRM, the link to the referral in
 * Partner Center, what the connector is doing with it (refreshed while a job is under way), the
 * timeline of sync steps and the raw callbacks kept in the inbox.
 */
import type { ReferralSummary, StoredInboxEntry } from '../../store/console-reads.ts';
import type { TimelineEvent } from '../../store/ports.ts';
import { type Html, html } from '../html.ts';
import { outcomeBadge, when } from './layout.ts';

export type ReferralView = {
  summary: ReferralSummary;
  timeline: TimelineEvent[];
  inbox: StoredInboxEntry[];
  partnerCenterUrl: string;
  leadUrl: string | undefined;
  deadLetterMessage: string | undefined;
  now: number;
};

export function referralPage(view: ReferralView, csrfToken: string): Html {
  const { summary } = view;
  const record = summary.record;
  return html`<dl class="fields card">
<dt>Referral id</dt><dd><code>${summary.referralId}</code></dd>
<dt>Name</dt><dd>${record?.name ?? html`<span class="muted">not read yet</span>`}</dd>
<dt>Customer</dt><dd>${record?.customerName ?? ''}</dd>
<dt>Status</dt><dd>${record?.status ?? ''}${record?.substatus ? ` · ${record.substatus}` : ''}</dd>
<dt>Changed in Partner Center</dt><dd>${record?.updatedAt ? when(record.updatedAt, view.now) : ''}</dd>
<dt>Last read by the connector</dt><dd>${when(record?.seenAt, view.now)}</dd>
<dt>In Partner Center</dt><dd><a href="${view.partnerCenterUrl}" rel="noreferrer">Open the referral in Partner Center</a></dd>
<dt>Lead</dt><dd>${
    summary.leadId
      ? html`<code>${summary.leadId}</code>${view.leadUrl ? html` · <a href="${view.leadUrl}" rel="noreferrer">Open the lead in the CRM</a>` : ''}`
      : html`<span class="muted">none yet</span>`
  }</dd>
</dl>
${liveSection(view, csrfToken)}
<section aria-labelledby="inbox-title" class="card">
<h2 id="inbox-title">Callbacks received (${view.inbox.length})</h2>
${
  view.inbox.length === 0
    ? html`<p class="muted">None kept (callbacks are kept for the inbox retention period).</p>`
    : view.inbox.map(
        (entry) => html`<details>
<summary>${when(entry.receivedAt, view.now)} · <code>${entry.eventName}</code> · ${entry.kind}</summary>
<pre>${prettyJson(entry.rawBody)}</pre>
<table><caption>Headers kept</caption><tbody>${Object.entries(entry.headers).map(
          ([name, value]) => html`<tr><th scope="row">${name}</th><td><code>${value}</code></td></tr>`,
        )}</tbody></table>
</details>`,
      )
}
</section>`;
}

/** What the connector is doing with the referral, and its timeline; polled while a job is under way. */
export function liveSection(view: ReferralView, csrfToken: string): Html {
  const { summary } = view;
  const active = ['queued', 'syncing', 'retrying'].includes(summary.outcome);
  const path = `/referrals/${encodeURIComponent(summary.referralId)}/live`;
  return html`<section id="live" class="card" aria-labelledby="live-title"${
    active ? html` hx-get="${path}" hx-trigger="every 2s" hx-swap="outerHTML"` : ''
  }>
<h2 id="live-title">Sync</h2>
<p role="status">${outcomeBadge(summary.outcome, summary.errorCode)}${
    summary.syncedAt ? html` · last synced ${when(summary.syncedAt, view.now)}` : ''
  }${active ? html` <span class="muted">(this updates by itself)</span>` : ''}</p>
${view.deadLetterMessage ? html`<p>${view.deadLetterMessage}</p>` : ''}
${
  summary.outcome === 'dead-lettered'
    ? html`<form method="post" action="/dead-letters/replay">
<input type="hidden" name="_csrf" value="${csrfToken}">
<input type="hidden" name="only" value="${summary.referralId}">
<input type="hidden" name="returnTo" value="/referrals/${summary.referralId}">
<button type="submit">Replay this referral</button>
</form>`
    : ''
}
${timelineTable(view)}
</section>`;
}

function timelineTable(view: ReferralView): Html {
  if (view.timeline.length === 0) return html`<p class="muted">No sync step recorded yet.</p>`;
  return html`<table><caption>Timeline, newest first</caption>
<thead><tr><th scope="col">When</th><th scope="col">Step</th><th scope="col">Outcome</th><th scope="col">Details</th></tr></thead>
<tbody>${view.timeline.map(
    (event) =>
      html`<tr><td>${when(event.at, view.now)}</td><td>${event.step}</td><td>${event.outcome}</td><td>${
        event.detail ? html`<code>${JSON.stringify(event.detail)}</code>` : ''
      }</td></tr>`,
  )}</tbody></table>`;
}

function prettyJson(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}
