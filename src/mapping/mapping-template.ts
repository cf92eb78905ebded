/**
 * Templates of the mapping configuration: text with referral paths in braces,
 * `"{name} ({customerProfile.address.country})"`; `{{` and `}}` stand for literal braces. Nothing is
 * evaluated: a placeholder is a path, read as such.
 */
import { parseReferralPath, type ReferralPath } from './referral-paths.ts';

export type TemplatePart = { text: string } | { path: ReferralPath };

export function parseTemplate(template: string): { parts: TemplatePart[] } | { problem: string } {
  const parts: TemplatePart[] = [];
  let text = '';
  for (let i = 0; i < template.length; i++) {
    const char = template[i];
    if ((char === '{' || char === '}') && template[i + 1] === char) {
      text += char;
      i++;
      continue;
    }
    if (char === '}') return { problem: `a lone } at character ${i + 1} (write }} for a brace)` };
    if (char !== '{') {
      text += char;
      continue;
    }
    const end = template.indexOf('}', i);
    if (end === -1) return { problem: `the { at character ${i + 1} is not closed (write {{ for a brace)` };
    const inner = template.slice(i + 1, end);
    const path = parseReferralPath(inner);
    if ('problem' in path) return { problem: `{${inner}}: ${path.problem}` };
    if (text !== '') parts.push({ text });
    text = '';
    parts.push({ path });
    i = end;
  }
  if (text !== '') parts.push({ text });
  return { parts };
}
