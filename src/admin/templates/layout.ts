/**
 * The frame of every console page: skip link, navigation with the current page marked, who is signed in
 * and the sign-out button, then the page's own content under one `h1`. htmx (served from node_modules)
 * only enhances: every page and form works without it.
 */
import { type Html, html } from '../html.ts';
import type { ConsoleUser } from '../session-registry.ts';

export type PageFrame = {
  title: string;
  /** Path of the navigation entry to mark as current. */
  section: '/' | '/referrals' | '/dead-letters' | undefined;
  user: ConsoleUser | undefined;
  csrfToken: string | undefined;
};

const NAVIGATION = [
  { path: '/', label: 'Overview' },
  { path: '/referrals', label: 'Referrals' },
  { path: '/dead-letters', label: 'Dead letters' },
] as const;

export function layout(frame: PageFrame, content: Html): Html {
  const headers = frame.csrfToken ? JSON.stringify({ 'x-csrf-token': frame.csrfToken }) : undefined;
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="htmx-config" content='{"includeIndicatorCSS":false}'>
<title>${frame.title} · Referral Connector</title>
<link rel="stylesheet" href="/assets/console.css">
<script src="/assets/htmx.min.js" defer></script>
</head>
<body${headers ? html` hx-headers:inherited="${headers}"` : ''}>
<a class="skip" href="#main">Skip to content</a>
<header class="top">
<span class="brand">Referral Connector</span>
${
  frame.user
    ? html`<nav aria-label="Console"><ul>${NAVIGATION.map(
        (entry) =>
          html`<li><a href="${entry.path}"${entry.path === frame.section ? html` aria-current="page"` : ''}>${entry.label}</a></li>`,
      )}</ul></nav>
<form class="account" method="post" action="/auth/sign-out">
<input type="hidden" name="_csrf" value="${frame.csrfToken}">
<span>Signed in as <strong>${frame.user.name}</strong></span>
<button type="submit">Sign out</button>
</form>`
    : ''
}
</header>
<main id="main" tabindex="-1">
<h1>${frame.title}</h1>
${content}
</main>
</body>
</html>`;
}

/** Relative time for people ("3 min ago"), with the exact instant in a `<time>` element. */
export function when(iso: string | null | undefined, now: number): Html {
  if (!iso) return html`<span class="muted">never</span>`;
  const at = Date.parse(iso);
  if (Number.isNaN(at)) return html`${iso}`;
  const seconds = Math.round((now - at) / 1000);
  const ago =
    seconds < 0
      ? `in ${humanDuration(-seconds)}`
      : seconds < 5
        ? 'just now'
        : `${humanDuration(seconds)} ago`;
  return html`<time datetime="${new Date(at).toISOString()}" title="${new Date(at).toISOString()}">${ago}</time>`;
}

function humanDuration(seconds: number): string {
  if (seconds < 60) return `${seconds} s`;
  if (seconds < 3600) return `${Math.round(seconds / 60)} min`;
  if (seconds < 86_400) return `${Math.round(seconds / 3600)} h`;
  return `${Math.round(seconds / 86_400)} days`;
}

/** A referral's outcome as a labelled badge (text, not colour alone). */
export function outcomeBadge(outcome: string, errorCode: string | null): Html {
  const labels: Record<string, string> = {
    'dead-lettered': 'Dead letter',
    syncing: 'Syncing',
    retrying: 'Retrying',
    queued: 'Queued',
    synced: 'Synced',
    'not-synced': 'Not synced',
  };
  return html`<span class="badge badge-${outcome}">${labels[outcome] ?? outcome}</span>${
    errorCode ? html` <code>${errorCode}</code>` : ''
  }`;
}
