/**
 * HTML built from templates where every interpolated value is escaped unless it is already `Html` (the
 * output of another template). A value can only reach a page as text: a referral named
 * `<script>alert(1)</script>` shows as those characters. Pure.
 */

declare const htmlBrand: unique symbol;
/** Markup that is safe to insert as it is: only `html` and `unsafeRaw` make it. */
export type Html = { readonly [htmlBrand]: true; readonly markup: string };

export type Interpolation = Html | string | number | boolean | null | undefined | readonly Interpolation[];

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => ESCAPES[char] ?? char);
}

/** Only objects this module made count as markup: parsed JSON shaped like one stays data. */
const made = new WeakSet<object>();

function isHtml(value: unknown): value is Html {
  return typeof value === 'object' && value !== null && made.has(value);
}

function mark(markup: string): Html {
  const value = { markup } as Html;
  made.add(value);
  return value;
}

function render(value: Interpolation): string {
  if (value === null || value === undefined || value === false) return '';
  if (Array.isArray(value)) return value.map((item: Interpolation) => render(item)).join('');
  if (isHtml(value)) return value.markup;
  return escapeHtml(String(value));
}

/** `html\`<p>${name}</p>\``: strings, numbers and arrays of them are escaped; `Html` is kept. */
export function html(strings: TemplateStringsArray, ...values: Interpolation[]): Html {
  let markup = strings[0] ?? '';
  values.forEach((value, index) => {
    markup += render(value) + (strings[index + 1] ?? '');
  });
  return mark(markup);
}

/** Markup written by this module's callers themselves (constant text), never data. */
export function unsafeRaw(markup: string): Html {
  return mark(markup);
}

export function toHtmlString(value: Html): string {
  return value.markup;
}
