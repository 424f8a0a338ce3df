// The plan's scope in words, shared by the text and Markdown renderings.

/** `Scope: sources a, b only; source items at other sources are left as they are.` */
export function scopeSentence(sources: readonly string[], name: (code: string) => string): string {
  const listed = sources.map(name).join(", ");
  return `Scope: source${sources.length === 1 ? "" : "s"} ${listed} only; source items at other sources are left as they are.`;
}
