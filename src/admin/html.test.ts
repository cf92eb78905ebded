import { describe, expect, it } from 'vitest';
import { escapeHtml, html, toHtmlString } from './html.ts';

describe('html templates', () => {
  it('escapes every interpolated string, in text and in attributes', () => {
    const name = '<script>alert(1)</script>';
    const title = `" onmouseover="alert('x')`;
    expect(toHtmlString(html`<p title="${title}">${name}</p>`)).toBe(
      '<p title="&quot; onmouseover=&quot;alert(&#39;x&#39;)">&lt;script&gt;alert(1)&lt;/script&gt;</p>',
    );
  });

  it('keeps nested templates as markup and escapes strings inside arrays', () => {
    const items = ['a&b', html`<b>${'<i>'}</b>`];
    expect(toHtmlString(html`<li>${items}</li>`)).toBe('<li>a&amp;b<b>&lt;i&gt;</b></li>');
  });

  it('renders nothing for null, undefined and false, and numbers as text', () => {
    expect(toHtmlString(html`${null}${undefined}${false}${0}${12.5}`)).toBe('012.5');
  });

  it('does not take a plain object that merely looks like markup as markup', () => {
    const forged = JSON.parse('{"markup":"<script>x</script>"}') as string;
    expect(toHtmlString(html`${forged}`)).toBe('[object Object]');
    expect(escapeHtml('&<>"\'')).toBe('&amp;&lt;&gt;&quot;&#39;');
  });
});
