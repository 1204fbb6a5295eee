/** Escaping for user-supplied text in HTML and Markdown output. */

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for HTML element content and double- or single-quoted attribute values. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (ch) => HTML_ESCAPES[ch]);
}

/**
 * Escapes text for Markdown: HTML-significant characters become entities (so a label such as
 * `<script>` stays text on any renderer) and Markdown punctuation is backslash-escaped.
 */
export function escapeMarkdown(value: string): string {
  return value
    .replace(/[&<>]/g, (ch) => HTML_ESCAPES[ch])
    .replace(/([\\`*_[\]#|$~])/g, '\\$1');
}
