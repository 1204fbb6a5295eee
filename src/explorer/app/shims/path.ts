/** `node:path` for the report worker: the POSIX functions the report builder uses. */
export const sep = '/';

export function join(...parts: string[]): string {
  const joined = parts.filter((part) => part !== '').join('/');
  const absolute = joined.startsWith('/');
  const out: string[] = [];
  for (const segment of joined.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') out.pop();
    else out.push(segment);
  }
  return (absolute ? '/' : '') + out.join('/') || '.';
}

export function dirname(path: string): string {
  const index = path.replace(/\/+$/, '').lastIndexOf('/');
  if (index < 0) return '.';
  return index === 0 ? '/' : path.slice(0, index);
}

export function basename(path: string, extension?: string): string {
  const base = path.replace(/\/+$/, '').split('/').pop() ?? '';
  return extension && base.endsWith(extension) ? base.slice(0, -extension.length) : base;
}

export function extname(path: string): string {
  const base = basename(path);
  const dot = base.lastIndexOf('.');
  return dot > 0 ? base.slice(dot) : '';
}

export const resolve = (...parts: string[]): string => join('/', ...parts);

export default { sep, join, dirname, basename, extname, resolve };
