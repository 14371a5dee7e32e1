/**
 * XML 1.0 text and attribute values, for every XML the reports write (JUnit, SVG): markup
 * escaped, and the characters XML cannot carry at all dropped, so that whatever a check
 * printed or a host is called, the file stays well-formed.
 */
export function xmlEscape(text: string): string {
  return text
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}
