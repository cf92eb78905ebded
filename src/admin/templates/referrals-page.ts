/** The referral list: search, filters by Partner Center status and by outcome, pages. */
import { REFERRAL_OUTCOMES, type ReferralListQuery, type ReferralPage } from '../../store/console-reads.ts';
import { type Html, html } from '../html.ts';
import { outcomeBadge, when } from './layout.ts';

export const REFERRAL_STATUSES_SHOWN = ['New', 'Active', 'Closed'] as const;

export function referralsPage(query: ReferralListQuery, page: ReferralPage, now: number): Html {
  return html`<form class="filters" method="get" action="/referrals" role="search"
  hx-get="/referrals" hx-target="#results" hx-select="#results" hx-swap="outerHTML" hx-push-url="true"
  hx-trigger="input changed delay:300ms from:find input, change from:find select, submit">
<label>Search <input type="search" name="q" value="${query.search ?? ''}" placeholder="Referral id, lead id, name or customer" autocomplete="off"></label>
<label>Status <select name="status"><option value="">Any</option>${REFERRAL_STATUSES_SHOWN.map(
    (status) => html`<option${query.status === status ? html` selected` : ''}>${status}</option>`,
  )}</select></label>
<label>Outcome <select name="outcome"><option value="">Any</option>${REFERRAL_OUTCOMES.map(
    (outcome) =>
      html`<option value="${outcome}"${query.outcome === outcome ? html` selected` : ''}>${outcome}</option>`,
  )}</select></label>
<button type="submit">Apply</button>
</form>
${referralResults(query, page, now)}`;
}

export function referralResults(query: ReferralListQuery, page: ReferralPage, now: number): Html {
  const first = query.offset + 1;
  const last = query.offset + page.items.length;
  const link = (offset: number) => {
    const params = new URLSearchParams();
    if (query.search) params.set('q', query.search);
    if (query.status) params.set('status', query.status);
    if (query.outcome) params.set('outcome', query.outcome);
    if (offset > 0) params.set('offset', String(offset));
    const text = params.toString();
    return text ? `/referrals?${text}` : '/referrals';
  };
  return html`<section id="results" aria-labelledby="results-title">
<h2 id="results-title" class="sr-only">Results</h2>
<p role="status">${page.items.length === 0 ? 'No referral matches.' : `Showing ${first}–${last}${page.hasMore ? '' : ` of ${last}`}`}</p>
${
  page.items.length === 0
    ? ''
    : html`<table>
<thead><tr><th scope="col">Referral</th><th scope="col">Customer</th><th scope="col">Status</th><th scope="col">Outcome</th><th scope="col">Lead</th><th scope="col">Last read</th></tr></thead>
<tbody>${page.items.map(
        (item) => html`<tr>
<td><a href="/referrals/${encodeURIComponent(item.referralId)}">${item.record?.name ?? item.referralId}</a><br><code class="muted">${item.referralId}</code></td>
<td>${item.record?.customerName ?? ''}</td>
<td>${item.record?.status ?? ''}${item.record?.substatus ? html`<br><span class="muted">${item.record.substatus}</span>` : ''}</td>
<td>${outcomeBadge(item.outcome, item.errorCode)}</td>
<td>${item.leadId ? html`<code>${item.leadId}</code>` : html`<span class="muted">none</span>`}</td>
<td>${when(item.record?.seenAt, now)}</td>
</tr>`,
      )}</tbody></table>`
}
<nav class="pager" aria-label="Pages">
${query.offset > 0 ? html`<a href="${link(Math.max(0, query.offset - query.limit))}" rel="prev">← Newer</a>` : ''}
${page.hasMore ? html`<a href="${link(query.offset + query.limit)}" rel="next">Older →</a>` : ''}
</nav>
</section>`;
}
